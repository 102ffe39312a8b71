"""The PTB lexer's speed devices give the same tokens: Latin-1 rule forms and the rule cache.

The lexer itself is checked against Java in ``test_ptb_tokenizer.py``; here its Latin-1 rule forms
(used on text ≤ U+00FF, faster to compile) are checked against its full Unicode rules, and the
on-disk cache of compiled rules against compiling.
"""

from __future__ import annotations

import os
import pickle
import random

import pytest
import regex

from mmbench.metrics._ptb import grammar as ptb_grammar
from mmbench.metrics._ptb import javastr as ptb_javastr
from mmbench.metrics._ptb import lexer as ptb_lexer
from mmbench.metrics._ptb import rule_cache as ptb_rule_cache
from tests.metrics.caption_corpora import NUMS, PUNCT, SPECIAL, TRICKY, UNI, URLS, WORDS

LATIN1 = [chr(c) for c in range(256)]


@pytest.mark.parametrize("full", list(ptb_grammar.LATIN1_CLASSES))
def test_latin1_classes_equal_the_unicode_classes_below_u0100(full):
    narrow = ptb_grammar.LATIN1_CLASSES[full]
    if not narrow.startswith("["):  # a fragment that lives inside a class
        full, narrow = f"[{full}]", f"[{narrow}]"
    big, small = regex.compile(full, ptb_grammar.FLAGS), regex.compile(narrow, ptb_grammar.FLAGS)
    assert [c for c in LATIN1 if big.fullmatch(c)] == [c for c in LATIN1 if small.fullmatch(c)]


def test_latin1_forms_leave_no_unicode_class():
    for _, body, ctx, _ in ptb_lexer.RULES:
        for pattern in (body, ctx or ""):
            assert r"\p{" not in ptb_grammar.latin1(pattern)
    with pytest.raises(ValueError, match="Latin-1"):
        ptb_grammar.latin1(r"\p{Lo}")


def latin1_texts(n: int, seed: int) -> list[str]:
    """Captions of Latin-1 pieces: words, clitics, abbreviations, numbers, punctuation, URLs."""
    rng = random.Random(seed)
    pieces = [p for p in SPECIAL + PUNCT + NUMS + UNI + URLS + TRICKY + WORDS if max(p) <= "ÿ"]
    pieces += [c for c in LATIN1 if c.isprintable()] + ["\n", "\r\n", "  ", "\t", "\xa0"]
    out = []
    for _ in range(n):
        words = rng.choices(pieces, k=rng.randint(1, 9))
        seps = rng.choices([" ", " ", " ", "", "\n"], k=len(words))
        text = "".join(w + s for w, s in zip(words, seps))
        out.append(text.capitalize() if rng.random() < 0.3 else text)
    return out


def test_latin1_rules_lex_like_the_full_rules():
    for text in latin1_texts(400, 0):
        text = ptb_javastr.to_utf16(text)
        assert ptb_lexer.lex(text) == ptb_lexer.lex(text, narrow=False), text


def test_mixed_text_uses_the_full_rules_where_needed():
    # A window holding a character above U+00FF must be lexed with the full rules.
    for text in ["naïve Ελλάδα café", "x. ΟΔΟΣ The", "日本 a.b.c. 3.5", "über\u2028straße"]:
        text = ptb_javastr.to_utf16(text)
        assert ptb_lexer.lex(text) == ptb_lexer.lex(text, narrow=False)


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("MMBENCH_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("MMBENCH_PTB_RULE_CACHE", raising=False)
    return tmp_path / "ptb_rules"


PATTERNS = [r"[A-Za-z]+(?:'s)?", r"\d+(?:\.\d+)?", r"(?:a|ab)(?:c|bcd)"]
SAMPLES = ["man's", "3.25", "abcd", "abc", "x"]


def spans(compiled: dict[str, regex.Pattern]) -> list:
    return [[(m and m.span()) for m in map(compiled[p].match, SAMPLES)] for p in PATTERNS]


def test_cache_round_trip_gives_the_same_patterns(cache, monkeypatch):
    fresh = ptb_rule_cache.compiled(PATTERNS, ptb_grammar.FLAGS)
    assert len(list(cache.glob("rules-*.pkl"))) == 1

    def no_compiling(*args, **kwargs):
        raise AssertionError("should have been read from the cache")

    monkeypatch.setattr(ptb_rule_cache.regex, "compile", no_compiling)
    loaded = ptb_rule_cache.compiled(PATTERNS, ptb_grammar.FLAGS)
    assert spans(loaded) == spans(fresh)
    assert spans(fresh)[2] == [None, None, (0, 4), (0, 3), None]  # POSIX: longest match


def test_other_patterns_or_flags_are_a_miss(cache):
    ptb_rule_cache.compiled(PATTERNS, ptb_grammar.FLAGS)
    ptb_rule_cache.compiled(PATTERNS[:2], ptb_grammar.FLAGS)
    ptb_rule_cache.compiled(PATTERNS, regex.V1)
    assert len(list(cache.glob("rules-*.pkl"))) == 3


def test_corrupt_or_foreign_cache_files_are_ignored_and_replaced(cache):
    ptb_rule_cache.compiled(PATTERNS, ptb_grammar.FLAGS)
    (path,) = cache.glob("rules-*.pkl")
    for junk in (
        b"not a pickle",
        pickle.dumps(["[A-Za-z]+"]),  # wrong patterns
        pickle.dumps(os.getcwd),  # a callable other than regex's: must not even be built
    ):
        path.write_bytes(junk)
        assert spans(ptb_rule_cache.compiled(PATTERNS, ptb_grammar.FLAGS)) == spans(
            {p: regex.compile(p, ptb_grammar.FLAGS) for p in PATTERNS}
        )
        assert path.read_bytes() != junk  # rewritten


def test_cache_can_be_turned_off_and_survives_an_unwritable_folder(cache, monkeypatch, tmp_path):
    monkeypatch.setenv("MMBENCH_PTB_RULE_CACHE", "0")
    assert ptb_rule_cache.cache_dir() is None
    ptb_rule_cache.compiled(PATTERNS, ptb_grammar.FLAGS)
    assert not cache.exists()
    monkeypatch.delenv("MMBENCH_PTB_RULE_CACHE")
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("MMBENCH_CACHE_DIR", str(blocker))  # ptb_rules/ cannot be made here
    assert spans(ptb_rule_cache.compiled(PATTERNS, ptb_grammar.FLAGS))[0][0] == (0, 5)
