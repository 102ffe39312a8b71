"""Named text normalisers: exact outputs of each documented rule."""

from __future__ import annotations

import pytest

from mmbench.errors import MmbenchError
from mmbench.metrics.text_normalizers import NORMALIZERS, get_normalizer


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Hello, World!", "hello world"),
        ("don’t  stop", "dont stop"),
        ("well-known\t(x)", "well known x"),
        ("«Ça va?»", "ça va"),
        ("$5 & 50%", "$5 50"),  # $ is a symbol (Sc) and stays; & and % are punctuation (Po)
        ("   ", ""),
    ],
)
def test_basic(text, expected):
    assert get_normalizer("basic")(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Hello, World!", "hello world"),
        ("[laughs] well (inaudible) <unk> {noise} ok", "well ok"),
        ("um so uh hmm yes", "so yes"),
        ("I can't, won't; it’s fine, let's go", "i can not will not it is fine let us go"),
        ("they're we'll I've I'm he'd isn't", "they are we will i have i am he would is not"),
        ("Mr. Smith and Mrs Jones met Dr. Who", "mister smith and missus jones met doctor who"),
        ("$1,000 is 2.5% of it & more", "1000 dollars is 2.5 percent of it and more"),
        ("twenty-one", "21"),
        ("one hundred and five", "105"),
        ("two thousand twenty", "2020"),
        ("one two three", "1 2 3"),
        ("zero zero seven", "0 0 7"),
        ("twenty twenty one", "20 21"),
        ("nineteen ninety", "19 90"),
        ("three million four hundred thousand", "3400000"),
        ("a hundred", "a hundred"),
        ("first and second", "first and second"),
        ("the dog's ball", "the dogs ball"),
        ("ｆｕｌｌ　ｗｉｄｔｈ", "full width"),  # NFKC
        ("end.", "end"),
    ],
)
def test_whisper_en(text, expected):
    assert get_normalizer("whisper_en")(text) == expected


def test_none_is_identity_and_tags():
    assert get_normalizer("none")(" A\tb ") == " A\tb "
    assert [n.tag for n in NORMALIZERS.values()] == ["none", "basic/1", "whisper_en/1"]


def test_unknown_normalizer_did_you_mean():
    with pytest.raises(MmbenchError, match="did you mean 'whisper_en'"):
        get_normalizer("whisper")
