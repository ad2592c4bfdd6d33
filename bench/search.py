"""Search benchmark: the person list's search as staff use it, at national scale, over HTTP.

    .venv/bin/python bench/search.py [--persons 200000] [--db sqlite|postgres|both]

Each database gets a fresh database of its own (a temporary SQLite file; a `most_bench` database
on the local PostgreSQL), never the developer's. Django reads its settings at import, so the
parent process runs every database in a child process of this same script (`--child`) and prints
the combined table; bench/README.md explains the figures and gets the newest ones.

Every process of a run, the server included, imports the application from a copy of most/ taken
when the run begins, so that edits to the work tree during the run do not mix two versions.

What a run does:

1. one process (`--vocabulary`) reads real names per country of origin from names-dataset and
   Faker into a compact JSON file (names-dataset alone takes ~1 GB while it is loaded);
2. per database: migrate, seed the demo organisations and users, write 1,000 persons with those
   names through `bulk_persons` into the first organisation and count the SQL queries of the
   list, search and detail pages; write the rest (all in that one organisation: the worst case)
   and count again; count the vocabulary (distinct names, distinct search keys);
3. start the production server (`most serve`: gunicorn, DEBUG off) on the bench database, log in
   over HTTP as the case worker and time, interleaved round-robin after warm-up requests, the
   trivial view (GET /health/), the search as the HTMX fragment for six kinds of query (50 each,
   from random persons with a fixed seed) and the workspace home;
4. stop the server; check with `person_search` whether the intended person is among the
   matches, replay the searches in-process to see their SQL statements.
"""

import argparse
import bisect
import contextlib
import datetime
import gc
import http.client
import itertools
import json
import os
import platform
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "bench" / "README.md"
RESULTS_DIR = ROOT / "bench" / "results"
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
PG_DATABASE = "most_bench"
LOGIN = "caseworker@most.example"
SMALL = 1_000  # the size at which query counts are taken first
QUERIES_PER_KIND = 50
WARMUP_ROUNDS = 5  # warm-up requests of every kind before timing
SEED = 2026
KINDS = ("exact", "partial", "other-script", "misspelt", "one-letter", "two-letters")
TRIVIAL, HOME = "trivial view", "workspace home"
REQUESTS = (TRIVIAL, *KINDS, HOME)
TARGET_P95_MS = 50
TARGET_HOME_P95_MS = 100
TARGET_RECALL = 0.95
TARGET_QUERIES = 10
MARK_START = "<!-- bench:results:start -->"
MARK_END = "<!-- bench:results:end -->"
HTMX = {"HX-Request": "true", "HX-Target": "results"}


# --- Vocabulary: real names per country of origin ----------------------------------------
#
# names-dataset (Facebook users' names, ranked by frequency per country) has 15,000–19,000
# family names for SY, AF, AL, RU, TR, IQ and IR, and nothing for UA, XK, BA and MK; Faker has
# a few hundred Ukrainian and about a hundred Macedonian names. Each list keeps its order of
# frequency; persons draw from it with Zipf-like weights (rank + ZIPF_OFFSET) ** -ZIPF_EXPONENT,
# flatter than 1 / rank because the lists stop where a real population's long tail of rare
# names goes on.

# Who comes to the network, like COUNTRY_WEIGHTS of the demo (most/demo/names.py), with Iraq and
# Iran beside Syria and Afghanistan. `like` is the demo country whose residence statuses and
# languages the person gets.
COUNTRIES = {
    "UA": (30, "UA"),
    "SY": (9, "SY"),
    "AF": (9, "AF"),
    "XK": (12, "XK"),
    "BA": (12, "BA"),
    "MK": (6, "MK"),
    "AL": (6, "AL"),
    "RU": (5, "RU"),
    "TR": (5, "TR"),
    "IQ": (3, "SY"),
    "IR": (3, "AF"),
}
ARABIC_COUNTRIES = ("SY", "IQ", "AF", "IR")
ARABIC_SHARE = 0.3  # of their persons write their names in Arabic script as well
MK_ALBANIAN_SHARE = 0.25  # a quarter of North Macedonia's people are Albanian
ZIPF_OFFSET = {"family": 100, "given": 20}
ZIPF_EXPONENT = 0.8

# Not given names: "Abu", "Umm" (father, mother of) and the like begin a kunya.
_NOT_GIVEN = {"Abu", "Abo", "Um", "Umm", "Om", "ابو", "أبو", "ام", "أم", "Haji", "Sayed"}
_PATRONYMIC = ("ович", "евич", "овна", "евна", "ична", "инична")
_RUSSIAN_FEMININE = ("ова", "ева", "ёва", "ина", "ына", "ская", "цкая", "ая", "яя")
_RUSSIAN_MASCULINE = ("ов", "ев", "ёв", "ин", "ын", "ский", "цкий", "ой", "ый", "ий")
_UKRAINIAN_ENDINGS = ("енко", "чук", "щук", "юк", "ук")
_UKRAINIAN_LATIN_ENDINGS = ("enko", "chuk", "czuk", "iuk", "yuk")
_ARABIC_SCRIPT = re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
_ARABIC_MARKS = re.compile(r"[\u064b-\u065f\u0670\u0640]")  # vowel signs, shadda, tatweel
_ASCII_NAME = re.compile(r"[A-Za-z]+(?:[ '-][A-Za-z]+)?")


def _script(name):
    """'latin', 'cyrillic', 'arabic' or '' (mixed, other, or not a plausible name)."""
    scripts = set()
    for char in name:
        if char.isalpha():
            scripts.add(unicodedata.name(char, "?").split()[0])
        elif char not in " -'’":
            return ""
    if len(scripts) != 1:
        return ""
    return {"LATIN": "latin", "CYRILLIC": "cyrillic", "ARABIC": "arabic"}.get(scripts.pop(), "")


def _plausible(name, script):
    """A name as people write it on a form: one or two words, letters of one script."""
    words = name.split()
    if not 1 <= len(words) <= 2 or _script(name) != script:
        return False
    if sum(c.isalpha() for c in name) < 3 or re.search(r"(.)\1\1", name.lower()):
        return False
    capitalised = all(w[0].isupper() and not w[1:].isupper() for w in words)
    return script == "arabic" or capitalised


# Pairing a name in Arabic script with a Latin spelling of it from the same country's list: the
# Arabic letters, read as the Latin letters passports write for them, with the short vowels that
# Arabic script leaves unwritten allowed between them (محمود: Mahmoud, Mahmood, not Mohamad).
_ARABIC_LATIN = {
    "ب": "b",
    "پ": "p",
    "ت": "t",
    "ث": "(?:th|s|t)",
    "ج": "(?:j|g|dj)",
    "چ": "(?:ch|tch)",
    "ح": "h",
    "خ": "(?:kh|h|ch|x)",
    "د": "d",
    "ذ": "(?:dh|z|th|d)",
    "ر": "r",
    "ز": "z",
    "ژ": "(?:zh|j)",
    "س": "s",
    "ش": "(?:sh|ch|sch)",
    "ص": "s",
    "ض": "(?:d|dh|z)",
    "ط": "t",
    "ظ": "(?:z|dh)",
    "غ": "(?:gh|g)",
    "ف": "(?:f|ph)",
    "ق": "(?:q|k|g)",
    "ك": "k",
    "ک": "k",
    "گ": "g",
    "ل": "l",
    "م": "m",
    "ن": "n",
    "ه": "h",
    "و": "(?:w|v|o|u|ou|oo|aw|ow)",
    "ي": "(?:y|i|ee|ei|ai|ey|ay|e|ie)",
    "ی": "(?:y|i|ee|ei|ai|ey|ay|e|ie)",
    "ا": "(?:a|aa|e|u)",
    "آ": "(?:a|aa)",
    "ى": "(?:a|i|y|e)",
}
_ARABIC_INITIAL = {"ا": "[aeiou]?", "أ": "[aeiou]?", "إ": "[ie]?", "ع": "[aeiou]?"}
_ARABIC_FINAL = {"ه": "(?:eh|ah|h|e|a)?", "ة": "(?:a|ah|eh|e|at)?"}
_ARABIC_ANYWHERE = {"ع": "[aeiou]?", "ء": "", "ئ": "[ie]?", "ؤ": "[uo]?", "أ": "[aeiou]?"}
_SHORT_VOWEL = "(?:[aeiou]|ou)?"


