"""The public service finder in a real browser: a migrant on a phone, in Arabic, finds legal aid
that is open now and speaks Arabic, and prints its page; every public page passes axe-core in
all seven languages."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from most.demo.catalogue import seed_catalogue
from most.demo.generator import seed_organisations_and_users
from most.directory import public_views
from most.directory.models import Service

from .conftest import PHONE, assert_accessible

pytestmark = pytest.mark.browser

# A Wednesday at eleven in Ljubljana: the Ljubljana legal aid (Mondays and Wednesdays 10–16) is
# open, Maribor's (Thursdays) and Koper's (Fridays) are not.
WEDNESDAY_MORNING = datetime.datetime(2026, 12, 2, 11, tzinfo=ZoneInfo("Europe/Ljubljana"))
LANGUAGES = ["sl", "en", "uk", "ar", "fa", "sq", "ru"]
RTL = {"ar", "fa"}


@pytest.fixture
def catalogue(db, monkeypatch):
    seed_organisations_and_users()
    seed_catalogue(today=datetime.date(2026, 12, 1))
    # The live server runs in this process: its "now" is the test's.
    monkeypatch.setattr(public_views, "now", lambda: WEDNESDAY_MORNING)


def no_sideways_scroll(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width} px wide on a {PHONE['width']} px phone"


def test_a_migrant_on_a_phone_finds_arabic_legal_aid_open_now_and_prints_it(new_context, catalogue):
    context = new_context(language="ar", viewport=PHONE)
    # Printing opens the system dialog; here it only records that it was asked for.
    context.add_init_script("window.print = () => { window.printed = true; };")
    page = context.new_page()
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    page.get_by_role("link", name="ابحث عن خدمة").first.click()
    expect(page.locator("h1")).to_have_text("ابحث عن خدمة")
    page.get_by_label("نوع الخدمة").select_option(label="المساعدة القانونية")
    page.get_by_label("لغة التواصل").select_option("ar")
    page.get_by_label("مفتوح الآن").check()
    page.get_by_role("button", name="بحث").click()
    results = page.locator(".service-card h3")
    expect(results).to_have_count(1)
    expect(results).to_have_text("مساعدة قانونية مجانية")
    no_sideways_scroll(page)
    assert_accessible(page, "finder, legal aid open now [ar, phone]")

    results.get_by_role("link").click()
    expect(page.locator("h1")).to_have_text("مساعدة قانونية مجانية")
    expect(page.locator(".badges")).to_contain_text("مفتوح الآن")
    expect(page.locator("table.hours")).to_contain_text("10:00–16:00")
    no_sideways_scroll(page)
    assert_accessible(page, "service page [ar, phone]")

    page.get_by_role("button", name="طباعة هذه الصفحة").click()
    assert page.evaluate("window.printed") is True
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.get_by_role("button", name="طباعة هذه الصفحة")).to_be_hidden()
    expect(page.locator("h1")).to_be_visible()
    assert page.pdf(format="A4").startswith(b"%PDF")


@pytest.mark.parametrize("language", LANGUAGES)
def test_public_pages_are_accessible_in_every_language(new_context, catalogue, language):
    page = new_context(language=language).new_page()
    direction = "rtl" if language in RTL else "ltr"
    service = Service.objects.get(name="Brezplačna pravna pomoč")
    for url, what in (
        ("/", "home"),
        ("/services/", "finder"),
        ("/services/?category=legal-aid&free=on&open=on", "finder with filters"),
        ("/services/?q=nothing-like-this", "finder without results"),
        (f"/services/{service.pk}/", "service page"),
        (f"/services/{service.pk}/?print=1", "printable service page"),
    ):
        page.goto(url)
        expect(page.locator("html")).to_have_attribute("lang", language)
        expect(page.locator("html")).to_have_attribute("dir", direction)
        assert_accessible(page, f"{what} [{language}]")


def test_the_finder_works_by_keyboard_and_without_javascript(browser, live_server, catalogue):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page = context.new_page()
    page.goto("/services/")
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")  # the first control of the page
    page.keyboard.type("legal aid")
    page.keyboard.press("Enter")
    expect(page.locator(".service-card h3")).to_have_count(5)
    context.close()


def test_the_results_show_on_a_map_on_request(new_context, catalogue, settings):
    # Tiles from the server itself (one image for every tile): no network in tests.
    settings.MAP_TILES = "/static/vendor/leaflet/images/layers.png?{z}/{x}/{y}"
    page = new_context(language="uk").new_page()
    page.goto("/services/?category=legal-aid")
    expect(page.locator("#results-map")).to_be_hidden()
    assert page.evaluate("typeof window.L") == "undefined"  # not loaded until asked for
    toggle = page.get_by_role("button", name="Показати результати на мапі")
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    markers = page.locator(".leaflet-marker-icon")
    expect(markers).to_have_count(5)
    # By keyboard: two services share one address, one marker above the other.
    markers.first.focus()
    page.keyboard.press("Enter")
    expect(page.locator(".leaflet-popup-content a")).to_have_count(1)
    assert_accessible(page, "finder with its map [uk]")


@pytest.mark.parametrize("language", ["en", "sl"])
def test_the_staff_catalogue_pages_are_accessible(new_context, log_in, catalogue, language):
    from most.accounts.models import Membership

    coordinator = Membership.objects.get(
        user__email="coordinator@most.example", organisation__name="Društvo Vez"
    )
    context = new_context(language=language)
    log_in(context, coordinator)
    page = context.new_page()
    service = Service.objects.get(name="Integracijsko svetovanje")
    for url, what in (
        ("/app/catalogue/", "our services"),
        ("/app/catalogue/?stale=1", "stale services"),
        ("/app/catalogue/services/new/", "new service"),
        (f"/app/catalogue/services/{service.pk}/", "a service's form"),
        (f"/app/catalogue/services/{service.pk}/translation/?language=ar", "a translation"),
        ("/app/catalogue/import/", "import"),
    ):
        page.goto(url)
        assert_accessible(page, f"{what} [{language}]")
    page.goto("/app/catalogue/services/new/")
    page.locator("main button[type=submit]").click()  # nothing filled in
    expect(page.locator(".form-errors")).to_be_visible()
    assert_accessible(page, f"new service with errors [{language}]")


@pytest.mark.parametrize("language", ["en", "sl"])
def test_the_catalogue_of_professionals_is_accessible(new_context, log_in, catalogue, language):
    from most.accounts.models import Membership
    from most.demo.catalogue import seed_professionals

    seed_professionals()
    mediator = Membership.objects.get(user__email="mediator@most.example")
    context = new_context(language=language)
    log_in(context, mediator)
    page = context.new_page()
    page.goto("/app/professionals/?language=sq")
    expect(page.locator(".service-card h3").first).to_be_visible()
    assert_accessible(page, f"professionals [{language}]")
    page.goto("/app/professionals/mine/")
    assert_accessible(page, f"own entry [{language}]")
    for box in page.locator("main input[name=roles]").all():
        box.uncheck()
    page.locator("main form button[type=submit]").first.click()
    expect(page.locator(".form-errors")).to_be_visible()
    assert_accessible(page, f"own entry with errors [{language}]")
