"""WER/CER/MER/WIL agree with jiwer 4.0.0 (corpus and per utterance), quirks included."""

from __future__ import annotations

import random

import jiwer
import numpy as np
import pytest

from mmbench.errors import MmbenchError
from mmbench.metrics.wer import cer, corpus_rates, counts_of, wer
from mmbench.registry import METRICS

PIECES = ["a", "b", "c", "the", "Cat", "cat", "cat.", "é", "e\u0301", "日本", "x\ty", "Hello",
          "hello,", "don't", "\u00a0", "ß"]  # fmt: skip
GLUE = ["", " ", " ", " ", "  ", "\t", "\n", "\t\t", " \n"]


def random_text(rng: random.Random) -> str:
    if rng.random() < 0.08:
        return rng.choice(["", " ", "\t", "  \n "])
    return "".join(rng.choice(PIECES) + rng.choice(GLUE) for _ in range(rng.randint(1, 9)))


def close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-12


@pytest.mark.parametrize("seed", range(4))
def test_corpus_matches_jiwer(seed):
    rng = random.Random(seed)
    for _ in range(300):
        n = rng.randint(1, 5)
        refs = [random_text(rng) for _ in range(n)]
        hyps = [random_text(rng) for _ in range(n)]
        expected = jiwer.process_words(refs, hyps)
        ours = wer(hyps, refs)
        assert close(ours["wer"], expected.wer), (refs, hyps)
        assert close(ours["mer"], expected.mer), (refs, hyps)
        assert close(ours["wil"], expected.wil), (refs, hyps)
        assert close(cer(hyps, refs)["cer"], jiwer.cer(refs, hyps)), (refs, hyps)


def test_per_utterance_matches_jiwer():
    rng = random.Random(11)
    refs = [random_text(rng) for _ in range(400)]
    hyps = [random_text(rng) if rng.random() < 0.7 else refs[i] for i in range(400)]
    w, c = wer(hyps, refs), cer(hyps, refs)
    for i, (r, h) in enumerate(zip(refs, hyps)):
        out = jiwer.process_words(r, h)
        assert close(w.per_example["wer"][i], out.wer)
        assert close(w.per_example["mer"][i], out.mer)
        assert close(w.per_example["wil"][i], out.wil)
        assert close(c.per_example["cer"][i], jiwer.cer(r, h))
        # errors and reference length are unique (the S/D/I split is rapidfuzz's tie-break)
        assert (
            w.per_example["word_substitutions"][i]
            + w.per_example["word_deletions"][i]
            + w.per_example["word_insertions"][i]
            == out.substitutions + out.deletions + out.insertions
        )
        assert w.per_example["word_hits"][i] == out.hits
    # the S/D/I split also agrees with jiwer's alignment
    full = jiwer.process_words(refs, hyps)
    assert int(w.per_example["word_substitutions"].sum()) == full.substitutions
    assert int(w.per_example["word_insertions"].sum()) == full.insertions


@pytest.mark.parametrize(
    "ref, hyp, expected_wer, expected_cer",
    [
        ("", "hello there", 2.0, 11.0),  # empty reference: raw insertion count
        ("", "", 0.0, 0.0),
        ("hello there", "", 1.0, 1.0),
        ("one\ttwo", "one two", 2.0, 1 / 7),  # a lone tab is not a word boundary: S + I
        ("one\t\ttwo", "one two", 0.0, 2 / 8),  # two whitespace characters are
        ("the  quick", "the quick", 0.0, 1 / 10),
        ("Hello World", "hello world", 1.0, 2 / 11),
        ("a", "a b c", 2.0, 4.0),  # WER above 1 with insertions
        ("e\u0301", "é", 1.0, 1.0),  # NFD vs NFC
    ],
)
def test_edge_cases(ref, hyp, expected_wer, expected_cer):
    assert close(wer([hyp], [ref])["wer"], expected_wer)
    assert close(cer([hyp], [ref])["cer"], expected_cer)
    assert close(jiwer.wer(ref, hyp), expected_wer)  # the hand values are jiwer's too


def test_corpus_is_micro_average():
    res = wer(["a", "x y z w"], ["a", "a b c d"])
    assert res["wer"] == 4 / 5  # not the mean of 0 and 1
    assert list(res.per_example["wer"]) == [0.0, 1.0]


def test_empty_input_like_jiwer():
    assert wer([], [])["wer"] == jiwer.wer([], []) == 0.0


def test_bootstrap_counts_recompute_corpus():
    rng = random.Random(3)
    refs = [random_text(rng) for _ in range(50)]
    hyps = [random_text(rng) for _ in range(50)]
    res = wer(hyps, refs)
    idx = np.array([3, 3, 7, 10, 49, 0])
    expected = jiwer.process_words([refs[i] for i in idx], [hyps[i] for i in idx])
    got = corpus_rates(counts_of(res), idx)
    assert close(got["wer"], expected.wer) and close(got["wil"], expected.wil)
    assert corpus_rates(counts_of(res)) == pytest.approx(res.scores)


def test_registered_and_fingerprint():
    assert METRICS.get("wer") is wer and METRICS.get("cer") is cer
    assert wer(["a"], ["a"]).fingerprint.normalizer == "none"
    assert wer(["a"], ["a"], normalizer="basic").fingerprint.normalizer == "basic/1"
    assert cer(["a"], ["a"], normalizer="whisper_en").fingerprint.normalizer == "whisper_en/1"


def test_normalizer_applied_to_both_sides():
    res = wer(["Hello, World!"], ["hello world"], normalizer="basic")
    assert res["wer"] == 0.0
    assert wer(["Hello, World!"], ["hello world"])["wer"] == 1.0


def test_length_mismatch():
    with pytest.raises(MmbenchError):
        wer(["a"], ["a", "b"])
