"""The real-browser layer: Debian's Chromium, driven by Playwright, against the live server.

One browser for the session, a fresh context (cookies, storage) per test. Every page a test
opens fails the test on a JavaScript error or a Content Security Policy violation, so a strict
CSP that silently breaks HTMX is caught here. `assert_accessible(page)` runs axe-core.
"""

import datetime
import os

import pytest
from django.utils import timezone

from .chromium import CHROMIUM, CHROMIUM_ARGS

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}
PASSWORD = "correct horse battery"  # the root conftest's default


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing (apt-get install chromium): no browser tests."
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


class PageProblems:
    """JavaScript errors, htmx errors and CSP violations seen by the pages of one context."""

    def __init__(self):
        self.items = []

    def watch(self, page):
        page.on("pageerror", lambda error: self.items.append(f"JavaScript error: {error}"))
        page.on("console", self._console)

    def _console(self, message):
        if message.type != "error":
            return
        if "Content Security Policy" in message.text:
            self.items.append(f"CSP violation: {message.text}")
        elif message.text.startswith("htmx:"):  # e.g. a trigger htmx cannot parse
            self.items.append(f"htmx error: {message.text}")


@pytest.fixture
def new_context(browser, live_server):
    """new_context(language="en", viewport=DESKTOP) → a fresh browser context on the live server."""
    contexts = []
    problems = PageProblems()

    def make(language="en", viewport=DESKTOP, **kwargs):
        context = browser.new_context(
            base_url=live_server.url,
            viewport=viewport,
            locale={"en": "en-GB", "sl": "sl-SI"}.get(language, language),
            **kwargs,
        )
        context.set_default_timeout(10_000)
        context.add_cookies(
            [{"name": "django_language", "value": language, "url": live_server.url}]
        )
        context.on("page", problems.watch)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()
    assert not problems.items, "\n".join(problems.items)


@pytest.fixture
def context(new_context):
    return new_context()


@pytest.fixture
def page(context):
    return context.new_page()


@pytest.fixture
def log_in(live_server):
    """log_in(context, member): a logged-in session for that member's organisation, as a cookie.

    Logging in through the form is tested once (test_login); the other tests skip the form.
    """
    from django.conf import settings
    from django.test import Client

    def do(context, member):
        client = Client()
        client.force_login(member.user)
        session = client.session
        session["organisation_id"] = member.organisation_id
        session.save()
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": session.session_key,
                    "url": live_server.url,
                    "httpOnly": True,
                }
            ]
        )

    return do


# axe-core leaves an aria-describedby that points nowhere "for review" (a help text or an error
# message a screen reader never reads); here it is a failure, like a duplicate id.
BROKEN_REFERENCES = """() => {
  const problems = [];
  const seen = new Set();
  for (const element of document.querySelectorAll('[id]')) {
    if (seen.has(element.id)) problems.push(`duplicate id "${element.id}"`);
    seen.add(element.id);
  }
  const missing = id => !document.getElementById(id);
  const attrs = ['aria-describedby', 'aria-labelledby', 'aria-controls', 'aria-errormessage'];
  for (const attr of attrs) {
    for (const element of document.querySelectorAll(`[${attr}]`)) {
      for (const id of element.getAttribute(attr).split(/\\s+/).filter(Boolean).filter(missing)) {
        problems.push(`${attr}="${id}" points nowhere: ${element.outerHTML.slice(0, 120)}`);
      }
    }
  }
  for (const label of document.querySelectorAll('label[for]')) {
    if (missing(label.htmlFor)) problems.push(`label for="${label.htmlFor}" points nowhere`);
  }
  return problems;
}"""


# axe-core's colour-contrast rule skips much joined Arabic and Persian text (it takes it for an
# icon font): on such pages every visible element with text of its own is checked.
EVERY_TEXT_CONTRAST = """
axe.configure({rules: [{id: "color-contrast", matches: function (node) {
  const text = Array.from(node.childNodes).some(n => n.nodeType === 3 && n.textContent.trim());
  const style = window.getComputedStyle(node);
  return text && style.visibility !== "hidden" && style.display !== "none"
    && node.getClientRects().length > 0;
}}]});
"""


