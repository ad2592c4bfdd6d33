"""Names across scripts: the Latin form of a name and the keys that search matches on.

Framework-free. Two ideas:

* `latin_form` writes a name in Latin letters the way the person's papers usually do: Ukrainian by
  the national passport table (Олександр → Oleksandr, Ольга → Olha), Russian by the passport/ICAO
  table, Serbian and Macedonian Cyrillic in their own Latin alphabets (Ђорђе → Đorđe). Other
  scripts fall back to anyascii.
* Search compares two keys of every word. The *folded* key is the Latin form without diacritics,
  case or punctuation (Ređepi → redepi). The *skeleton* keeps only the consonants after merging the
  spellings that transliterations disagree on (kh/h, dj/đ/d, x/ks, doubled letters, vowels), so
  Oleksandr, Aleksandr, Alexander and Олександр share one skeleton, and so do Muhammad, Mohammed and
  محمد. The skeleton is also what a misspelt vowel leaves unchanged.
"""

import re
import unicodedata

from anyascii import anyascii

_UKRAINIAN = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "h",
    "ґ": "g",
    "д": "d",
    "е": "e",
    "є": "ie",
    "ж": "zh",
    "з": "z",
    "и": "y",
    "і": "i",
    "ї": "i",
    "й": "i",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ь": "",
    "ю": "iu",
    "я": "ia",
    "'": "",
    "’": "",
    "ʼ": "",
}
# At the start of a word the Ukrainian table writes є, ї, й, ю, я differently.
_UKRAINIAN_INITIAL = {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}

_RUSSIAN = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "е": "e",
    "ё": "e",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "й": "i",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ъ": "ie",
    "ы": "y",
    "ь": "",
    "э": "e",
    "ю": "iu",
    "я": "ia",
}

# Serbian, Macedonian and Bosnian Cyrillic have exact Latin alphabets of their own.
_SOUTH_SLAVIC = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "ђ": "đ",
    "ѓ": "gj",
    "е": "e",
    "ж": "ž",
    "з": "z",
    "ѕ": "dz",
    "и": "i",
    "ј": "j",
    "к": "k",
    "л": "l",
    "љ": "lj",
    "м": "m",
    "н": "n",
    "њ": "nj",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "ћ": "ć",
    "ќ": "kj",
    "у": "u",
    "ф": "f",
    "х": "h",
    "ц": "c",
    "ч": "č",
    "џ": "dž",
    "ш": "š",
}
_SOUTH_SLAVIC_LETTERS = set("ђѓѕјљњћќџ")
_UKRAINIAN_LETTERS = set("ієїґ")
_RUSSIAN_LETTERS = set("ёыэъ")

# Countries whose Cyrillic names follow each table, when the letters alone don't tell.
_COUNTRY_TABLE = {
    "UA": "uk",
    "RU": "ru",
    "BY": "ru",
    "KZ": "ru",
    "RS": "sr",
    "MK": "sr",
    "BA": "sr",
    "ME": "sr",
}

_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def has_non_latin(text: str) -> bool:
    """True when the text holds letters outside the Latin script."""
    for char in text:
        if char.isalpha():
            name = unicodedata.name(char, "")
            if not name.startswith("LATIN"):
                return True
    return False


_ABJAD = re.compile(
    r"[\u0590-\u05ff\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]"
)


def romanises_reliably(name: str) -> bool:
    """False for Arabic, Persian and Hebrew script, which leave short vowels unwritten:
    'محمد' romanises to 'Mhmd', so the spelling must come from the person's documents."""
    return not _ABJAD.search(name)


def _cyrillic_table(text: str, country: str | None) -> str:
    letters = set(text.lower())
    if letters & _SOUTH_SLAVIC_LETTERS:
        return "sr"
    if letters & _UKRAINIAN_LETTERS:
        return "uk"
    if letters & _RUSSIAN_LETTERS:
        return "ru"
    return _COUNTRY_TABLE.get((country or "").upper(), "ru")


