"""The Slovenian catalogue is complete, compiled and used: pages and service errors speak Slovenian.

Slovenian is the default language in production; the root conftest switches the tests to English,
so these tests ask for Slovenian explicitly (cookie, Accept-Language or translation.override).
"""

import datetime
import gettext
import re
import shutil
import subprocess

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

CATALOGUE = settings.BASE_DIR / "most" / "locale" / "sl" / "LC_MESSAGES" / "django.po"
COMPILED = CATALOGUE.with_suffix(".mo")
SLOVENIAN_PLURALS = (
    "nplurals=4; plural=(n%100==1 ? 0 : n%100==2 ? 1 : n%100==3 || n%100==4 ? 2 : 3);"
)


def require_msgfmt():
    if shutil.which("msgfmt") is None:
        pytest.skip("msgfmt (GNU gettext) is not installed; CI installs it (scripts/test.sh)")


def msgfmt_statistics():
    msgfmt = shutil.which("msgfmt")
    result = subprocess.run(  # noqa: S603 - a fixed command on the project's own file
        [msgfmt, "--check", "--statistics", "-o", "/dev/null", str(CATALOGUE)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    return result.returncode, (result.stdout + result.stderr).strip()


def test_the_compiled_catalogue_in_git_is_the_po_compiled(tmp_path):
    """A fresh clone serves Slovenian from its first request only if the .mo matches the .po."""
    require_msgfmt()
    fresh = tmp_path / "django.mo"
    subprocess.run(  # noqa: S603 - a fixed command on the project's own file
        [shutil.which("msgfmt"), "-o", str(fresh), str(CATALOGUE)], check=True, timeout=60
    )
    with COMPILED.open("rb") as committed, fresh.open("rb") as compiled:
        assert gettext.GNUTranslations(committed)._catalog == (
            gettext.GNUTranslations(compiled)._catalog
        ), "The compiled catalogue is out of date: run make messages."


def test_catalogue_is_complete_without_fuzzy_entries():
    require_msgfmt()
    returncode, report = msgfmt_statistics()
    assert returncode == 0, report
    assert "translated message" in report, report
    assert "untranslated" not in report, report
    assert "fuzzy" not in report, report
    assert "warning" not in report, report


def test_catalogue_header_declares_slovenian_with_four_plural_forms():
    header = CATALOGUE.read_text(encoding="utf-8").split("\n\n", 1)[0]
    unwrapped = re.sub(r'"\n"', "", header)
    assert "Language: sl\\n" in unwrapped
    assert "Content-Type: text/plain; charset=UTF-8\\n" in unwrapped
    assert "Project-Id-Version: Most\\n" in unwrapped
    assert f"Plural-Forms: {SLOVENIAN_PLURALS}\\n" in unwrapped
    assert "#, fuzzy" not in header


@pytest.mark.parametrize("how", ["cookie", "accept-language"])
def test_login_page_renders_in_slovenian(client, how):
    if how == "cookie":
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sl"
        response = client.get("/app/login/")
    else:
        response = client.get("/app/login/", HTTP_ACCEPT_LANGUAGE="sl")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="sl"' in html
    assert "Prijava v Most" in html
    assert "Preskoči na glavno vsebino" in html
    assert "Log in to Most" not in html


def test_login_page_stays_english_when_english_is_asked_for(client):
    html = client.get("/app/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en"' in html
    assert "Log in to Most" in html


def test_person_service_error_is_in_slovenian(alice):
    from most.people.services import person_register

    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with translation.override("sl"), pytest.raises(ValidationError) as caught:
        person_register(
            member=alice,
            fields={"given_name": "Oleksandr", "family_name": "Kovalenko", "birth_date": tomorrow},
        )
    assert caught.value.message_dict["birth_date"] == ["Datum rojstva ne more biti v prihodnosti."]


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (1, "1 oseba"),
        (2, "2 osebi"),
        (3, "3 osebe"),
        (4, "4 osebe"),
        (5, "5 oseb"),
        (101, "101 oseba"),
        (111, "111 oseb"),
    ],
)
def test_slovenian_plural_forms(count, expected):
    with translation.override("sl"):
        text = translation.ngettext("%(counter)s person", "%(counter)s persons", count)
    assert text % {"counter": count} == expected


# --- The public pages' other languages -------------------------------------------------------
# Their catalogues translate what the public pages show (the staff workspace speaks Slovenian
# and English only: STAFF_LANGUAGES); which sources those are:
PUBLIC_LANGUAGES = [code for code, _name in settings.LANGUAGES if code not in ("sl", "en")]
PUBLIC_SOURCES = (
    "most/templates/public/",
    "most/info/templates/",
    "most/directory/templates/directory/public/",
    "most/directory/forms.py",
    "most/directory/public_views.py",
    "most/directory/templatetags/directory_public.py",
    "most/templates/includes/pagination.html",
    "most/templates/includes/language_form.html",
    # The referral letter the person takes along, in their language beside Slovenian.
    "most/referrals/templates/referrals/letter.html",
    "most/referrals/templates/referrals/letter_column.html",
)


def po_entries(path):
    """(sources, msgid, [msgstr…], fuzzy) of each entry of a .po file (its header left out)."""
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n")[1:]:
        sources = " ".join(line[3:] for line in block.splitlines() if line.startswith("#: "))
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in block.splitlines())
        parts = re.findall(r'^(msgid|msgid_plural|msgstr(?:\[\d\])?) ((?:".*"\n?)+)', block, re.M)
        values = {key: "".join(re.findall(r'"(.*)"', text)) for key, text in parts}
        if "msgid" in values:
            strings = [v for k, v in values.items() if k.startswith("msgstr")]
            entries.append((sources, values["msgid"], strings, fuzzy))
    return entries


@pytest.mark.parametrize("language", PUBLIC_LANGUAGES)
def test_every_string_of_the_public_pages_is_translated(language):
    path = settings.BASE_DIR / "most" / "locale" / language / "LC_MESSAGES" / "django.po"
    public = [e for e in po_entries(path) if any(s in e[0] for s in PUBLIC_SOURCES)]
    assert len(public) > 40
    untranslated = [msgid for _s, msgid, strings, fuzzy in public if fuzzy or not all(strings)]
    assert untranslated == []


@pytest.mark.parametrize("language", PUBLIC_LANGUAGES)
def test_the_public_languages_compiled_catalogues_match_their_po(tmp_path, language):
    require_msgfmt()
    po = settings.BASE_DIR / "most" / "locale" / language / "LC_MESSAGES" / "django.po"
    fresh = tmp_path / "django.mo"
    subprocess.run(  # noqa: S603 - a fixed command on the project's own file
        [shutil.which("msgfmt"), "--check", "-o", str(fresh), str(po)], check=True, timeout=60
    )
    with po.with_suffix(".mo").open("rb") as committed, fresh.open("rb") as compiled:
        assert gettext.GNUTranslations(committed)._catalog == (
            gettext.GNUTranslations(compiled)._catalog
        ), "The compiled catalogue is out of date: run make messages."


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("uk", "Знайти послугу"),
        ("ar", "ابحث عن خدمة"),
        ("fa", "یافتن خدمت"),
        ("sq", "Gjeni një shërbim"),
        ("ru", "Найти услугу"),
    ],
)
def test_the_finder_speaks_the_visitors_language(client, db, language, words):
    html = client.get("/services/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert f'<html lang="{language}"' in html
    assert words in html
    assert "Find a service" not in html
