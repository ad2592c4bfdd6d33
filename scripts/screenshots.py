"""Take the README's screenshots from a fresh demo, in Debian's Chromium.

    .venv/bin/python scripts/screenshots.py [--language en|sl]

A temporary SQLite database (never DATABASE_URL) gets the migrations and the demo data; the
development server serves it on 127.0.0.1:8765 while Chromium, logged in as the demo case
worker, saves docs/screenshots/{person-list,person-detail,person-form,household}.png.
"""

import argparse
import io
import os
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
ADDRESS = "127.0.0.1:8765"
BASE_URL = f"http://{ADDRESS}"
LOGIN = "caseworker@most.example"
PASSWORD = "most-demo-2026"  # the demo's printed password  # noqa: S105
VIEWPORT = {"width": 1280, "height": 900}


def configure(data_dir):
    """Point Django at a throwaway SQLite database, before Django is imported."""
    os.environ["MOST_DATA_DIR"] = str(data_dir)
    os.environ["DEBUG"] = "true"
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "most.settings"
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    sys.path.insert(0, str(ROOT))

    import django

    django.setup()


def load_demo():
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("demo", stdout=io.StringIO())


def is_cyrillic(text):
    return any(unicodedata.name(char, "").startswith("CYRILLIC") for char in text)


def pick_person():
    """A head of household with a Cyrillic name, three or more in the household, consents."""
    from most.accounts.models import User
    from most.people.models import Person

    organisation = User.objects.get(email=LOGIN).memberships.get().organisation
    persons = (
        Person.objects.filter(organisation=organisation, membership__isnull=False)
        .select_related("membership__household")
        .prefetch_related("consents", "membership__household__members")
        .order_by("pk")
    )
    fallback = None
    for person in persons:
        if not is_cyrillic(person.given_name):
            continue
        household = person.membership.household
        fallback = fallback or (person, household)
        purposes = {consent.purpose for consent in person.consents.all()}
        if (
            person.membership.relationship == "head"
            and household.members.count() >= 3
            and "sharing" in purposes
        ):
            return person, household
    if fallback is None:
        raise SystemExit("The demo has no person with a Cyrillic name in a household.")
    return fallback


def _tail(path, lines=30):
    return "\n".join(Path(path).read_text(errors="replace").splitlines()[-lines:])


def start_server(log):
    server = subprocess.Popen(  # noqa: S603 – our own interpreter and arguments
        [sys.executable, "-m", "django", "runserver", ADDRESS, "--noreload"],
        cwd=ROOT,
        env=os.environ.copy(),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"runserver exited with {server.returncode}:\n{_tail(log.name)}")
        try:
            with urllib.request.urlopen(f"{BASE_URL}/app/login/", timeout=2):  # noqa: S310
                return server
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.3)
    server.terminate()
    raise SystemExit(f"runserver did not answer on {BASE_URL} within 30 s:\n{_tail(log.name)}")


def take_screenshots(person, household, language):
    from playwright.sync_api import expect, sync_playwright

    from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS  # ROOT is on sys.path

    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        context = browser.new_context(
            base_url=BASE_URL,
            viewport=VIEWPORT,
            locale="en-GB" if language == "en" else "sl-SI",
            device_scale_factor=1,
        )
        context.add_cookies([{"name": "django_language", "value": language, "url": BASE_URL}])
        page = context.new_page()

        page.goto("/app/login/")
        page.locator("#id_username").fill(LOGIN)
        page.locator("#id_password").fill(PASSWORD)
        page.locator("main button[type=submit]").click()
        page.wait_for_url("**/app/persons/")

        def save(name, full_page=False):
            page.mouse.move(0, 0)  # no hover effects
            page.evaluate("document.activeElement && document.activeElement.blur()")
            path = OUT / name
            page.screenshot(path=path, full_page=full_page)
            print(f"  {path.relative_to(ROOT)}  ({page.url.removeprefix(BASE_URL)})")

        # Search as you type: the results come while typing, no submit.
        count = page.locator(".result-count")
        before = count.inner_text()
        page.locator("#id_q").press_sequentially("Oleks", delay=60)
        expect(count).not_to_have_text(before)
        expect(page.locator("#results tbody tr").first).to_be_visible()
        page.locator("#id_q").focus()  # the caret is in the box, as it would be
        page.screenshot(path=OUT / "person-list.png")
        print(f"  {(OUT / 'person-list.png').relative_to(ROOT)}  (typed “Oleks”)")

        page.goto(f"/app/persons/{person.pk}/")
        page.locator("#h-consents").wait_for()
        save("person-detail.png")

        page.goto("/app/persons/new/")
        page.locator("#person-form").wait_for()
        save("person-form.png")

        page.goto(f"/app/persons/households/{household.pk}/")
        page.locator("#h-members").wait_for()
        save("household.png")

        context.close()
        browser.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--language", choices=["en", "sl"], default="en")
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="most-screenshots-"))
    try:
        configure(data_dir)
        print("Loading the demo into a temporary database…")
        load_demo()
        person, household = pick_person()
        print(f"Person: {person} (#{person.pk}); household: {household} (#{household.pk})")
        with open(data_dir / "runserver.log", "w") as log:
            server = start_server(log)
            try:
                print(f"Screenshots from {BASE_URL} into {OUT.relative_to(ROOT)}/:")
                take_screenshots(person, household, args.language)
            finally:
                server.terminate()
                try:
                    server.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    server.kill()
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
