"""The production server (`most serve`) on the bench database, and a browser talking to it."""

import base64
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


def server_environment(directory, port, extra=None):
    """The environment of `most serve` (and of its worker) as deployed, on the bench database.

    The audit trail's master key is the one the child process sealed its data with
    (MOST_AUDIT_KEYS, set by database.fresh_database), so that the server can open it.
    """
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "MOST_AUDIT_KEYS": os.environ.get("MOST_AUDIT_KEYS")
        or base64.urlsafe_b64encode(os.urandom(32)).decode(),
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "2",
        "MOST_DATA_DIR": directory,
        "DATABASE_URL": os.environ["DATABASE_URL"],
        **(extra or {}),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


def _start(command, env, directory, log_path):
    with open(log_path, "wb") as log:
        return subprocess.Popen(  # noqa: S603 – the project's own command
            command,
            env=env,
            cwd=directory,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


@contextlib.contextmanager
def production_server(directory, env=None, worker=False):
    """`most serve` as deployed (gunicorn, DEBUG off) on the bench database; yields its port.

    env: more environment variables for the server. worker: also start the background worker
    (`most worker`, as `most demo` does beside gunicorn) with the same environment, once the
    server has migrated and answers.

    Each runs in a process group of its own, stopped with SIGTERM (and killed if it lingers)
    however the benchmark ends.
    """
    port = _free_port()
    env = server_environment(directory, port, env)
    log_path = Path(directory, "server.log")
    most = str(Path(sys.executable).with_name("most"))
    # No control socket: two servers (this one, a developer's) would share its path.
    process = _start([most, "serve", "--no-control-socket"], env, directory, log_path)
    processes = [process]
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
        if worker:
            worker_log = Path(directory, "worker.log")
            processes.append(_start([most, "worker", "-v1"], env, directory, worker_log))
            time.sleep(1)
            if processes[-1].poll() is not None:
                raise RuntimeError(f"most worker exited:\n{_tail(worker_log)}")
        yield port
    finally:
        for started in reversed(processes):
            _stop(started)


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