def _arabic_pattern(name):
    """A regular expression for the Latin spellings (lower case, letters only) of name."""
    letters = [c for c in _ARABIC_MARKS.sub("", unicodedata.normalize("NFKC", name)) if c.isalpha()]
    parts = ["^[aeiou]?"]
    for i, char in enumerate(letters):
        if i == 0 and char in _ARABIC_INITIAL:
            parts.append(_ARABIC_INITIAL[char])
        elif i == len(letters) - 1 and char in _ARABIC_FINAL:
            parts.append(_ARABIC_FINAL[char])
        elif char in _ARABIC_ANYWHERE:
            parts.append(_ARABIC_ANYWHERE[char])
        elif char in _ARABIC_LATIN:
            latin = _ARABIC_LATIN[char]
            # A consonant may be doubled (shadda is rarely written), a short vowel may follow.
            parts.append(f"(?:{latin}){{1,2}}" if len(letters) > 1 else latin)
        else:
            return None
        parts.append(_SHORT_VOWEL)
    return re.compile("".join(parts) + "$")


# The consonants that a name in Arabic script and its Latin spellings share: a first sieve
# before _arabic_pattern.
_ARABIC_CONSONANTS = dict(
    zip(
        "بپتثجچحخدذرزژسشصضطظغفقكکگلمنه",
        "bpttjShhdzrzzsSsdtzgfkkkglmnh",
        strict=True,
    )
)
_LATIN_DIGRAPHS = [
    ("sh", "S"),
    ("ch", "S"),
    ("kh", "h"),
    ("gh", "g"),
    ("th", "t"),
    ("dh", "z"),
    ("zh", "z"),
    ("ph", "f"),
    ("dj", "j"),
    ("q", "k"),
    ("c", "k"),
    ("x", "ks"),
]


def _dedupe(text):
    return re.sub(r"(.)\1+", r"\1", text)


def _arabic_consonants(name):
    name = _ARABIC_MARKS.sub("", unicodedata.normalize("NFKC", name))
    return _dedupe("".join(_ARABIC_CONSONANTS.get(c, "") for c in name))


def _latin_consonants(name):
    text = "".join(c for c in name.lower() if "a" <= c <= "z")
    for old, new in _LATIN_DIGRAPHS:
        text = text.replace(old, new)
    return _dedupe(re.sub(r"[aeiouwy]", "", text))


# Latin → Russian Cyrillic, for the Russian names that the data gives only in Latin letters:
# the passport tables read backwards (Sharifullin → Шарифуллин, Grigoryev → Григорьев).
_LATIN_RUSSIAN = [
    ("shch", "щ"),
    ("sch", "щ"),
    ("zh", "ж"),
    ("kh", "х"),
    ("ts", "ц"),
    ("tz", "ц"),
    ("ch", "ч"),
    ("sh", "ш"),
    ("ck", "к"),
    ("ph", "ф"),
    ("x", "кс"),
    ("j", "дж"),
    *zip("abvwgdezklmnoprstufhcq", "абввгдезклмнопрстуфхкк", strict=True),
]
_IOTATED = {"a": "я", "u": "ю", "o": "ё", "e": "е"}
_VOWELS = "aeiouy"


def russian_cyrillic(latin):
    return "".join(
        _russian_word(part) if part[:1].isalpha() else part
        for part in re.split(r"([^A-Za-z]+)", latin)
        if part
    )


def _russian_word(word):
    text, out, i = word.lower(), [], 0
    while i < len(text):
        prev, rest = (text[i - 1] if i else ""), text[i:]
        after_consonant = bool(prev) and prev not in _VOWELS
        if rest[:1] in "yj" and rest[1:2] in _IOTATED:
            # Grigoryev → Григорьев, but Polyakov → Поляков, Yulia / Julia → Юлия
            soft = after_consonant and rest[1] == "e"
            out.append(("ь" if soft else "") + _IOTATED[rest[1]])
            i += 2
        elif rest[:2] in ("ia", "iu"):
            out.append(("" if prev == "i" else "и") + _IOTATED[rest[1]])
            i += 2
        elif rest[:1] == "y":
            if i == len(text) - 1:  # Dmitry → Дмитрий, Sergey → Сергей
                out.append("ий" if after_consonant else "й")
            else:  # Krylov → Крылов, Aleksey-… → Алексей
                out.append("ы" if after_consonant else "й")
            i += 1
        elif rest == "i" and prev == "i":
            out.append("й")
            i += 1
        else:
            for old, new in _LATIN_RUSSIAN:
                if rest.startswith(old):
                    out.append(new)
                    i += len(old)
                    break
            else:
                out.append("и" if rest[0] == "i" else rest[0])
                i += 1
    cyrillic = "".join(out)
    return cyrillic[:1].upper() + cyrillic[1:]


# Latin → Ukrainian Cyrillic, the same for Ukrainian names (Hryhorenko, Grigorenko → Григоренко).
_LATIN_UKRAINIAN = [
    ("shch", "щ"),
    ("zh", "ж"),
    ("kh", "х"),
    ("ts", "ц"),
    ("ch", "ч"),
    ("cz", "ч"),
    ("sh", "ш"),
    ("sz", "ш"),
    ("ye", "є"),
    ("ie", "є"),
    ("yi", "ї"),
    ("yu", "ю"),
    ("iu", "ю"),
    ("ya", "я"),
    ("ia", "я"),
    ("x", "кс"),
    *zip("abvwghdeyizjklmnoprstufcq", "абввггдеиізйклмнопрстуфцк", strict=True),
]


def ukrainian_cyrillic(latin):
    text, out, i = latin.lower(), [], 0
    while i < len(text):
        after_vowel = i > 0 and text[i - 1] in "aeiou"
        if text[i] == "y" and after_vowel and (text[i + 1 : i + 2] or "-") not in _VOWELS:
            out.append("й")  # Boychuk → Бойчук
            i += 1
            continue
        for old, new in _LATIN_UKRAINIAN:
            if text.startswith(old, i):
                out.append(new)
                i += len(old)
                break
        else:
            out.append(text[i])
            i += 1
    cyrillic = "".join(out)
    return cyrillic[:1].upper() + cyrillic[1:]


def _russian_sex(family):
    """'F', 'M' or '' (either) for a Russian family name in Cyrillic."""
    if family.endswith(_RUSSIAN_FEMININE):
        return "F"
    return "M" if family.endswith(_RUSSIAN_MASCULINE) else ""


def _ranked(table, country):
    """[(name, info)] of names-dataset's table for one country, the most frequent first."""
    entries = [(info["rank"][country], name, info) for name, info in table.items()]
    return [(name, info) for _rank, name, info in sorted(entries, key=lambda e: e[:2])]


def _by_country(table, countries):
    """{country: [(name, info)]} in one pass over a names-dataset table."""
    found = {country: [] for country in countries}
    for name, info in table.items():
        for country in info["rank"].keys() & found.keys():
            found[country].append((info["rank"][country], name, info))
    return {c: [(n, i) for _r, n, i in sorted(e, key=lambda e: e[:2])] for c, e in found.items()}


def _sex(info):
    gender = info.get("gender") or {}
    if not gender:
        return ""
    return "M" if gender.get("M", 0) >= gender.get("F", 0) else "F"


def _unique(entries):
    seen, out = set(), []
    for entry in entries:
        if entry[0] not in seen:
            seen.add(entry[0])
            out.append(entry)
    return out


