"""The Python PTBTokenizer port against pycocoevalcap's PTBTokenizer (Java), and against itself.

Java tests call ``pycocoevalcap.tokenizer.ptbtokenizer.PTBTokenizer`` directly (one JVM per
comparison) and skip where ``java`` is missing. The others need no Java: Java outputs recorded
from pycocoevalcap 1.2's PTBTokenizer, and the memoised fast path against the exact, slow lexer.
"""

from __future__ import annotations

import logging
import random
import shutil
import string

import numpy as np
import pytest

from mmbench.errors import MmbenchError
from mmbench.metrics._ptb import chunks as ptb_chunks
from mmbench.metrics._ptb import javastr as ptb_javastr
from mmbench.metrics._ptb import tokenizer as ptb_tokenizer
from mmbench.metrics._ptb.tokenizer import java_ptb_tokenize, ptb_tokenize, ptb_word_ids
from tests.metrics.caption_corpora import SPECIAL, adversarial, everyday, tricky

needs_java = pytest.mark.skipif(shutil.which("java") is None, reason="needs a Java runtime")

# Outputs of PTBTokenizer -preserveLines -lowerCase + pycocoevalcap's filter, as
# pycocoevalcap 1.2 gives them.
DOCUMENTED = [
    ("It's a dog's bone", "it 's a dog 's bone"),
    ("I don't know", "i do n't know"),
    ("you cannot go", "you can not go"),
    ("we're gonna win", "we 're gon na win"),
    ("the u.s. flag", "the u.s. flag"),
    ("at 5 p.m. today", "at 5 p.m. today"),
    ("mr. smith e.g. this", "mr. smith e.g. this"),
    ("A dog.", "a dog"),
    ("a t-shirt 3/4 50/50 1,000 2.5 @home <angle> & x@y.com", None),
    ("$5 3.5% #1", "$ 5 3.5 % # 1"),
    ("(a) [b] {c}", "-lrb- a -rrb- -lsb- b -rsb- -lcb- c -rcb-"),
    ("\"x\" “y” 'z'", "x y z"),
    ("wow!!! really?! no ! ?", "wow !!! really ?! no"),
    ("a -- b — c", "a b c"),
    ("Café naïve 日本", "café naïve 日本"),
    ("", ""),
]
DOCUMENTED[8] = (DOCUMENTED[8][0], DOCUMENTED[8][0].lower())  # all single tokens


def java_reference(captions: list[str]) -> list[str | None]:
    """pycocoevalcap's PTBTokenizer, one caption per image (None: no output line)."""
    from pycocoevalcap.tokenizer.ptbtokenizer import PTBTokenizer

    out = PTBTokenizer().tokenize({i: [{"caption": c}] for i, c in enumerate(captions)})
    return [out[i][0] if i in out else None for i in range(len(captions))]


def assert_same(captions: list[str], got: list[str], want: list[str | None]) -> None:
    bad = [(c, g, w) for c, g, w in zip(captions, got, want) if g != w]
    assert not bad, f"{len(bad)} of {len(captions)} differ, e.g. {bad[:3]}"


@pytest.mark.parametrize("caption, expected", DOCUMENTED)
def test_documented_java_behaviour(caption, expected):
    assert ptb_tokenize([caption]) == [expected]


def test_empty_input_and_alignment():
    assert ptb_tokenize([]) == []
    assert ptb_tokenize(["", "A cat.", "", "", "dog ."]) == ["", "a cat", "", "", "dog"]


def test_line_break_characters_shift_later_captions(caplog):
    # Java reads U+2028 as a line break: pycocoevalcap pairs the extra line with the next caption.
    with caplog.at_level(logging.WARNING):
        assert ptb_tokenize(["a\u2028b", "c", "d"]) == ["a", "b", "c"]
    assert "shifted" in caplog.text


def test_sgml_tag_spanning_captions_keeps_alignment():
    # One token holds the newline that joins the captions; Java writes it, so lines still align.
    assert ptb_tokenize(["<a b='x", "y'>", "z"]) == ["<a\xa0b='x", "y'>", "z"]


@pytest.mark.parametrize("seed", [0, 1])
def test_fast_path_equals_exact_lexer(seed):
    # Memoised chunks + exactly lexed hot spots must give what lexing the whole text gives.
    rng = random.Random(seed)
    for trial in range(150):
        captions = tricky(rng.randint(1, 6), seed * 1000 + trial)
        text = "\n".join(c.replace("\n", " ") for c in captions)
        slow = ptb_tokenizer._slow_lines(ptb_javastr.to_utf16(text))
        if len(slow) >= len(captions):
            assert ptb_tokenize(captions) == slow[: len(captions)], captions


