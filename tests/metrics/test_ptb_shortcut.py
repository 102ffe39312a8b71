"""The lexer-free path for plain words against the exact lexer, and its abbreviation screen."""

from __future__ import annotations

import itertools
import random
import string

import pytest

from mmbench.metrics._ptb import shortcut as ptb_shortcut
from mmbench.metrics._ptb import tokenizer as ptb_tokenizer
from tests.metrics.caption_corpora import SPECIAL


def test_shortcuts_equal_lexer():
    rng = random.Random(0)
    words = {w.rstrip(".") for w in SPECIAL if w.rstrip(".").isalpha()} | set(string.ascii_letters)
    words |= {"".join(rng.choices(string.ascii_letters, k=rng.randint(1, 6))) for _ in range(400)}
    words |= ptb_shortcut._ABBREV_FORMS  # every abbreviation the screening set lets through
    words |= {w + c for w in ptb_shortcut._ABBREV_FORMS for c in "sx"}  # near misses
    for word in words:
        cases = (word, word.upper(), word.capitalize(), word[:-1] + word[-1].upper())
        for chunk in {c + end for c in cases for end in ("", ".", ",")}:
            short = ptb_shortcut.shortcut(chunk)
            assert short is None or short == ptb_tokenizer._lexed(chunk), chunk


def test_abbreviation_screen_lets_every_abbreviation_through():
    # Exhaustive over short words: a word the regexes take as an abbreviation is in the set.
    for k in (1, 2, 3):
        for letters in itertools.product(string.ascii_lowercase, repeat=k):
            word = "".join(letters)
            for form in (word, word.capitalize(), word.upper()):
                chunk = form + "."
                full = bool(
                    ptb_shortcut._ABBREV1.fullmatch(chunk) or ptb_shortcut._ABBREV2.fullmatch(chunk)
                )
                assert ptb_shortcut.is_abbreviation(form, chunk) == full, chunk


def test_letter_forms_expands_the_grammar_syntax():
    assert ptb_shortcut.letter_forms("Pp?t[ye]s?|[M]iss|a.k.a") == {
        "p" + p + "t" + e + s for p in ("p", "") for e in "ye" for s in ("s", "")
    } | {"miss"}
    with pytest.raises(ValueError, match="cannot expand"):
        ptb_shortcut.letter_forms("Ab{2}")