def extract_vocabulary(path):
    """Read names-dataset and Faker once; write {country: name sets} as JSON to path.

    A name set is {"share", "ranked", "given": {"M", "F"}, "family": {"M", "F"}}, each list of
    [native, Latin] (Latin "" when the name is already in Latin letters, filled in as the form
    does), the most frequent first when `ranked`.
    """
    sys.path.append(str(ROOT))  # the code snapshot on PYTHONPATH comes first
    from faker.providers.person import mk_MK, uk_UA
    from names_dataset import NameDataset

    from most.lib.names import latin_form

    started = time.perf_counter()
    dataset = NameDataset()
    print(f"names-dataset loaded in {time.perf_counter() - started:.0f} s", flush=True)
    wanted = ("SY", "AF", "AL", "RU", "TR", "IQ", "IR", "HR", "RS", "KZ", "MD")
    first = _by_country(dataset.first_names, wanted)
    last = _by_country(dataset.last_names, wanted)
    # Ukrainian family names that the data has in Latin letters only (emigrants' Kovalenko,
    # Boychuk, Antoniuk in any country's list).
    ukrainian_latin = sorted(
        name
        for name, info in dataset.last_names.items()
        if name.endswith(_UKRAINIAN_LATIN_ENDINGS)
        and _ASCII_NAME.fullmatch(name)
        and info["country"].get("TR", 0) < 0.2  # Büyük, Basibuyuk
    )
    del dataset

    def plain(name, _info, script):
        return [name, ""] if _plausible(name, script) else None

    def given(country, script, convert=None, exclude=()):
        out = {"M": [], "F": []}
        for name, info in first[country]:
            if not (sex := _sex(info)) or name in _NOT_GIVEN:
                continue
            if set(info["rank"]) & set(exclude):
                continue
            if entry := (convert or plain)(name, info, script):
                out[sex].append(entry)
        return out

    def family(country, script, convert=None, exclude=()):
        out = []
        for name, info in last[country]:
            if set(info["rank"]) & set(exclude) or name.endswith(_PATRONYMIC):
                continue
            if entry := (convert or plain)(name, info, script):
                out.append(entry)
        return out

    def both(entries):
        return {"M": entries, "F": entries}

    def one_word(given_names):
        """Albanian and South Slavic given names are one word ("Klinika Dentare" is a page)."""
        return {sex: [e for e in names if " " not in e[0]] for sex, names in given_names.items()}

    vocabulary = {}
    # Albanian, Kosovar (the same names: names-dataset has no Kosovo) and Turkish: Latin letters
    # with their diacritics.
    albanian = {"given": one_word(given("AL", "latin")), "family": both(family("AL", "latin"))}
    vocabulary["AL"] = [{"share": 1, "ranked": True, **albanian}]
    vocabulary["XK"] = [{"share": 1, "ranked": True, **albanian}]
    turkish = {"given": given("TR", "latin"), "family": both(family("TR", "latin"))}
    vocabulary["TR"] = [{"share": 1, "ranked": True, **turkish}]

    # Bosnian: names-dataset has no Bosnia; Croatia's and Serbia's lists hold the same names
    # (Hodžić, Begić, Mehmedović), Serbian Cyrillic in its Latin alphabet, family names in -ić.
    def bosnian(name, _info, _script_wanted):
        script = _script(name)
        if script == "cyrillic" and _plausible(name, "cyrillic"):
            name = latin_form(name, "RS")
        return [name, ""] if _plausible(name, "latin") else None

    def merged(lists):
        return _unique(e for e in itertools.chain(*itertools.zip_longest(*lists)) if e)

    bosnian_given = [one_word(given(c, "latin", convert=bosnian)) for c in ("HR", "RS")]
    bosnian_family = [family(c, "latin", convert=bosnian) for c in ("HR", "RS")]
    vocabulary["BA"] = [
        {
            "share": 1,
            "ranked": True,
            "given": {  # not the family names that the data also lists as given names
                s: [e for e in merged([g[s] for g in bosnian_given]) if not e[0].endswith("ić")]
                for s in "MF"
            },
            "family": both([e for e in merged(bosnian_family) if e[0].endswith("ić")]),
        }
    ]

    # Russian: Cyrillic as written, Latin by the passport table; names the data gives only in
    # Latin letters keep that spelling and get a Cyrillic form by the table read backwards.
    def russian(name, info, _script_wanted):
        script = _script(name)
        if script == "cyrillic" and _plausible(name, "cyrillic"):
            return [name, latin_form(name, "RU")]
        # In Latin letters, only names found mostly in Russia (not Fox, Black or Nguyen).
        russian = info["country"].get("RU", 0) >= 0.3
        if script == "latin" and russian and _ASCII_NAME.fullmatch(name):
            return [russian_cyrillic(name), name] if _plausible(name, "latin") else None
        return None

    russian_family = _unique(family("RU", "cyrillic", convert=russian))
    vocabulary["RU"] = [
        {
            "share": 1,
            "ranked": True,
            "given": {s: _unique(e) for s, e in given("RU", "", convert=russian).items()},
            "family": {
                s: [e for e in russian_family if _russian_sex(e[0]) in ("", s)] for s in "MF"
            },
        }
    ]

    # Ukrainian: Faker's uk_UA names (Cyrillic, Latin by the national passport table); the
    # Ukrainian family names (-енко, -чук, -юк) of names-dataset's Russian, Kazakh and Moldovan
    # lists; those it has only in Latin letters, with a Cyrillic form by the table backwards.
    ukrainian_family = [
        [name, latin_form(name, "UA")]
        for country in ("RU", "KZ", "MD")
        for name, _info in last[country]
        if name.endswith(_UKRAINIAN_ENDINGS)
        and _plausible(name, "cyrillic")
        and not set(name) & set("ыэёъЫЭЁЪ")
    ]
    ukrainian_family += [
        [ukrainian_cyrillic(name), name] for name in ukrainian_latin if _plausible(name, "latin")
    ]

    def faker(names, country):
        return [[name, latin_form(name, country)] for name in names]

    provider = uk_UA.Provider
    vocabulary["UA"] = [
        {
            "share": 1,
            "ranked": False,
            "given": {
                "M": faker(provider.first_names_male, "UA"),
                "F": faker(provider.first_names_female, "UA"),
            },
            "family": {
                "M": _unique(faker(provider.last_names_male, "UA") + ukrainian_family),
                "F": _unique(faker(provider.last_names_female, "UA") + ukrainian_family),
            },
        }
    ]
    provider = mk_MK.Provider
    vocabulary["MK"] = [
        {
            "share": 1 - MK_ALBANIAN_SHARE,
            "ranked": False,
            "given": {
                "M": faker(provider.first_names_male, "MK"),
                "F": faker(provider.first_names_female, "MK"),
            },
            "family": {
                "M": faker(provider.last_names_male, "MK"),
                "F": faker(provider.last_names_female, "MK"),
            },
        },
        {"share": MK_ALBANIAN_SHARE, "ranked": True, **albanian},
    ]

    # Syria, Iraq, Afghanistan, Iran: the passport's Latin spelling (no diacritics); some
    # persons also in Arabic script, where the same list has a Latin spelling with the same
    # consonants (محمد with Mohammed). Iran's list also holds Czech names: left out.
    for country in ARABIC_COUNTRIES:
        exclude = ("CZ",) if country == "IR" else ()

        def passport(name, _info, _script_wanted):
            ok = _ASCII_NAME.fullmatch(name) and _plausible(name, "latin")
            return [name, ""] if ok else None

        def arabic(name, _info, _script_wanted):
            return [name, ""] if _plausible(name, "arabic") else None

        latin = {
            "given": given(country, "latin", convert=passport, exclude=exclude),
            "family": family(country, "latin", convert=passport, exclude=exclude),
        }
        native = {
            "given": given(country, "arabic", convert=arabic),
            "family": family(country, "arabic", convert=arabic),
        }

        def pair(natives, latins):
            """[Arabic, Latin] for every Arabic name of which the list has a Latin spelling."""
            spellings = {}  # consonants → Latin names, the most frequent first
            for name, _ in latins:
                if len(key := _latin_consonants(name)) >= 2:
                    spellings.setdefault(key, []).append(name)
            pairs = []
            for name, _ in natives:
                candidates = spellings.get(_arabic_consonants(name), ())
                if candidates and (pattern := _arabic_pattern(name)):
                    for latin in candidates:
                        if pattern.match("".join(c for c in latin.lower() if c.isalpha())):
                            pairs.append([name, latin])
                            break
            return pairs

        paired_given = {s: pair(native["given"][s], latin["given"][s]) for s in "MF"}
        paired_family = pair(native["family"], latin["family"])
        vocabulary[country] = [
            {
                "share": 1 - ARABIC_SHARE,
                "ranked": True,
                "given": latin["given"],
                "family": both(latin["family"]),
            },
            {
                "share": ARABIC_SHARE,
                "ranked": True,
                "given": paired_given,
                "family": both(paired_family),
            },
        ]

    for country, sets in vocabulary.items():
        sizes = "; ".join(
            f"{s['share']:.0%}: {len(s['family']['M'])}/{len(s['family']['F'])} family, "
            f"{len(s['given']['M'])}/{len(s['given']['F'])} given (M/F)"
            for s in sets
        )
        print(f"  {country}: {sizes}", flush=True)
    Path(path).write_text(json.dumps(vocabulary, ensure_ascii=False), encoding="utf-8")
    print(f"vocabulary extracted in {time.perf_counter() - started:.0f} s", flush=True)


