"""The `most` command.

most demo [--persons N] [--port 8000] [--no-serve]
                          migrate an embedded SQLite database, load demo data (N persons,
                          300 by default), print one login per role, serve
                          http://127.0.0.1:8000
most serve                the production server (gunicorn); configure with environment variables
most <command>            any Django management command (migrate, createsuperuser, ...)
"""

import argparse
import os
import sys


def _setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "most.settings")


def manage(argv):
    _setup()
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


def demo(args):
    parser = argparse.ArgumentParser(prog="most demo")
    parser.add_argument("--persons", type=int, default=300)
    parser.add_argument("--bulk", action="store_true", help="fast, for benchmarks")
    parser.add_argument("--port", default="8000")
    parser.add_argument("--no-serve", action="store_true")
    options = parser.parse_args(args)
    os.environ.setdefault("DEBUG", "true")
    _setup()
    import django
    from django.conf import settings
    from django.core.management import CommandError, call_command

    django.setup()
    settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
    call_command("migrate", interactive=False, verbosity=0)
    try:
        call_command("compilemessages", ignore_patterns=[".venv"], verbosity=0)
    except CommandError as error:  # gettext missing: the interface stays in English
        print(f"Translations not compiled ({error}); install gettext for Slovenian.")
    call_command("demo", persons=options.persons, bulk=options.bulk)
    if not options.no_serve:
        call_command("runserver", f"127.0.0.1:{options.port}", use_reloader=False)


def serve(args):
    _setup()
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False)
    call_command("collectstatic", interactive=False, verbosity=0)
    bind = os.environ.get("BIND", "127.0.0.1:8000")
    workers = os.environ.get("WEB_CONCURRENCY", "4")
    # gunicorn comes from the same virtual environment as `most`.
    os.execvp(  # noqa: S606
        "gunicorn",  # noqa: S607
        [
            "gunicorn",
            "most.wsgi",
            "--bind",
            bind,
            "--workers",
            workers,
            "--access-logfile",
            "-",
            *args,
        ],
    )


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
