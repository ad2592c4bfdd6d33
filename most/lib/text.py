"""Characters that have no place in a name or an e-mail address.

Framework-free. Copied text brings along characters nobody sees: direction overrides (U+202E
shows "Ali" for "ilA"), zero-width spaces, byte-order marks, control codes, tag characters,
private-use and unassigned code points. In a name they make two records of one person look the
same and different at once; in an e-mail address they make a second account that looks exactly
like an existing one. So they are refused, never silently removed: a name that was typed with
them is not the name that is saved, and the person typing should know.

Two invisible characters belong to real names: ZERO WIDTH NON-JOINER (Persian writes
می‌خواهم and family names such as رحیم‌زاده with it) and ZERO WIDTH JOINER (Indic scripts
after a virama). Both stand between two letters; alone or at either end they are refused, and
in an e-mail address always (no address needs them, and one would pass for another).
"""

import unicodedata

# Control, format, surrogate, private use, unassigned (also the noncharacters such as U+FFFF).
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})
_JOINERS = frozenset({"\u200c", "\u200d"})
# Hangul fillers are letters to Unicode but show nothing; no name is written with them.
_BLANK_LETTERS = frozenset({"\u3164", "\uffa0"})


def _is_letter(char: str, marks: bool = False) -> bool:
    category = unicodedata.category(char)
    return category.startswith("L") or (marks and category.startswith("M"))


def _joins_letters(text: str, index: int) -> bool:
    # A mark may come first: in Devanagari the joiner follows the virama, a combining mark.
    return (
        0 < index < len(text) - 1
        and _is_letter(text[index - 1], marks=True)
        and _is_letter(text[index + 1])
    )


def hidden_characters(text: str, joiners: bool = True) -> list[str]:
    """The characters of `text` nobody can see, as 'U+202E' code points, in order, each once.

    joiners: whether a zero width (non-)joiner between two letters is part of the text.

    An empty list means the text is fine. Tabs and line breaks are control characters too:
    callers that accept them as spaces tidy the text before they ask.
    """
    found = []
    for index, char in enumerate(text):
        if char in _JOINERS:
            hidden = not (joiners and _joins_letters(text, index))
        else:
            hidden = char in _BLANK_LETTERS or unicodedata.category(char) in _HIDDEN_CATEGORIES
        code = f"U+{ord(char):04X}"
        if hidden and code not in found:
            found.append(code)
    return found