class NamePools:
    """The `names` of `bulk_persons`: a country, and names drawn by their frequency."""

    def __init__(self, vocabulary):
        self.countries = list(COUNTRIES)
        self.country_weights = list(itertools.accumulate(w for w, _like in COUNTRIES.values()))
        self.sets = {}
        for country in self.countries:
            sets = vocabulary[country]
            shares = list(itertools.accumulate(s["share"] for s in sets))
            self.sets[country] = (shares, [self._prepare(s) for s in sets])

    @staticmethod
    def _prepare(name_set):
        def weighted(entries, offset):
            if name_set["ranked"]:
                weights = ((rank + offset) ** -ZIPF_EXPONENT for rank in range(len(entries)))
            else:
                weights = itertools.repeat(1, len(entries))
            return entries, list(itertools.accumulate(weights))

        return {
            part: {s: weighted(name_set[part][s], ZIPF_OFFSET[part]) for s in "MF"}
            for part in ("given", "family")
        }

    @staticmethod
    def _choose(rng, entries_and_weights):
        entries, weights = entries_and_weights
        index = bisect.bisect(weights, rng.random() * weights[-1])
        return tuple(entries[min(index, len(entries) - 1)])

    def __call__(self, rng, sex):
        country = self.countries[
            bisect.bisect(self.country_weights, rng.random() * self.country_weights[-1])
        ]
        shares, sets = self.sets[country]
        name_set = sets[min(bisect.bisect(shares, rng.random() * shares[-1]), len(sets) - 1)]
        s = "F" if sex == "F" else "M"
        given = self._choose(rng, name_set["given"][s])
        family = self._choose(rng, name_set["family"][s])
        return country, COUNTRIES[country][1], given, family


# --- Queries ------------------------------------------------------------------------------

# Slovenian transcription of Russian and Ukrainian Cyrillic: how a Slovenian office often writes
# a name it heard or read (Шевченко → Ševčenko, Юлія → Julija), unlike the passport's Shevchenko.
_SLOVENE_LETTERS = "a b v g g d e je ž z i i ji j k l m n o p r s t u f h c č š šč _ ju ja jo i e _"
_CYRILLIC_LETTERS = "абвгґдеєжзиіїйклмнопрстуфхцчшщьюяёыэъ"
_SLOVENE = dict(zip(_CYRILLIC_LETTERS, _SLOVENE_LETTERS.split(" "), strict=True))
_SLOVENE_UKRAINIAN = {"г": "h", "и": "y"}
# Serbian Latin → Cyrillic, for Bosnian names written in Cyrillic.
_SERBIAN_CYRILLIC = [
    ("dž", "џ"),
    ("lj", "љ"),
    ("nj", "њ"),
    *zip("abcčćdđefghijklmnoprsštuvzž", "абцчћдђефгхијклмнопрсштувзж", strict=True),
]
# Passport spellings of one Arabic or Persian name differ in vowels, doubled letters and the
# article: Mohammed / Muhammad, Yousef / Yusuf, Al-Khatib / El-Khatib / Al Khatib.
_PASSPORT_VARIANTS = [
    (r"o", "u"),
    (r"u", "o"),
    (r"ou", "u"),
    (r"ee", "i"),
    (r"oo", "u"),
    (r"e", "i"),
    (r"i", "e"),
    (r"a(?=[^aeiou])", "e"),
    (r"([bcdfghklmnrst])\1", r"\1"),
    (r"(?<=[aeiou])([mnst])(?=[aeiou])", r"\1\1"),
    (r"^Al-", "El-"),
    (r"^Al-", "Al "),
    (r"^Al-(.)", lambda m: "Al" + m[1].lower()),
]


def _slovene(text, ukrainian):
    out = []
    for char in text:
        lower = char.lower()
        latin = (_SLOVENE_UKRAINIAN.get(lower) if ukrainian else None) or _SLOVENE.get(lower)
        if latin is None:
            latin = char
        latin = "" if latin == "_" else latin
        out.append(latin[:1].upper() + latin[1:] if char != lower and latin else latin)
    return "".join(out)


def _serbian_cyrillic(text):
    out, i = [], 0
    while i < len(text):
        for latin, cyrillic in _SERBIAN_CYRILLIC:
            chunk = text[i : i + len(latin)]
            if chunk.lower() == latin:
                out.append(cyrillic.upper() if chunk[0].isupper() else cyrillic)
                i += len(latin)
                break
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def _passport_variant(rng, name):
    options = []
    for pattern, replacement in _PASSPORT_VARIANTS:
        matches = list(re.finditer(pattern, name))
        if matches:
            match = rng.choice(matches)
            start, end = match.span()
            new = match.expand(replacement) if isinstance(replacement, str) else replacement(match)
            variant = name[:start] + new + name[end:]
            if variant != name:
                options.append(variant)
    return rng.choice(options) if options else None


def _letter_prefix(text, letters):
    """The start of text holding `letters` letters (Al-Ahmad, 4 → 'Al-Ah')."""
    count = 0
    for i, char in enumerate(text):
        count += char.isalpha()
        if count == letters:
            return text[: i + 1]
    return text


_ALPHABET = "abcdefghijklmnopqrstuvwxyz"


def _misspell(rng, word, first_letter):
    """One edit of word: at its first letter when first_letter, elsewhere otherwise."""
    letters = [i for i, c in enumerate(word) if c.isalpha()]
    kind = rng.choice(["substitution", "deletion", "insertion", "transposition"])
    i = letters[0] if first_letter else rng.choice(letters[1:])
    if kind == "transposition":
        j = i + 1 if first_letter or i + 1 < len(word) else i - 1
        if not word[j : j + 1].isalpha() or word[i].lower() == word[j].lower():
            kind = "substitution"
        else:
            a, b = sorted((i, j))
            chars = list(word)
            chars[a], chars[b] = chars[b], chars[a]
            if first_letter:  # keep the capital where a person would type it
                chars[a] = chars[a].upper()
                chars[b] = chars[b].lower()
            return "".join(chars), kind
    if kind == "deletion":
        return word[:i] + word[i + 1 :], kind
    letter = rng.choice(_ALPHABET)
    if kind == "insertion":
        new = letter.upper() if first_letter else letter
        return word[:i] + new + word[i:], kind
    letter = rng.choice([c for c in _ALPHABET if c != word[i].lower()])
    letter = letter.upper() if word[i].isupper() else letter
    return word[:i] + letter + word[i + 1 :], "substitution"


def _other_script_query(rng, person, kind):
    latin_given, latin_family = person.given_name_latin, person.family_name_latin
    if kind == "native":
        return f"{person.given_name} {person.family_name}"
    if kind == "slovene":
        ukrainian = person.country_of_origin == "UA"
        return f"{_slovene(person.given_name, ukrainian)} {_slovene(person.family_name, ukrainian)}"
    if kind == "passport":
        if rng.random() < 0.5:
            latin_given = _passport_variant(rng, latin_given) or latin_given
        else:
            latin_family = _passport_variant(rng, latin_family) or latin_family
        return f"{latin_given} {latin_family}"
    if kind == "serbian-cyrillic":
        return f"{_serbian_cyrillic(latin_given)} {_serbian_cyrillic(latin_family)}"
    raise ValueError(kind)


def _written(person, script):
    return _script(person.given_name) == script and _script(person.family_name) == script


# (kind, which persons, how many): 50 queries in other scripts.
_OTHER_SCRIPT_PLAN = [
    ("native", lambda p: p.country_of_origin in ("UA", "RU", "MK") and _written(p, "cyrillic"), 15),
    ("slovene", lambda p: p.country_of_origin in ("UA", "RU"), 10),
    ("native", lambda p: _written(p, "arabic"), 10),
    ("passport", lambda p: p.country_of_origin in ARABIC_COUNTRIES, 10),
    ("serbian-cyrillic", lambda p: p.country_of_origin == "BA", 5),
]


def _first_letter(name):
    for char in unicodedata.normalize("NFKD", name):
        if char.isalpha():
            char = char.lower()
            return {"ı": "i", "đ": "d"}.get(char, char)
    return ""


