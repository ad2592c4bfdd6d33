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
    ("sh", "s"),
    ("zh", "z"),
    ("ch", "c"),
    ("kh", "h"),
    ("gh", "g"),
    ("ph", "f"),
    ("th", "t"),
    ("ts", "c"),
    ("tz", "c"),
    ("dj", "d"),
    ("gj", "g"),
    ("kj", "k"),
    ("ck", "k"),
    ("x", "ks"),
    ("q", "k"),
    ("w", ""),
]
_SKELETON_DROP = re.compile(r"[aeiouyj]")


def skeleton(word: str) -> str:
    """The consonant skeleton of one folded word: 'oleksandr' and 'aleksandr' → 'lksndr'."""
    if word.isdigit():
        return word
    for old, new in _SKELETON_RULES:
        word = word.replace(old, new)
    # Ukrainian г is h and Russian г is g (Olha / Olga): one letter for both.
    word = word.replace("h", "g")
    word = _SKELETON_DROP.sub("", word)
    return re.sub(r"(.)\1+", r"\1", word)


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
            if skel := skeleton(word):
                keys.add(f"s:{skel}")
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