# Languages a name in a non-Latin script is most likely read in, by country of origin, so that a
# screen reader does not read "Олександр" with the interface's Slovenian voice.
_CYRILLIC_LANGUAGE = {
    "UA": "uk",
    "RU": "ru",
    "BY": "be",
    "RS": "sr",
    "MK": "mk",
    "BA": "sr",
    "ME": "sr",
    "BG": "bg",
    "KZ": "kk",
}
_ARABIC_SCRIPT_LANGUAGE = {"IR": "fa", "AF": "fa", "PK": "ur"}


def name_language(name: str, country: str | None = None) -> str:
    """The language code (BCP 47) to mark a name written in a non-Latin script with, or ''."""
    country = (country or "").upper()
    if _CYRILLIC.search(name):
        table = _cyrillic_table(name, country)
        return _CYRILLIC_LANGUAGE.get(country) or {"uk": "uk", "sr": "sr"}.get(table, "ru")
    if _ABJAD.search(name):
        if re.search(r"[\u0590-\u05ff]", name):
            return "he"
        return _ARABIC_SCRIPT_LANGUAGE.get(country, "ar")
    if has_non_latin(name):
        return "und"  # another script: at least not the interface's language
    return ""


def _transliterate_cyrillic(text: str, table_name: str) -> str:
    table = {"uk": _UKRAINIAN, "ru": _RUSSIAN, "sr": _SOUTH_SLAVIC}[table_name]
    out = []
    previous_is_letter = False
    for char in text:
        lower = char.lower()
        if table_name == "uk" and not previous_is_letter and lower in _UKRAINIAN_INITIAL:
            latin = _UKRAINIAN_INITIAL[lower]
        elif lower in table:
            latin = table[lower]
        else:
            latin = char if not _CYRILLIC.match(char) else anyascii(char)
        if char != lower and latin:
            # Capital letter: Щ → Shch, but in an all-capitals word ЩУР → SHCHUR.
            latin = latin.upper() if text.isupper() else latin[0].upper() + latin[1:]
        out.append(latin)
        previous_is_letter = char.isalpha() or char in "'’ʼ"
    return "".join(out)


def latin_form(name: str, country: str | None = None) -> str:
    """The name in Latin letters; Latin names (with their diacritics) come back unchanged."""
    name = " ".join(name.split())
    if not has_non_latin(name):
        return name
    if _CYRILLIC.search(name):
        name = " ".join(_transliterate_cyrillic(name, _cyrillic_table(name, country)).split())
        if not has_non_latin(name):
            return name
    # Other scripts (Arabic, Persian, Greek, ...): a plain romanisation. For Arabic script it
    # drops short vowels, so staff usually type the spelling from the person's passport instead.
    parts = []
    for word in name.split(" "):
        latin = re.sub(r"[^\w-]", "", anyascii(word)) if has_non_latin(word) else word
        parts.append(latin[:1].upper() + latin[1:] if latin else latin)
    # Some letters romanise to several words or to none: normalise the spaces once more.
    return " ".join(" ".join(parts).split())


def fold(text: str) -> str:
    """Lower-case ASCII letters and digits only: 'Ređepi' → 'redepi', 'Олександр' → 'oleksandr'."""
    return re.sub(r"[^a-z0-9]", "", anyascii(latin_form(text)).lower())


# Spellings that different transliterations give for one sound, merged in this order.
_SKELETON_RULES = [
    ("shch", "s"),
    ("sch", "s"),
    ("tch", "c"),
    ("dzh", "z"),
    ("dz", "z"),  # Serbian and Bosnian dž, folded: Džafer
    ("sh", "s"),
    ("zh", "z"),
    ("ch", "c"),
    ("kh", "h"),
    ("gh", "g"),
    ("ph", "f"),
    ("th", "t"),
    ("dh", "d"),  # Albanian dh: Dhimitër, Dimitar
    ("ts", "c"),
    ("tz", "c"),
    ("dj", "d"),
    ("kj", "k"),
    ("ck", "k"),
    ("x", "ks"),
    ("w", ""),
]
_SKELETON_DROP = re.compile(r"[aeiouyj]")