def test_word_ids_are_the_split_words():
    captions = adversarial(150, 3) + everyday(50, 3)[0]
    ids, n_words = ptb_word_ids(captions)
    words = [w for line in ptb_tokenize(captions) for w in line.split()]
    assert n_words.sum() == len(ids) == len(words)
    assert [len(line.split()) for line in ptb_tokenize(captions)] == list(n_words)
    first: dict[str, int] = {}
    for w, i in zip(words, ids.tolist()):
        assert first.setdefault(w, i) == i  # equal words, equal ids …
    assert len(set(first.values())) == len(first)  # … and different words, different ids
    assert ptb_word_ids([])[0].shape == (0,) and isinstance(n_words, np.ndarray)


def test_java_tokenizer_without_java_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(MmbenchError, match="Java"):
        java_ptb_tokenize(["a dog"])


@needs_java
@pytest.mark.java
def test_documented_cases_and_corpora_match_java():
    captions = [c for c, _ in DOCUMENTED] + adversarial(700, 11) + everyday(100, 11)[0]
    assert_same(captions, ptb_tokenize(captions), java_reference(captions))


@needs_java
@pytest.mark.java
def test_tricky_pieces_match_java():
    captions = tricky(500, 7)
    assert_same(captions, ptb_tokenize(captions), java_reference(captions))


@needs_java
@pytest.mark.java
def test_single_characters_match_java():
    # Character classes (letters, digits, symbols, spaces) as JFlex 1.5.1 knew them.
    rng = random.Random(5)
    chars = [chr(c) for c in rng.sample(range(0x20, 0xD800), 1500)]
    captions = [t.replace("C", c) for c in chars for t in ("aCb", "1C", "x C. The")]
    assert_same(captions, ptb_tokenize(captions), java_reference(captions))


@needs_java
@pytest.mark.java
def test_line_break_shift_and_spanning_tag_match_java():
    assert java_reference(["a\u2028b", "c", "d"]) == ["a", "b", "c"]
    assert java_reference(["<a b='x", "y'>", "z"]) == ["<a\xa0b='x", "y'>", "z"]
    assert java_ptb_tokenize(["A cat.", "It's"]) == ["a cat", "it 's"]


@needs_java
@pytest.mark.java
def test_greek_capital_sigma_lowercases_like_java():
    # Java picks the final form ς by word boundaries (digits and inner . - _ ' don't break).
    rng = random.Random(2)
    alphabet = list("ΣΣΑΒα12xX-_.'·:/@éǅʰª ") + ["\u0301", "\u00ad", "\u200d"]
    captions = ["".join(rng.choices(alphabet, k=rng.randint(1, 9))) for _ in range(600)]
    assert_same(captions, ptb_tokenize(captions), java_reference(captions))


def test_newlines_inside_captions_are_spaces():
    assert ptb_tokenize(["a\ndog.", "The\n\ncat"]) == ["a dog", "the cat"]
    ids, n_words = ptb_word_ids(["a\ndog.", "The\n\ncat"])
    assert list(n_words) == [2, 2] and len(set(ids.tolist())) == 4


def test_word_chunk_codes_equal_lexed_words():
    # Letters-only chunks skip the lexer when their code is computed: same word as the lexer's.
    rng = random.Random(3)
    chunks = [w for w in SPECIAL if w.isalpha()] + ["Cannot", "GONNA", "wanna", "I", "a"]
    chunks += ["".join(rng.choices(string.ascii_letters, k=rng.randint(1, 9))) for _ in range(500)]
    ptb_tokenizer.clear_cache()
    codes = {chunk: ptb_tokenizer._codes[chunk] for chunk in chunks}
    word_of = {i: w for w, i in ptb_tokenizer._vocab.items()}
    for chunk, code in codes.items():
        ids = ptb_tokenizer._multi[-3 - code].tolist() if code <= -3 else [code]  # "can not"
        assert [word_of[i] for i in ids] == ptb_tokenizer._lexed(chunk).split(), chunk


@pytest.mark.parametrize("block", [1, 5, 40])
def test_long_stretches_cut_into_pieces_give_the_same_tokens(monkeypatch, block):
    # Stretches are lexed ~64 KB at a time; tiny pieces put a cut at every kind of spot.
    captions = tricky(40, 3) + everyday(40, 3)[0] + ["a  b", " lead", "trail ", "x\ny", "  "]
    whole = ptb_tokenize(captions), ptb_word_ids(captions)
    monkeypatch.setattr(ptb_chunks, "_BLOCK", block)
    ptb_tokenizer.clear_cache()
    assert ptb_tokenize(captions) == whole[0]
    ids, n_words = ptb_word_ids(captions)
    assert n_words.tolist() == whole[1][1].tolist()
    before, after = whole[1][0].tolist(), ids.tolist()  # ids renumbered: same words, same ids
    assert len(set(zip(before, after))) == len(set(before)) == len(set(after))
