import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from most.lib.text import hidden_characters

ZWNJ, ZWJ = "\u200c", "\u200d"


@pytest.mark.parametrize(
    "name",
    [
        "Oleksandr Kovalenko",
        "Олександр",
        "محمد",
        "مُحَمَّد",  # with vowel marks
        "O'Brien-Smith",
        "Ređepi",
        "رحیم\u200cزاده",  # a Persian family name, ZWNJ between two letters
        "می\u200cخواهم",
        "क्\u200dष",  # Devanagari: ZWJ after the virama, a combining mark
        "Anna\u00a0Maria",  # a no-break space is a space
    ],
)
def test_it_accepts_real_names(name):
    assert hidden_characters(name) == []


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("\u202eevil\u202c", ["U+202E", "U+202C"]),  # right-to-left override, pop
        ("\u200b\u200b", ["U+200B"]),  # a name of zero-width spaces only, each reported once
        ("Ana\x07", ["U+0007"]),  # BEL
        ("A\tB", ["U+0009"]),
        ("\ufeffAna", ["U+FEFF"]),  # byte-order mark
        ("Ana\U000e0041\U000e007f", ["U+E0041", "U+E007F"]),  # tag characters
        ("Ana\ue000", ["U+E000"]),  # private use
        ("Ana\uffff", ["U+FFFF"]),  # a noncharacter
        ("Ana\U000e0000", ["U+E0000"]),  # unassigned
        ("\u200eAna\u200f", ["U+200E", "U+200F"]),  # direction marks
        ("\u3164", ["U+3164"]),  # a Hangul filler: a letter that shows nothing
    ],
)
def test_it_finds_what_nobody_can_see(text, found):
    assert hidden_characters(text) == found


def test_it_finds_a_lone_surrogate():
    assert hidden_characters("A\ud800B") == ["U+D800"]


@pytest.mark.parametrize(
    "text",
    [ZWNJ, ZWJ, f"{ZWNJ}محمد", f"محمد{ZWNJ}", f"a {ZWNJ}b", f"a{ZWNJ}{ZWNJ}b", f"1{ZWJ}2"],
)
def test_joiners_are_allowed_only_between_letters(text):
    assert hidden_characters(text)


LETTER = st.characters(categories=["Lu", "Ll", "Lo"], exclude_characters="\u3164\uffa0")


@given(st.lists(LETTER, min_size=2, max_size=20), st.data())
def test_joiners_between_letters_pass(letters, data):
    joined = letters[0]
    for letter in letters[1:]:
        joined += data.draw(st.sampled_from(["", ZWNJ, ZWJ])) + letter
    assert hidden_characters(joined) == []


@given(st.text(st.characters(exclude_categories=["Cc", "Cf", "Cs", "Co", "Cn"])))
def test_text_without_hidden_categories_passes(text):
    text = text.replace("\u3164", "").replace("\uffa0", "")
    assert hidden_characters(text) == []


HIDDEN = st.characters(categories=["Cc", "Cf", "Cs", "Co", "Cn"])


@given(st.text(), HIDDEN, st.text())
def test_any_hidden_character_outside_a_join_is_found(before, char, after):
    text = before + char + after
    found = hidden_characters(text)
    if char in (ZWNJ, ZWJ):
        index = len(before)
        between = (
            index > 0
            and unicodedata.category(text[index - 1])[0] in "LM"
            and len(after) > 0
            and unicodedata.category(after[0])[0] == "L"
        )
        assert (f"U+{ord(char):04X}" in found) != between
    else:
        assert f"U+{ord(char):04X}" in found


def test_an_email_address_holds_no_joiner_even_between_letters():
    assert hidden_characters("ana@exam\u200cple.org", joiners=False) == ["U+200C"]
    assert hidden_characters("ana@example.org", joiners=False) == []
