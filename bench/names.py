"""Real names per country of origin: extracted once from names-dataset and Faker into a compact
JSON file (`extract_vocabulary`), then drawn by their frequency for each person (`NamePools`).

names-dataset (Facebook users' names, ranked by frequency per country) has 15,000–19,000 family
names for SY, AF, AL, RU, TR, IQ and IR, and nothing for UA, XK, BA and MK; Faker has a few
hundred Ukrainian and about a hundred Macedonian names. Each list keeps its order of frequency;
persons draw from it with Zipf-like weights (rank + ZIPF_OFFSET) ** -ZIPF_EXPONENT, flatter than
1 / rank because the lists stop where a real population's long tail of rare names goes on.
"""

import bisect
import itertools
import json
import re
import sys
import time
from pathlib import Path

from config import ROOT
from transliteration import arabic_latin_pairs, russian_cyrillic, script_of, ukrainian_cyrillic

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
_ASCII_NAME = re.compile(r"[A-Za-z]+(?:[ '-][A-Za-z]+)?")


def _plausible(name, script):
    """A name as people write it on a form: one or two words, letters of one script."""
    words = name.split()
    if not 1 <= len(words) <= 2 or script_of(name) != script:
        return False
    if sum(c.isalpha() for c in name) < 3 or re.search(r"(.)\1\1", name.lower()):
        return False
    capitalised = all(w[0].isupper() and not w[1:].isupper() for w in words)
    return script == "arabic" or capitalised


def _russian_sex(family):
    """'F', 'M' or '' (either) for a Russian family name in Cyrillic."""
    if family.endswith(_RUSSIAN_FEMININE):
        return "F"
    return "M" if family.endswith(_RUSSIAN_MASCULINE) else ""


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
    """The first entry of each name."""
    seen, out = set(), []
    for entry in entries:
        if entry[0] not in seen:
            seen.add(entry[0])
            out.append(entry)
    return out


# Converters: a name of names-dataset (with its info) as an entry [native, Latin] of the lists, or
# None to leave it out.


def _as_written(name, _info, script):
    """A name in the script wanted, as the data writes it."""
    return [name, ""] if _plausible(name, script) else None


def _passport(name, _info, _script):
    """A name as a passport writes it: Latin letters without diacritics."""
    ok = _ASCII_NAME.fullmatch(name) and _plausible(name, "latin")
    return [name, ""] if ok else None


def _both(entries):
    """Family names the same for both sexes."""
    return {"M": entries, "F": entries}


def _one_word(given_names):
    """Albanian and South Slavic given names are one word ("Klinika Dentare" is a page)."""
    return {sex: [e for e in names if " " not in e[0]] for sex, names in given_names.items()}


def _merged(lists):
    """The entries of several lists, alternately, each name once."""
    return _unique(e for e in itertools.chain(*itertools.zip_longest(*lists)) if e)


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

    def given(country, script, convert=_as_written, exclude=()):
        out = {"M": [], "F": []}
        for name, info in first[country]:
            if not (sex := _sex(info)) or name in _NOT_GIVEN:
                continue
            if set(info["rank"]) & set(exclude):
                continue
            if entry := convert(name, info, script):
                out[sex].append(entry)
        return out

    def family(country, script, convert=_as_written, exclude=()):
        out = []
        for name, info in last[country]:
            if set(info["rank"]) & set(exclude) or name.endswith(_PATRONYMIC):
                continue
            if entry := convert(name, info, script):
                out.append(entry)
        return out

    vocabulary = {}
    # Albanian, Kosovar (the same names: names-dataset has no Kosovo) and Turkish: Latin letters
    # with their diacritics.
    albanian = {"given": _one_word(given("AL", "latin")), "family": _both(family("AL", "latin"))}
    vocabulary["AL"] = [{"share": 1, "ranked": True, **albanian}]
    vocabulary["XK"] = [{"share": 1, "ranked": True, **albanian}]
    turkish = {"given": given("TR", "latin"), "family": _both(family("TR", "latin"))}
    vocabulary["TR"] = [{"share": 1, "ranked": True, **turkish}]

    # Bosnian: names-dataset has no Bosnia; Croatia's and Serbia's lists hold the same names
    # (Hodžić, Begić, Mehmedović), Serbian Cyrillic in its Latin alphabet, family names in -ić.
    def bosnian(name, _info, _script_wanted):
        script = script_of(name)
        if script == "cyrillic" and _plausible(name, "cyrillic"):
            name = latin_form(name, "RS")
        return [name, ""] if _plausible(name, "latin") else None

    bosnian_given = [_one_word(given(c, "latin", convert=bosnian)) for c in ("HR", "RS")]
    bosnian_family = [family(c, "latin", convert=bosnian) for c in ("HR", "RS")]
    vocabulary["BA"] = [
        {
            "share": 1,
            "ranked": True,
            "given": {  # not the family names that the data also lists as given names
                s: [e for e in _merged([g[s] for g in bosnian_given]) if not e[0].endswith("ić")]
                for s in "MF"
            },
            "family": _both([e for e in _merged(bosnian_family) if e[0].endswith("ić")]),
        }
    ]

    # Russian: Cyrillic as written, Latin by the passport table; names the data gives only in
    # Latin letters keep that spelling and get a Cyrillic form by the table read backwards.
    def russian(name, info, _script_wanted):
        script = script_of(name)
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

        latin = {
            "given": given(country, "latin", convert=_passport, exclude=exclude),
            "family": family(country, "latin", convert=_passport, exclude=exclude),
        }
        native = {
            "given": given(country, "arabic"),
            "family": family(country, "arabic"),
        }

        paired_given = {s: arabic_latin_pairs(native["given"][s], latin["given"][s]) for s in "MF"}
        paired_family = arabic_latin_pairs(native["family"], latin["family"])
        vocabulary[country] = [
            {
                "share": 1 - ARABIC_SHARE,
                "ranked": True,
                "given": latin["given"],
                "family": _both(latin["family"]),
            },
            {
                "share": ARABIC_SHARE,
                "ranked": True,
                "given": paired_given,
                "family": _both(paired_family),
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
