"""The README's first run, as a newcomer does it: `most demo`, then `most serve`.

Both run as separate processes from the virtual environment's `most` script, with a clean
environment (no activated virtual environment, no configuration) and an empty data folder, and
are asked over HTTP for what a newcomer sees first: the public home and the login page in
Slovenian on the very first request, and the product's own error page.
"""

import contextlib
import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

MOST = Path(sys.executable).parent / "most"
STARTUP_SECONDS = 120


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def clean_environment(data_dir, **extra):
    """What a new shell has: no virtual environment on PATH, no Most or Django variables."""
    return {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": str(data_dir.parent),
        "LANG": "C.UTF-8",
        "MOST_DATA_DIR": str(data_dir),
        **extra,
    }


def get(url, language="sl"):
    """(status, body) of a GET with the browser's language preference (only http://127.0.0.1)."""
    request = urllib.request.Request(url, headers={"Accept-Language": language})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@contextlib.contextmanager
def running(command, environment, cwd, port, log):
    """Start a server process group, wait until it answers, stop it (and its children) after."""
    with log.open("w") as output:
        process = subprocess.Popen(  # noqa: S603 - the project's own command
            command,
            env=environment,
            cwd=cwd,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            if process.poll() is not None:
                pytest.fail(f"{command} exited with {process.returncode}:\n{log.read_text()}")
            with contextlib.suppress(OSError):
                if get(f"http://127.0.0.1:{port}/health/")[0] == 200:
                    break
            if time.monotonic() > deadline:
                pytest.fail(f"{command} did not answer in {STARTUP_SECONDS} s:\n{log.read_text()}")
            time.sleep(0.5)
        yield f"http://127.0.0.1:{port}"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@pytest.fixture
def newcomer(tmp_path):
    if not MOST.exists():
        pytest.skip(f"{MOST} is not installed (make demo installs it)")
    return tmp_path


def test_the_first_demo_speaks_slovenian_and_shows_its_own_error_pages(newcomer):
    port = free_port()
    environment = clean_environment(newcomer / "data")
    command = [str(MOST), "demo", "--port", str(port)]
    with running(command, environment, newcomer, port, newcomer / "demo.log") as site:
        status, home = get(f"{site}/")
        assert status == 200
        assert '<html lang="sl"' in home
        assert "pomoč pri vključevanju" in home, home[:2000]

        status, login = get(f"{site}/app/login/")
        assert status == 200
        assert "Prijava v Most" in login

        status, missing = get(f"{site}/app/no-such-page/")
        assert status == 404
        assert "Ni najdeno" in missing
        # Django's debug page would list every URL pattern of the site.
        assert "URLconf" not in missing and "Traceback" not in missing

        status, english = get(f"{site}/", language="en")
        assert "help for settling in Slovenia" in english

        # The printed logins sign in with the password alone, the administrator's too (who
        # elsewhere must set up a second factor first).
        assert sign_in(site, "admin@most.example", "most-demo-2026") == f"{site}/app/"
    log = (newcomer / "demo.log").read_text()
    assert "caseworker@most.example" in log  # one login per role is printed
    assert "admin@most.example" in log


def sign_in(site, email, password):
    """Log in through the login form as a browser would; the address it lands on."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(f"{site}/app/login/", timeout=10) as response:  # noqa: S310
        form = response.read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)[1]
    data = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "username": email, "password": password}
    ).encode()
    with opener.open(f"{site}/app/login/", data=data, timeout=10) as response:  # noqa: S310
        return response.url


def test_most_serve_runs_from_the_virtual_environment_without_activating_it(newcomer):
    port = free_port()
    environment = clean_environment(
        newcomer / "data",
        DEBUG="false",
        SECRET_KEY="a-secret-key-for-this-test-only-0123456789-abcdefghijklmnopqrstuvwxyz",
        SECURE_SSL_REDIRECT="false",
        BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="1",
    )
    command = [str(MOST), "serve"]
    with running(command, environment, newcomer, port, newcomer / "serve.log") as site:
        status, home = get(f"{site}/")
        assert status == 200
        assert "pomoč pri vključevanju" in home
        status, missing = get(f"{site}/nowhere/")
        assert status == 404 and "Ni najdeno" in missing