# Letters whose counterpart depends on the language the name was written down in. Albanian xh,
# gj and q are Serbian, Bosnian and Macedonian dž, đ/ǵ and ć (Xhemajli / Džemajli, Gjergj / Đerđ,
# Krasniqi / Krasnići), while q is k in an Arabic name (Qasim / Kasim) and gj is g in a
# Macedonian one (Gjorgji / Georgi); and clerks write Albanian xh as đ too (Rexhepi / Ređepi).
# A word with such letters has one skeleton per reading, the first the most common.
_AMBIGUOUS = [("xh", "\x01", ("z", "d")), ("gj", "\x02", ("g", "d")), ("q", "\x03", ("k", "c"))]
MAX_SKELETONS = 4


def skeletons(word: str) -> list[str]:
    """The consonant skeletons of one folded word, the usual reading first:
    'oleksandr' and 'aleksandr' → ['lksndr']; 'krasniqi' → ['krsnk', 'krsnc']."""
    if word.isdigit():
        return [word]
    for letters, mark, _readings in _AMBIGUOUS:
        word = word.replace(letters, mark)
    for old, new in _SKELETON_RULES:
        word = word.replace(old, new)
    # Ukrainian г is h and Russian г is g (Olha / Olga): one letter for both.
    word = word.replace("h", "g")
    word = _SKELETON_DROP.sub("", word)
    readings = [word]
    for _letters, mark, choices in _AMBIGUOUS:
        if mark in word:
            readings = [r.replace(mark, choice) for r in readings for choice in choices]
    return list(dict.fromkeys(re.sub(r"(.)\1+", r"\1", r) for r in readings))[:MAX_SKELETONS]


def skeleton(word: str) -> str:
    """The usual skeleton of one folded word: 'oleksandr' and 'aleksandr' → 'lksndr'."""
    return skeletons(word)[0]


def words(text: str) -> list[str]:
    """The folded words of a text, in order, without empties."""
    return [w for w in (fold(part) for part in _WORD.findall(text)) if w]


# A search token of words joined by hyphens or apostrophes ("Al-Ha", "O'Bri") is one word.
_JOINED = re.compile(r"[^\W_]+(?:[-'’‐‑][^\W_]+)+", re.UNICODE)


def query_words(text: str) -> list[str]:
    """The folded words of a search: 'Ta Al-Ha' → ['ta', 'alha']."""
    found = []
    for token in text.split():
        parts = words(token)
        found.extend(["".join(parts)] if _JOINED.fullmatch(token) else parts)
    return [word for word in found if word]


def name_keys(*names: str) -> set[str]:
    """Every search key of a person's names: 'f:<folded word>' and 's:<skeleton>'.

    A name of several words also gives their joins from each word on ('Al-Hassan', 'Al Hassan':
    'alhassan'), which a search for 'Al-Ha' matches as one word: 'al' alone begins half the
    names of a registry.
    """
    keys = set()
    for name in names:
        parts = words(name or "")
        for word in parts + ["".join(parts[i:]) for i in range(len(parts) - 1)]:
            keys.add(f"f:{word}")
            keys.update(f"s:{skel}" for skel in skeletons(word) if skel)
    return keys


def phone_digits(phone: str, country_code: str = "386") -> str:
    """The national number of a phone, so '+386 41 234 567' and '041/234-567' match."""
    digits = re.sub(r"\D", "", phone or "")
    if digits.startswith("00"):
        digits = digits[2:]
    elif phone.strip().startswith("+"):
        pass
    else:
        return digits.lstrip("0")
    if digits.startswith(country_code):
        return digits[len(country_code) :].lstrip("0")
    return digits


def deletion_variants(key: str) -> set[str]:
    """The key and each form of it with one letter of its word left out ('f:ana' → 'f:ana',
    'f:na', 'f:aa', 'f:an'). Two keys one edit apart (a letter changed, added or left out, or two
    neighbours swapped) always share one of these."""
    kind, word = key[:2], key[2:]
    return {key} | {kind + word[:i] + word[i + 1 :] for i in range(len(word))}
