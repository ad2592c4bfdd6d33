"""The `most` command.

most demo [--persons N] [--port 8000] [--no-serve]
                          migrate an embedded SQLite database, load demo data (N persons,
                          300 by default), print one login per role, serve
                          http://127.0.0.1:8000 as deployed (gunicorn and the job worker)
most serve                the production server (gunicorn); configure with environment variables
most worker               the background worker (exports, imports, weekly reminders): run one
                          beside `most serve`
most <command>            any Django management command (migrate, createsuperuser, ...)
"""

import argparse
import base64
import os
import secrets
import subprocess
import sys
from pathlib import Path


def _setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "most.settings")


def manage(argv):
    _setup()
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


def _gunicorn(bind, workers, *args):
    # gunicorn from the interpreter running `most`, so `.venv/bin/most serve` needs no activated
    # virtual environment (gunicorn's own script is not on PATH then).
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "most.wsgi",
        "--bind",
        bind,
        "--workers",
        str(workers),
        "--access-logfile",
        "-",
        # gunicorn's control socket is one file per user: two servers on a machine would share it.
        "--no-control-socket",
        *args,
    ]


def _demo_environment():
    """The demo runs as deployed (DEBUG off: the product's own error pages, compressed static
    files), on plain HTTP at 127.0.0.1, with a secret key of its own kept in the data folder.
    Anything set in the environment wins."""
    data_dir = Path(
        os.environ.get("MOST_DATA_DIR", Path(__file__).resolve().parent.parent / "data")
    )
    data_dir.mkdir(parents=True, exist_ok=True)
    key_file = data_dir / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        key_file.chmod(0o600)
    # The audit trail's master key (docs/data-protection.md), beside the secret key.
    audit_key_file = data_dir / "audit_keys"
    if not audit_key_file.exists():
        audit_key_file.write_text(base64.urlsafe_b64encode(os.urandom(32)).decode())
        audit_key_file.chmod(0o600)
    defaults = {
        "DEBUG": "false",
        # E-mails (the weekly reminders) are written to files in the data folder, not sent.
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(data_dir / "mail"),
        "SECRET_KEY_FILE": str(key_file),
        "MOST_AUDIT_KEYS_FILE": str(audit_key_file),
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "SECURE_HSTS_SECONDS": "0",
        # The printed logins (the administrator's too) sign in with the password alone; anyone
        # trying the demo may still set up two-factor sign-in, and then must use it.
        "MOST_TWO_FACTOR_FOR_ADMINS": "false",
    }
    for name, value in defaults.items():
        os.environ.setdefault(name, value)


def demo(args):
    parser = argparse.ArgumentParser(prog="most demo")
    parser.add_argument("--persons", type=int, default=300)
    parser.add_argument("--bulk", action="store_true", help="fast, for benchmarks")
    parser.add_argument("--port", default="8000")
    parser.add_argument("--no-serve", action="store_true")
    options = parser.parse_args(args)
    _demo_environment()
    _setup()
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("demo", persons=options.persons, bulk=options.bulk)
    if options.no_serve:
        return
    call_command("collectstatic", interactive=False, verbosity=0)
    print(f"Most is at http://127.0.0.1:{options.port}/ (Ctrl+C stops it).", flush=True)
    worker = subprocess.Popen([sys.executable, "-m", "most.cli", "worker", "-v0"])  # noqa: S603
    server = subprocess.Popen(_gunicorn(f"127.0.0.1:{options.port}", 2))  # noqa: S603
    try:
        server.wait()
    except KeyboardInterrupt:
        pass
    finally:
        for process in (server, worker):
            process.terminate()
        for process in (server, worker):
            process.wait()


def serve(args):
    _setup()
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False)
    # A database restored from a backup older than an erasure: erased again before serving.
    call_command("erasures_replay")
    call_command("collectstatic", interactive=False, verbosity=0)
    bind = os.environ.get("BIND", "127.0.0.1:8000")
    workers = os.environ.get("WEB_CONCURRENCY", "4")
    command = _gunicorn(bind, workers, *args)
    os.execv(command[0], command)  # noqa: S606


def main(argv=None):
    argv = list(sys.argv if argv is None else argv)
    command = argv[1] if len(argv) > 1 else "help"
    if command == "demo":
        demo(argv[2:])
    elif command == "serve":
        serve(argv[2:])
    elif command in ("-h", "--help") and len(argv) == 2:
        print(__doc__)
    else:
        manage(argv)


if __name__ == "__main__":
    main()