def build_queries(persons, rng, per_kind, letter_counts):
    """[(kind, detail, query text, target pk or None)]: per_kind of each kind.

    persons is a shuffled sample of persons; each query takes its own (removed from the list).
    """
    queries = []

    def take(count, where=lambda p: True):
        chosen = [p for p in persons if where(p)][:count]
        for person in chosen:
            persons.remove(person)
        return chosen

    for person in take(per_kind):
        text = f"{person.given_name_latin} {person.family_name_latin}"
        queries.append(("exact", "", text, person.pk))
    for n, person in enumerate(take(per_kind)):
        family = _letter_prefix(person.family_name_latin, rng.randint(3, 5))
        if n % 2 == 0:
            queries.append(("partial", "family prefix", family, person.pk))
        else:
            given = _letter_prefix(person.given_name_latin, rng.randint(2, 4))
            queries.append(("partial", "given+family prefixes", f"{given} {family}", person.pk))
    plan_total = sum(count for _kind, _where, count in _OTHER_SCRIPT_PLAN)
    for kind, where, count in _OTHER_SCRIPT_PLAN:
        for person in take(max(1, round(count * per_kind / plan_total)), where):
            text = _other_script_query(rng, person, kind)
            detail = f"{kind} ({person.country_of_origin})"
            queries.append(("other-script", detail, text, person.pk))
    for n, person in enumerate(take(per_kind, lambda p: len(p.family_name_latin) >= 3)):
        first_letter = n % 2 == 1
        family, kind = _misspell(rng, person.family_name_latin, first_letter)
        detail = f"{kind}, {'first letter' if first_letter else 'first letter kept'}"
        queries.append(("misspelt", detail, f"{person.given_name_latin} {family}", person.pk))
    letters = sorted(letter_counts)
    for letter in rng.choices(letters, weights=[letter_counts[c] for c in letters], k=per_kind):
        queries.append(("one-letter", "", letter, None))
    for person in take(per_kind, lambda p: _first_letter(p.family_name_latin) in _ALPHABET):
        queries.append(("two-letters", "", _letter_prefix(person.family_name_latin, 2), person.pk))
    return queries


# --- The production server and a browser talking to it ------------------------------------


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


# --- Measuring (child process) -------------------------------------------------------------


def _percentile(values, fraction):
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(fraction * len(ordered) + 0.5) - 1))]


# What each SQL statement of the search page is for, by its text.
_STATEMENTS = [
    ('UPDATE "django_session"', "session: save"),
    ('FROM "django_session"', "session"),
    ('"audit_auditedperson"', "audit: persons shown"),
    ("BEGIN", "BEGIN"),
    ("RELEASE SAVEPOINT", "RELEASE SAVEPOINT"),
    ("SAVEPOINT", "SAVEPOINT"),
    ('FROM "accounts_user"', "user"),
    ('FROM "accounts_membership"', "membership"),
    ("WITH RECURSIVE names", "municipality choices"),
    ("WITH w0 AS", "matches: page of ids and count"),
    ("SELECT (SELECT 1 FROM", "word statistics"),
    ("SELECT COUNT(*)", "result count"),
    ('FROM "people_searchvocabulary"', "misspelling: vocabulary"),
    ('FROM "people_searchvariant"', "misspelling: variants"),
    ("SELECT p.id FROM", "broad word: page in list order"),
    ('INSERT INTO "audit_', "audit entry"),
    ('SELECT "people_person"."id"', "page of 25"),
]


def statement_label(sql):
    for needle, label in _STATEMENTS:
        if needle in sql:
            return label
    return " ".join(sql.split())[:40]


class _DatabaseTimer:
    """Times every SQL statement: how many ran, how long they took, and what they were.

    A statement's time is its execute() plus fetching its rows: SQLite computes rows while they
    are fetched, so execute() alone would leave most of a large result's work uncounted.
    """

    def __init__(self):
        self.count, self.seconds, self.statements = 0, 0.0, []
        self._cursors = {}  # id of a cursor → its statement's index in self.statements

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self._cursors[id(context["cursor"])] = len(self.statements)
            self.statements.append([statement_label(sql), 0.0])
            self.count += 1
            self._add(context["cursor"], time.perf_counter() - start)

    def _add(self, cursor, seconds):
        index = self._cursors.get(id(cursor))
        if index is not None and index < len(self.statements):
            self.statements[index][1] += seconds * 1000
            self.seconds += seconds

    def reset(self):
        self.count, self.seconds, self.statements, self._cursors = 0, 0.0, [], {}

    @contextlib.contextmanager
    def fetches(self):
        """Also time the fetch methods of Django's cursors (which it delegates to the driver)."""
        from django.db.backends.utils import CursorWrapper

        timer = self

        def timed(name):
            def fetch(cursor, *args, **kwargs):
                start = time.perf_counter()
                try:
                    return CursorWrapper.__getattr__(cursor, name)(*args, **kwargs)
                finally:
                    timer._add(cursor, time.perf_counter() - start)

            return fetch

        for name in FETCHES:
            assert name not in CursorWrapper.__dict__, name
            setattr(CursorWrapper, name, timed(name))
        try:
            yield
        finally:
            for name in FETCHES:
                delattr(CursorWrapper, name)


FETCHES = ("fetchone", "fetchmany", "fetchall")


