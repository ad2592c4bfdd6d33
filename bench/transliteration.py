"""Scripts and transliterations of names: which script a name is written in, and its spellings
in another (real names paired across scripts, queries written as an office would write them)."""

import re
import unicodedata


def script_of(name):
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


# Pairing a name in Arabic script with a Latin spelling of it from the same country's list: the
# Arabic letters, read as the Latin letters passports write for them, with the short vowels that
# Arabic script leaves unwritten allowed between them (محمود: Mahmoud, Mahmood, not Mohamad).
_ARABIC_MARKS = re.compile(r"[\u064b-\u065f\u0670\u0640]")  # vowel signs, shadda, tatweel
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


def arabic_latin_pairs(natives, latins):
    """[Arabic, Latin] for every Arabic name of which the list has a Latin spelling.

    natives and latins are [name, …] entries of one country's list, the most frequent first:
    each Arabic name is paired with the most frequent Latin name that spells it.
    """
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


def slovene(text, ukrainian):
    out = []
    for char in text:
        lower = char.lower()
        latin = (_SLOVENE_UKRAINIAN.get(lower) if ukrainian else None) or _SLOVENE.get(lower)
        if latin is None:
            latin = char
        latin = "" if latin == "_" else latin
        out.append(latin[:1].upper() + latin[1:] if char != lower and latin else latin)
    return "".join(out)


def serbian_cyrillic(text):
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
