"""The queries timed: six kinds, each built from a person of the registry (but one letter)."""

import re
import unicodedata

from names import ARABIC_COUNTRIES
from transliteration import script_of, serbian_cyrillic, slovene

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


def _passport_variant(rng, name):
    """Another passport spelling of name (one change drawn from _PASSPORT_VARIANTS), or None."""
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
        return f"{slovene(person.given_name, ukrainian)} {slovene(person.family_name, ukrainian)}"
    if kind == "passport":
        if rng.random() < 0.5:
            latin_given = _passport_variant(rng, latin_given) or latin_given
        else:
            latin_family = _passport_variant(rng, latin_family) or latin_family
        return f"{latin_given} {latin_family}"
    if kind == "serbian-cyrillic":
        return f"{serbian_cyrillic(latin_given)} {serbian_cyrillic(latin_family)}"
    raise ValueError(kind)


def _written(person, script):
    return script_of(person.given_name) == script and script_of(person.family_name) == script


# (kind, which persons, how many): 50 queries in other scripts.
_OTHER_SCRIPT_PLAN = [
    ("native", lambda p: p.country_of_origin in ("UA", "RU", "MK") and _written(p, "cyrillic"), 15),
    ("slovene", lambda p: p.country_of_origin in ("UA", "RU"), 10),
    ("native", lambda p: _written(p, "arabic"), 10),
    ("passport", lambda p: p.country_of_origin in ARABIC_COUNTRIES, 10),
    ("serbian-cyrillic", lambda p: p.country_of_origin == "BA", 5),
]


def _first_letter(name):
    """The first letter of name, lower case, without its diacritics."""
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


def first_letter_counts(family_names):
    """{letter a–z: how many family names begin with it}: the one-letter queries' weights."""
    counts = {}
    for family in family_names:
        if (letter := _first_letter(family)) in _ALPHABET:
            counts[letter] = counts.get(letter, 0) + 1
    return counts