def _prepare_database(db):
    """Point DATABASE_URL at a fresh database; returns (data directory, function removing both)."""
    directory = tempfile.mkdtemp(prefix="most-bench-")
    os.environ["MOST_DATA_DIR"] = directory
    Path(directory, "static").mkdir()
    if db == "sqlite":
        os.environ["DATABASE_URL"] = f"sqlite:///{directory}/bench.sqlite3"
        return directory, lambda: shutil.rmtree(directory, ignore_errors=True)

    import psycopg

    def admin(sql):
        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
            conn.execute(sql)

    admin(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")
    admin(f"CREATE DATABASE {PG_DATABASE}")
    os.environ["DATABASE_URL"] = f"{PG_SERVER}/{PG_DATABASE}"

    def cleanup():
        admin(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")
        shutil.rmtree(directory, ignore_errors=True)

    return directory, cleanup


def _count_queries(client, urls):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for label, url, headers in urls:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, headers=headers)
        assert response.status_code == 200, (url, response.status_code)
        counts[label] = len(captured)
    return counts


def _misspelt_probe(member, person):
    """A one-letter misspelling of the person's name that only the fallback finds."""
    from most.people.selectors import PersonQuery, person_search

    family = person.family_name_latin
    for i in range(len(family) - 1, 0, -1):
        for letter in "zqxw":
            text = f"{person.given_name_latin} {family[:i]}{letter}{family[i + 1 :]}"
            result = person_search(member, PersonQuery(text=text))
            if result.similar and result.persons.filter(pk=person.pk).exists():
                return text
    return f"{person.given_name_latin} {family}"


def _page_urls(person, misspelt):
    query = urlencode({"q": f"{person.given_name_latin} {person.family_name_latin}"})
    misspelt = urlencode({"q": misspelt})
    return [
        ("list (no query)", "/app/persons/", {}),
        ("search, HTMX fragment", f"/app/persons/?{query}", HTMX),
        ("search, full page", f"/app/persons/?{query}", {}),
        ("misspelt search (fallback), fragment", f"/app/persons/?{misspelt}", HTMX),
        ("detail", f"/app/persons/{person.pk}/", {}),
    ]


def _explain(sql, params):
    from django.db import connection

    prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN ANALYZE "
    with connection.cursor() as cursor:
        cursor.execute(prefix + sql, params)
        rows = cursor.fetchall()
    if connection.vendor == "sqlite":
        return "\n".join(f"  {row[-1]}" for row in rows)
    return "\n".join(f"  {row[0]}" for row in rows)


def _slowest_statements(client, url, headers, how_many=3):
    """The slowest SQL statements of one request, with their parameters."""
    from django.db import connection

    statements = []

    def record(execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            statements.append((time.perf_counter() - start, sql, params))

    with connection.execute_wrapper(record):
        client.get(url, headers=headers)
    return sorted(statements, key=lambda s: s[0], reverse=True)[:how_many]


def run_child(args):
    directory, cleanup = _prepare_database(args.db)
    os.environ["DJANGO_SETTINGS_MODULE"] = "most.settings"
    os.environ["DEBUG"] = "true"  # in this process: the settings' development defaults
    sys.path.append(str(ROOT))  # the code snapshot on PYTHONPATH comes first
    import django

    # SIGTERM ends the run like Ctrl-C: the server is stopped and the database removed.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    django.setup()
    try:
        return _measure(args, directory)
    finally:
        from django.db import connections

        connections.close_all()
        cleanup()


def _path(kind, text):
    if kind == TRIVIAL:
        return "/health/", {}
    if kind == HOME:
        return "/app/", {}
    return f"/app/persons/?{urlencode({'q': text})}", HTMX


def _measure(args, directory):
    from django.core.management import call_command
    from django.db import connection, connections
    from django.test import Client
    from django.test.utils import setup_test_environment

    from most.accounts.models import Membership, User
    from most.demo.generator import DEMO_PASSWORD, bulk_persons, seed_organisations_and_users
    from most.people.models import Person

    # DEBUG off at run time, as in production (no query log); settings chose static storage.
    setup_test_environment(debug=False)
    out = {"db": args.db, "persons": args.persons, "stages": {}, "load": {}}

    def stage(name, start):
        seconds = time.perf_counter() - start
        out["stages"][name] = seconds
        print(f"[{args.db}] {name}: {seconds:.1f} s", flush=True)

    names = NamePools(json.loads(Path(args.names).read_text(encoding="utf-8")))
    start = time.perf_counter()
    call_command("migrate", verbosity=0)
    stage("migrate", start)
    organisation = seed_organisations_and_users()[0]
    user = User.objects.get(email=LOGIN)
    member = Membership.objects.select_related("user", "organisation").get(
        user=user, organisation=organisation
    )
    client = Client()
    client.force_login(user)

    small = min(SMALL, args.persons)
    start = time.perf_counter()
    bulk_persons(organisation, small, seed=1, names=names)
    stage(f"generate {small:,} persons", start)
    probe = Person.objects.filter(organisation=organisation).order_by("pk").first()
    misspelt = _misspelt_probe(member, probe)
    out["queries_per_page"] = {str(small): _count_queries(client, _page_urls(probe, misspelt))}

    if args.persons > small:
        start = time.perf_counter()
        bulk_persons(organisation, args.persons - small, seed=2, names=names)
        stage(f"generate {args.persons - small:,} more persons", start)
    if connection.vendor == "postgresql":
        # What autovacuum does a minute after a bulk load; without it the planner guesses.
        start = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        stage("VACUUM ANALYZE", start)
    elif args.sqlite_analyze:
        start = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        stage("ANALYZE", start)
    out["queries_per_page"][str(args.persons)] = _count_queries(client, _page_urls(probe, misspelt))
    out["probe"] = {"name": probe.latin_name, "misspelt": misspelt}
    out["vocabulary"] = _vocabulary(organisation)
    print(f"[{args.db}] vocabulary: {out['vocabulary']}", flush=True)

    start = time.perf_counter()
    rng = random.Random(SEED)
    family_names = Person.objects.filter(organisation=organisation).values_list(
        "family_name_latin", flat=True
    )
    letter_counts = {}
    for family in family_names.iterator(chunk_size=10_000):
        if (letter := _first_letter(family)) in _ALPHABET:
            letter_counts[letter] = letter_counts.get(letter, 0) + 1
    pks = list(Person.objects.filter(organisation=organisation).values_list("pk", flat=True))
    persons = list(Person.objects.filter(pk__in=rng.sample(pks, min(len(pks), 4000))))
    rng.shuffle(persons)
    warmup = build_queries(persons, rng, WARMUP_ROUNDS, letter_counts)
    queries = build_queries(persons, rng, QUERIES_PER_KIND, letter_counts)
    stage("build queries", start)
    connections.close_all()  # the server has the database to itself while it is timed

    start = time.perf_counter()
    with production_server(directory) as port:
        stage("start most serve", start)
        rows, home = _time_requests(args.db, port, queries, warmup, DEMO_PASSWORD, out)
    out["home"] = home
    stage(f"{len(rows)} timed requests (with warm-up)", start)

    from most.people.selectors import PersonQuery, person_search

    searches = [row for row in rows if row["kind"] in KINDS]
    start = time.perf_counter()
    for row in searches:
        result = person_search(member, PersonQuery(text=row["q"]))
        target = row["target"]
        row["found"] = target is not None and result.persons.filter(pk=target).exists()
        row["matches"] = result.persons.count()
        row["similar"] = result.similar
    stage("recall check", start)

    start = time.perf_counter()
    _replay(client, searches)
    stage("in-process replay", start)
    out["rows"] = rows

    if args.explain:
        out["explain"] = _explain_slowest(client, searches, args.explain)
    out["versions"] = _versions(connection)
    return out


def _vocabulary(organisation):
    from django.db import connection
    from django.db.models import Count

    from most.people.models import Person

    persons = Person.objects.filter(organisation=organisation)
    counts = persons.aggregate(
        family=Count("family_name", distinct=True),
        family_latin=Count("family_name_latin", distinct=True),
        given=Count("given_name", distinct=True),
        given_latin=Count("given_name_latin", distinct=True),
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(DISTINCT key) FROM people_personsearchkey")
        counts["search_keys"] = cursor.fetchone()[0]
        cursor.execute("SELECT COUNT(*) FROM people_personsearchkey")
        counts["search_key_rows"] = cursor.fetchone()[0]
    by_country = persons.values_list("country_of_origin").annotate(n=Count("id"))
    counts["countries"] = {str(country): n for country, n in by_country}
    return counts


def _time_requests(db, port, queries, warmup, password, out):
    """Warm up, then time every kind of request round-robin; returns (rows, home status)."""
    browser = Browser(port)
    browser.log_in(LOGIN, password)

    def plan(searches, rounds):
        by_kind = {kind: [] for kind in REQUESTS}
        for query in searches:
            by_kind[query[0]].append(query)
        by_kind[TRIVIAL] = [(TRIVIAL, "", "", None)] * rounds
        by_kind[HOME] = [(HOME, "", "", None)] * rounds
        return by_kind

    home_status = None
    by_kind = plan(warmup, WARMUP_ROUNDS)
    for n in range(WARMUP_ROUNDS):
        for kind in REQUESTS:
            if n < len(by_kind[kind]):
                _kind, _detail, text, _target = by_kind[kind][n]
                status, _body, _seconds = browser.get(*_path(kind, text))
                if kind == HOME:
                    home_status = status
                elif status != 200:
                    raise RuntimeError(f"warm-up {kind} {text!r} answered {status}")
    kinds = [kind for kind in REQUESTS if kind != HOME or home_status != 404]
    if home_status == 404:
        print(f"[{db}] GET /app/ answers 404: the workspace home is not available", flush=True)

    by_kind = plan(queries, QUERIES_PER_KIND)
    rounds = max(len(by_kind[kind]) for kind in kinds)
    rows = []
    out["load"]["before timing"] = os.getloadavg()[0]
    # No garbage collection in this process while it times: a full collection of the objects it
    # holds took ~50 ms, which showed as one slow request at the same place on every database.
    gc.collect()
    gc.freeze()
    gc.disable()
    for n in range(rounds):
        # Round-robin, starting one kind further each round: machine noise hits all alike.
        for kind in kinds[n % len(kinds) :] + kinds[: n % len(kinds)]:
            if n >= len(by_kind[kind]):
                continue
            _kind, detail, text, target = by_kind[kind][n]
            status, body, seconds = browser.get(*_path(kind, text))
            rows.append(
                {
                    "kind": kind,
                    "detail": detail,
                    "q": text,
                    "target": target,
                    "ms": seconds * 1000,
                    "status": status,
                    "bytes": len(body),
                    "first_page": target is not None
                    and f'href="/app/persons/{target}/"'.encode() in body,
                }
            )
    gc.enable()
    gc.unfreeze()
    out["load"]["after timing"] = os.getloadavg()[0]
    errors = [r for r in rows if r["status"] != 200]
    for row in errors[:10]:
        print(f"[{db}] {row['kind']} {row['q']!r} answered {row['status']}", flush=True)
    return rows, home_status


def _replay(client, rows):
    """Each search once more in-process with the test client, its SQL statements timed."""
    from django.db import close_old_connections, connection

    timer = _DatabaseTimer()
    with connection.execute_wrapper(timer), timer.fetches():
        for row in rows:
            close_old_connections()
            connection.ensure_connection()
            timer.reset()
            began = time.perf_counter()
            path, headers = _path(row["kind"], row["q"])
            client.get(path, headers=headers)
            row["replay_ms"] = (time.perf_counter() - began) * 1000
            row["db_ms"] = timer.seconds * 1000
            row["sql"] = timer.count
            row["statements"] = timer.statements


def _explain_slowest(client, rows, how_many):
    report = []
    for row in sorted(rows, key=lambda r: r["ms"], reverse=True)[:how_many]:
        path, headers = _path(row["kind"], row["q"])
        for seconds, sql, params in _slowest_statements(client, path, headers, how_many=2):
            report.append(
                {
                    "q": row["q"],
                    "kind": row["kind"],
                    "ms": seconds * 1000,
                    "sql": sql,
                    "params": [str(p) for p in params or ()],
                    "plan": _explain(sql, params),
                }
            )
    return report


def _versions(connection):
    import django

    if connection.vendor == "sqlite":
        import sqlite3

        database = f"SQLite {sqlite3.sqlite_version}"
    else:
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            database = f"PostgreSQL {cursor.fetchone()[0].split()[0]}"
    commit = (
        os.environ.get("MOST_BENCH_COMMIT")
        or subprocess.run(
            ["git", "describe", "--always", "--dirty"],  # noqa: S607
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
    )
    try:
        import gunicorn

        server = f"gunicorn {gunicorn.__version__}"
    except ImportError:
        server = "gunicorn"
    return {
        "commit": commit or "unknown",
        "python": platform.python_version(),
        "django": django.get_version(),
        "database": database,
        "server": server,
    }


# --- Reporting (parent process) ------------------------------------------------------------


def summarise(result):
    """{request kind: figures} of one database's run."""
    summary = {}
    for kind in REQUESTS:
        chosen = [r for r in result["rows"] if r["kind"] == kind]
        if not chosen:
            continue
        times = [r["ms"] for r in chosen]
        s = summary[kind] = {
            "n": len(chosen),
            "median": statistics.median(times),
            "p95": _percentile(times, 0.95),
            "max": max(times),
            "errors": sum(r["status"] != 200 for r in chosen),
        }
        if kind in KINDS:
            targeted = [r for r in chosen if r["target"] is not None]
            s["recall"] = sum(r["found"] for r in targeted) / len(targeted) if targeted else None
            s["first_page"] = (
                sum(r["first_page"] for r in targeted) / len(targeted) if targeted else None
            )
            s["matches"] = statistics.median(r["matches"] for r in chosen)
            s["similar"] = sum(r["similar"] for r in chosen)
            s["sql"] = statistics.median(r["sql"] for r in chosen)
            s["db_median"] = statistics.median(r["db_ms"] for r in chosen)
            s["db_p95"] = _percentile([r["db_ms"] for r in chosen], 0.95)
            s["replay_median"] = statistics.median(r["replay_ms"] for r in chosen)
    trivial = summary[TRIVIAL]
    for s in summary.values():
        s["median_ratio"] = s["median"] / trivial["median"]
        s["p95_ratio"] = s["p95"] / trivial["p95"]
    return summary


def _target(kind):
    if kind == TRIVIAL:
        return "baseline"
    if kind == HOME:
        return f"p95 ≤ {TARGET_HOME_P95_MS} ms"
    return f"p95 ≤ {TARGET_P95_MS} ms"


def _limit(kind):
    return TARGET_HOME_P95_MS if kind == HOME else TARGET_P95_MS


def _table(header, lines):
    widths = [max(len(str(x)) for x in column) for column in zip(header, *lines, strict=True)]

    def fmt(cells):
        return "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([fmt(header), rule, *(fmt(line) for line in lines)])


def _percent(value):
    return "—" if value is None else f"{value:.0%}"


def render(results, machine):
    """The figures as Markdown tables (printed, and written into bench/README.md)."""
    out = []
    first = results[0]
    versions = (
        "; ".join(r["versions"]["database"] for r in results)
        + f"; {first['versions']['server']}, 2 workers; Python {first['versions']['python']}, "
        f"Django {first['versions']['django']}"
    )
    out.append(
        f"Run {machine['date']} on {machine['machine']}. {first['persons']:,} persons, all in "
        f"one organisation; {QUERIES_PER_KIND} requests of each kind after {WARMUP_ROUNDS} "
        f"warm-up rounds, over HTTP to `most serve`. {versions}; code at "
        f"{first['versions']['commit']}."
    )
    summaries = {r["db"]: summarise(r) for r in results}

    vocabulary = [
        ("distinct family names (as written)", "family"),
        ("distinct family names (Latin form)", "family_latin"),
        ("distinct given names (as written)", "given"),
        ("distinct given names (Latin form)", "given_latin"),
        ("distinct search keys", "search_keys"),
        ("search key rows", "search_key_rows"),
    ]
    lines = [[label] + [f"{r['vocabulary'][key]:,}" for r in results] for label, key in vocabulary]
    out.append("\nVocabulary of the registry:\n")
    out.append(_table(["", *(r["db"] for r in results)], lines))
    countries = sorted(first["vocabulary"]["countries"].items(), key=lambda item: -item[1])
    shares = ", ".join(f"{c} {n / first['persons']:.0%}" for c, n in countries)
    out.append(f"\nPersons by country of origin: {shares}.")

    header = ["request", "target"]
    for r in results:
        header += [f"{r['db']} median ms", f"{r['db']} p95 ms", f"{r['db']} ÷ trivial"]
    lines = []
    for kind in REQUESTS:
        line = [kind if kind != HOME else f"{kind} (GET /app/)", _target(kind)]
        for r in results:
            s = summaries[r["db"]].get(kind)
            if s is None:
                line += ["not available", "", ""]
                continue
            flag = "" if kind == TRIVIAL or s["p95"] <= _limit(kind) else " ✗"
            errors = f" ({s['errors']} errors)" if s["errors"] else ""
            line += [
                f"{s['median']:.1f}{errors}",
                f"{s['p95']:.1f}{flag}",
                f"×{s['median_ratio']:.1f} / ×{s['p95_ratio']:.1f}",
            ]
        lines.append(line)
    out.append(
        "\nOver HTTP, end to end (connect, request, whole response); "
        "÷ trivial is median / p95 against the trivial view's median / p95 in the same run:\n"
    )
    out.append(_table(header, lines))

    header = ["query"]
    for r in results:
        header += [f"{r['db']} recall", f"{r['db']} on page 1"]
    header += ["median matches", "misspelling fallback used"]
    lines = []
    for kind in KINDS:
        line = [kind]
        for r in results:
            s = summaries[r["db"]][kind]
            line += [_percent(s["recall"]), _percent(s["first_page"])]
        s = summaries[first["db"]][kind]
        line += [f"{s['matches']:,.0f}", s["similar"]]
        lines.append(line)
    out.append(
        f"\nRecall (the intended person among the matches; target ≥ {TARGET_RECALL:.0%} for "
        "misspelt and other-script) and on page 1 (among the 25 the page shows):\n"
    )
    out.append(_table(header, lines))

    header = ["query"]
    for r in results:
        header += [f"{r['db']} SQL median / p95 ms", f"{r['db']} in-process median ms"]
    header.append("SQL statements")
    lines = []
    for kind in KINDS:
        line = [kind]
        for r in results:
            s = summaries[r["db"]][kind]
            line += [f"{s['db_median']:.1f} / {s['db_p95']:.1f}", f"{s['replay_median']:.1f}"]
        line.append(f"{summaries[first['db']][kind]['sql']:.0f}")
        lines.append(line)
    out.append(
        "\nThe same searches replayed in-process after the timing (test client, the SQL timed "
        "in the driver):\n"
    )
    out.append(_table(header, lines))

    lines = []
    for r in results:
        by_label = {}
        for row in r["rows"]:
            for label, ms in row.get("statements", ()):
                by_label.setdefault(label, []).append(ms)
        total = sum(sum(v) for v in by_label.values())
        for label, times in sorted(by_label.items(), key=lambda item: -sum(item[1])):
            lines.append(
                [
                    r["db"],
                    label,
                    len(times),
                    f"{statistics.median(times):.2f}",
                    f"{_percentile(times, 0.95):.2f}",
                    f"{max(times):.1f}",
                    f"{sum(times) / total:.0%}",
                ]
            )
    header = ["database", "statement", "runs", "median ms", "p95 ms", "max ms", "share of SQL"]
    out.append("\nIts SQL statements:\n")
    out.append(_table(header, lines))

    sizes = sorted({int(s) for r in results for s in r["queries_per_page"]})
    pages = list(first["queries_per_page"][str(sizes[0])])
    header = ["page"] + [f"{r['db']} @ {s:,}" for r in results for s in sizes]
    lines = [
        [page] + [r["queries_per_page"][str(s)][page] for r in results for s in sizes]
        for page in pages
    ]
    out.append(f"\nSQL queries per page (target ≤ {TARGET_QUERIES}, constant with size):\n")
    out.append(_table(header, lines))

    out.append("\nThe slowest searches of each kind (over HTTP):\n")
    out.append(slowest(results, how_many=3, markdown=True))

    header = ["stage"] + [r["db"] for r in results]
    stages = list(dict.fromkeys(k for r in results for k in r["stages"]))
    lines = [
        [name] + [f"{r['stages'][name]:.1f} s" if name in r["stages"] else "" for r in results]
        for name in stages
    ]
    loads = ", ".join(
        f"{r['db']} {r['load']['before timing']:.1f} → {r['load']['after timing']:.1f}"
        for r in results
    )
    out.append(
        f"\nLoad average (1 min) around the timed requests: {loads} "
        f"(on {os.cpu_count()} cores; above ~1 other programs were competing for the CPU)."
    )
    out.append("\nRun time:\n")
    out.append(_table(header, lines))
    return "\n".join(out)


def verdict(results):
    lines = []
    for r in results:
        s = summarise(r)
        db = r["db"]
        for kind in (*KINDS, HOME):
            if kind not in s:
                lines.append(f"{db}: {kind} not available (GET /app/ answers 404)")
                continue
            p95, limit = s[kind]["p95"], _limit(kind)
            ok = "meets" if p95 <= limit else "MISSES"
            lines.append(
                f"{db}: {kind} p95 {p95:.1f} ms, ×{s[kind]['p95_ratio']:.1f} the trivial view "
                f"({ok} ≤ {limit} ms)"
            )
        for kind in ("misspelt", "other-script"):
            recall = s[kind]["recall"]
            ok = "meets" if recall >= TARGET_RECALL else "MISSES"
            lines.append(f"{db}: {kind} recall {recall:.0%} ({ok} ≥ {TARGET_RECALL:.0%})")
        worst = max(max(v.values()) for v in r["queries_per_page"].values())
        ok = "meets" if worst <= TARGET_QUERIES else "MISSES"
        lines.append(f"{db}: at most {worst} SQL queries per page ({ok} ≤ {TARGET_QUERIES})")
        if errors := sum(v["errors"] for v in s.values()):
            lines.append(f"{db}: {errors} requests did not answer 200")
    return "\n".join(lines)


def misses(results):
    lines = []
    for r in results:
        for row in r["rows"]:
            if row["kind"] in ("misspelt", "other-script") and not row["found"]:
                lines.append(
                    f"  {r['db']}: {row['kind']} ({row['detail']}) {row['q']!r} "
                    f"→ person {row['target']} not found ({row['matches']:,} matches)"
                )
    return "\n".join(lines)


def slowest(results, how_many=3, markdown=False):
    lines = []
    for r in results:
        for kind in KINDS:
            rows = [row for row in r["rows"] if row["kind"] == kind]
            for row in sorted(rows, key=lambda row: row["ms"], reverse=True)[:how_many]:
                statement = max(row["statements"], key=lambda st: st[1], default=("—", 0.0))
                text = (
                    f"{r['db']}: {row['ms']:.1f} ms {kind} `{row['q']}` "
                    f"({row['matches']:,} {'match' if row['matches'] == 1 else 'matches'}"
                    f"{', similar names' if row['similar'] else ''}; "
                    f"replayed: SQL {row['db_ms']:.1f} ms, slowest {statement[0]} "
                    f"{statement[1]:.1f} ms)"
                )
                lines.append(f"* {text}" if markdown else f"  {text.replace('`', '')}")
    return "\n".join(lines)


def write_readme(text):
    content = README.read_text(encoding="utf-8") if README.exists() else ""
    block = f"{MARK_START}\n{text}\n{MARK_END}"
    if MARK_START in content and MARK_END in content:
        before = content.split(MARK_START)[0]
        after = content.split(MARK_END, 1)[1]
        content = before + block + after
    else:
        content = content.rstrip() + "\n\n## Latest figures\n\n" + block + "\n"
    README.write_text(content, encoding="utf-8")


def _snapshot():
    """A copy of the application's code, for every process of the run (the children and the
    server put it first on PYTHONPATH): the code measured is the code as the run began, even if
    the work tree changes during the run."""
    directory = tempfile.mkdtemp(prefix="most-bench-code-")
    shutil.copytree(
        ROOT / "most", Path(directory, "most"), ignore=shutil.ignore_patterns("__pycache__")
    )
    commit = (
        os.environ.get("MOST_BENCH_COMMIT")
        or subprocess.run(
            ["git", "describe", "--always", "--dirty"],  # noqa: S607
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
    )
    path = os.pathsep.join(p for p in (directory, os.environ.get("PYTHONPATH")) if p)
    return directory, {**os.environ, "PYTHONPATH": path, "MOST_BENCH_COMMIT": commit or "unknown"}


def run_parent(args):
    dbs = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    code, env = _snapshot()
    try:
        _run_parent(args, dbs, env)
    finally:
        shutil.rmtree(code, ignore_errors=True)


def _run_parent(args, dbs, env):
    began = time.perf_counter()
    names = RESULTS_DIR / "names.json"
    script = str(Path(__file__).resolve())
    print("== vocabulary: names-dataset and Faker", flush=True)
    # A process of its own: names-dataset holds ~1 GB until the process ends.
    command = [sys.executable, script, "--vocabulary", str(names)]
    subprocess.run(command, check=True, cwd=ROOT, env=env)  # noqa: S603 – this very script
    results = []
    for db in dbs:
        path = RESULTS_DIR / f"{db}-{args.persons}.json"
        command = [
            sys.executable,
            script,
            "--child",
            "--db",
            db,
            "--persons",
            str(args.persons),
            "--names",
            str(names),
            "--out",
            str(path),
        ]
        if args.sqlite_analyze:
            command.append("--sqlite-analyze")
        if args.explain:
            command += ["--explain", str(args.explain)]
        print(f"== {db}: {args.persons:,} persons", flush=True)
        subprocess.run(command, check=True, cwd=ROOT, env=env)  # noqa: S603 – this very script
        results.append(json.loads(path.read_text(encoding="utf-8")))
    total = time.perf_counter() - began

    machine = {
        "date": datetime.date.today().isoformat(),
        "machine": f"{os.cpu_count()} cores, {_memory()}, {platform.system()} {platform.machine()}",
    }
    text = render(results, machine) + f"\n\nWhole benchmark: {total / 60:.1f} minutes."
    print()
    print(text)
    print()
    print(verdict(results))
    if missed := misses(results):
        print("\nMisspelt / other-script queries that missed their person:")
        print(missed)
    for result in results:
        for item in result.get("explain", []):
            print(f"\n[{result['db']}] {item['ms']:.1f} ms for {item['q']!r} ({item['kind']}):")
            print(_interpolate(item["sql"], item["params"]))
            print(item["plan"])
    if not args.no_readme:
        write_readme(text + "\n\n" + verdict(results).replace("\n", "  \n"))
        print(f"\nFigures written to {README.relative_to(ROOT)}")


def _interpolate(sql, params):
    for param in params:
        sql = sql.replace("%s", repr(param), 1).replace("?", repr(param), 1)
    return sql


def _memory():
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            kib = int(meminfo.readline().split()[1])
        return f"{kib / 1024 / 1024:.0f} GB RAM"
    except (OSError, ValueError, IndexError):
        return "unknown RAM"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--persons", type=int, default=200_000)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument(
        "--sqlite-analyze",
        action="store_true",
        help="run ANALYZE on SQLite after writing the persons (PostgreSQL always gets one)",
    )
    parser.add_argument(
        "--explain",
        type=int,
        default=0,
        metavar="N",
        help="print the plans of the slowest SQL of the N slowest searches",
    )
    parser.add_argument("--no-readme", action="store_true", help="do not update bench/README.md")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--vocabulary", help=argparse.SUPPRESS)
    parser.add_argument("--names", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.vocabulary:
        extract_vocabulary(args.vocabulary)
    elif args.child:
        if args.db == "both":
            parser.error("--child runs one database")
        result = run_child(args)
        Path(args.out).write_text(json.dumps(result, indent=1), encoding="utf-8")
    else:
        run_parent(args)


if __name__ == "__main__":
    main()