def assert_accessible(page, what=""):
    """axe-core finds no violation on the page as it is now; the message lists what it found."""
    from axe_playwright_python.base import AXE_SCRIPT
    from axe_playwright_python.sync_playwright import Axe

    arabic_script = page.locator("html").get_attribute("lang") in ("ar", "fa")
    axe = Axe(AXE_SCRIPT + EVERY_TEXT_CONTRAST) if arabic_script else Axe()
    results = axe.run(page)
    violations = results.response["violations"]
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation.get('impact')}): {violation.get('help')}")
        for node in violation["nodes"]:
            lines.append(f"    {node['target']}  {node.get('html', '')[:160]}")
    where = f"{what} ({page.url})" if what else page.url
    assert results.violations_count == 0, f"axe-core on {where}:\n" + "\n".join(lines)
    broken = page.evaluate(BROKEN_REFERENCES)
    assert not broken, f"Broken id references on {where}:\n    " + "\n    ".join(broken)


# --- Data ------------------------------------------------------------------------------------


@pytest.fixture
def counsellor(make_member, org_a):
    return make_member("counsellor", org_a, email="counsellor@example.org")


@pytest.fixture
def admin_member(make_member, org_a):
    return make_member("admin", org_a, email="admin@example.org")


@pytest.fixture
def family(counsellor):
    """The Kovalenko household: four persons, one with consents, one with an old-passport alias."""
    from most.people import services

    household = services.household_create(
        member=counsellor,
        name="Kovalenko family",
        municipality="Ljubljana",
        address="Celovška cesta 1",
    )
    people = {}
    for key, given, relationship, born in (
        ("father", "Олександр", "head", datetime.date(1984, 3, 12)),
        ("mother", "Оксана", "spouse", datetime.date(1986, 7, 2)),
        ("son", "Андрій", "child", datetime.date(2012, 1, 20)),
        ("daughter", "Марія", "child", datetime.date(2016, 9, 5)),
    ):
        person = services.person_register(
            member=counsellor,
            fields={
                "given_name": given,
                "family_name": "Коваленко",
                "birth_date": born,
                "country_of_origin": "UA",
                "citizenship": "UA",
                "residence_status": "TP_BENEFICIARY",
                "municipality": "Ljubljana",
                "phone": "041 234 567" if key == "father" else "",
            },
            aliases=["Aleksandr Kovalenko"] if key == "father" else (),
            languages=["uk", "ru"],
        )
        services.household_add_member(
            member=counsellor, household=household, person=person, relationship=relationship
        )
        people[key] = person
    today = timezone.localdate()
    services.consent_record(
        member=counsellor,
        person=people["father"],
        fields={
            "purpose": "registration",
            "given_on": today - datetime.timedelta(days=30),
            "evidence": "signed",
            "evidence_reference": "F-2026-17",
        },
    )
    services.consent_record(
        member=counsellor,
        person=people["father"],
        fields={
            "purpose": "photos",
            "given_on": today - datetime.timedelta(days=400),
            "expires_on": today - datetime.timedelta(days=35),
            "evidence": "verbal",
        },
    )
    people["household"] = household
    return people


@pytest.fixture
def others(counsellor, make_person):
    """A few more persons in other scripts, so lists are not all one family."""
    return [
        make_person(
            counsellor,
            given_name="محمد",
            family_name="الحسن",
            given_name_latin="Mohammed",
            family_name_latin="Al-Hassan",
            country_of_origin="SY",
            birth_year=1990,
        ),
        make_person(counsellor, given_name="Amra", family_name="Ređepi", country_of_origin="XK"),
        make_person(counsellor, given_name="Jiyan", family_name="Demir", country_of_origin="TR"),
    ]
