"""The production server (`most serve`) on the bench database, and a browser talking to it."""

import contextlib
import http.client
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Browser:
    """One member of staff's browser: its cookies and a connection to the server."""

    def __init__(self, port):
        self.port = port
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.cookies = {}

    def request(self, method, path, body=None, headers=None):
        """(status, body, seconds): seconds from sending the request to the body's last byte."""
        headers = {"Accept-Language": "sl,en;q=0.8", **(headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        began = time.perf_counter()
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            content = response.read()
        except (OSError, http.client.HTTPException):
            self.connection.close()
            raise
        seconds = time.perf_counter() - began
        if response.will_close:  # gunicorn's sync workers close every connection
            self.connection.close()
        for header in response.headers.get_all("Set-Cookie") or ():
            cookie = SimpleCookie()
            cookie.load(header)
            for key, morsel in cookie.items():
                if morsel.value and morsel["max-age"] != "0":
                    self.cookies[key] = morsel.value
                else:
                    self.cookies.pop(key, None)
        return response.status, content, seconds

    def get(self, path, headers=None):
        return self.request("GET", path, headers=headers)

    def log_in(self, email, password):
        status, body, _ = self.get("/app/login/")
        assert status == 200, f"GET /app/login/ answered {status}"
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        assert token and "csrftoken" in self.cookies, "no CSRF token on the login page"
        form = {"csrfmiddlewaretoken": token[1].decode(), "username": email, "password": password}
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"http://127.0.0.1:{self.port}/app/login/",
        }
        status, body, _ = self.request("POST", "/app/login/", urlencode(form), headers)
        assert status == 302, f"login answered {status}: {body[:300]!r}"
        status, _body, _ = self.get("/app/persons/")
        assert status == 200, f"GET /app/persons/ after logging in answered {status}"


@contextlib.contextmanager
def production_server(directory):
    """`most serve` as deployed (gunicorn, DEBUG off) on the bench database; yields its port.

    It runs in a process group of its own, stopped with SIGTERM (and killed if it lingers)
    however the benchmark ends.
    """
    port = _free_port()
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "2",
        "MOST_DATA_DIR": directory,
        "DATABASE_URL": os.environ["DATABASE_URL"],
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    log_path = Path(directory, "server.log")
    most = Path(sys.executable).with_name("most")
    with open(log_path, "wb") as log:
        process = subprocess.Popen(  # noqa: S603 – the project's own command
            # No control socket: two servers (this one, a developer's) would share its path.
            [str(most), "serve", "--no-control-socket"],
            env=env,
            cwd=directory,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 180
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"most serve exited ({process.returncode}):\n{_tail(log_path)}")
            with contextlib.suppress(OSError, http.client.HTTPException):
                if Browser(port).get("/health/")[0] == 200:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError(f"most serve did not answer in 180 s:\n{_tail(log_path)}")
            time.sleep(0.25)
        yield port
    finally:
        _stop(process)


def _stop(process):
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    with contextlib.suppress(ProcessLookupError):  # workers left behind by a killed master
        os.killpg(process.pid, signal.SIGKILL)


def _tail(path, lines=30):
    with contextlib.suppress(OSError):
        return "\n".join(Path(path).read_text(errors="replace").splitlines()[-lines:])
    return ""
