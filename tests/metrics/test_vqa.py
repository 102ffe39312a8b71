"""VQA accuracy: one hand-checked case per rule of ``vqaEval.py``, plus the pitfalls."""

from __future__ import annotations

import pytest

from mmbench.errors import MmbenchError
from mmbench.metrics.vqa import vqa_accuracy
from mmbench.metrics.vqa_normalize import (
    CONTRACTIONS,
    clean_answer,
    normalize_answer,
    process_digit_article,
    process_punctuation,
)
from mmbench.registry import METRICS

MIXED = ["zzz"]  # one different answer opens the normalisation gate


def acc(pred: str, answers: list[str]) -> float:
    return vqa_accuracy([pred], [answers]).per_example["vqa_acc"][0]


# ---- rule 1: clean-up ---------------------------------------------------------------------------
def test_cleanup_tabs_newlines_and_unicode_strip():
    assert clean_answer("\tyes\n") == "yes"
    assert clean_answer("a\tb\nc") == "a b c"
    assert clean_answer("\u2003yes\u00a0") == "yes"  # str.strip covers Unicode whitespace
    # clean-up applies even behind the gate (identical answers)
    assert acc(" yes\t", ["yes"] * 10) == 100.0


# ---- rule 2: the gate ---------------------------------------------------------------------------
def test_identical_answers_are_compared_exactly():
    assert acc("Yes", ["yes"] * 10) == 0.0
    assert acc("yes.", ["yes"] * 10) == 0.0
    assert acc("yes", ["yes"] * 10) == 100.0
    # after clean-up "yes\t" and "yes" are identical: still gated
    assert acc("Yes", ["yes\t"] + ["yes"] * 9) == 0.0


def test_mixed_answers_are_normalised():
    assert acc("Yes", ["yes"] * 9 + MIXED) == 100.0
    assert acc("yes.", ["yes"] * 9 + MIXED) == 100.0


# ---- rule 3: punctuation ------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text, expected",
    [
        ("black/white", "black white"),
        ("x - y", "x  y"),
        ("t-shirt - red", "tshirt  red"),
        ("t-shirt", "t shirt"),
        ("1,000 (approx)", "1000 approx"),
        ("2,5", "25"),
        ("a,b", "a b"),
        ("a, b", "a b"),
        ("yes.", "yes"),
        ("5.", "5"),
        ("2.5", "2.5"),
        (".5", ".5"),
        ("u.s.", "us"),
        ("a.b.c", "abc"),
        ("it's", "it's"),
        ("x:y #1 $5 50% a&b *^~|", "x:y #1 $5 50% a&b *^~|"),
        ("«oui»…", "«oui»…"),
        ("(a) [b]", " a b "),
        ("hello!", "hello "),
        ("@home", " home"),
        ("c++", "c  "),
        ("a\\b", "a b"),
        ("x_y", "x y"),
        ("`q`", " q "),
        ("{k}", " k "),
        ("=<>", "   "),
        ('"q"', " q "),
        ("a;b", "a b"),
        ("a?", "a "),
        ("what ?", "what "),
    ],
)
def test_punctuation(text, expected):
    assert process_punctuation(text) == expected


def test_period_count_quirk():
    assert process_punctuation("." * 40) == "." * 8
    assert process_punctuation("." * 32) == ""
    assert process_punctuation("." * 33) == "."
    assert process_punctuation("a." * 33 + "5") == "a" * 33 + ".5"  # last "." precedes a digit
    assert process_punctuation("a." * 34) == "a" * 32 + "a.a."


def test_digit_comma_digit_flag_uses_unicode_digits():
    assert process_punctuation("٣,٤ (x)") == "٣٤ x"


# ---- rule 4: digits and articles ----------------------------------------------------------------
@pytest.mark.parametrize(
    "text, expected",
    [
        ("None", "0"),
        ("zero", "0"),
        ("One Two Three", "1 2 3"),
        ("ten", "10"),
        ("eleven", "eleven"),
        ("twenty", "twenty"),
        ("the cat", "cat"),
        ("A Dog", "dog"),
        ("an apple", "apple"),
        ("  many\u00a0spaces\u2003here ", "many spaces here"),
        ("DONT", "don't"),
        ("oclock", "o'clock"),
        ("yall", "y'all"),
        ("Im", "im"),
        ("ive", "ive"),
        ("its", "its"),
        ("let's", "let's"),
        ("she's", "she's"),
        ("somebody'd", "somebodyd"),
        ("ow's'at", "'ow's'at"),
        ("twas", "'twas"),
    ],
)
def test_digit_article(text, expected):
    assert process_digit_article(text) == expected


def test_articles_dropped_after_number_mapping():
    assert normalize_answer("a/b/c") == "b c"
    assert normalize_answer("n/a") == "n"


def test_contraction_table_size_and_quirks():
    assert len(CONTRACTIONS) == 120
    for key in ("Im", "Ive", "Id've", "I'dve"):
        assert key in CONTRACTIONS and key.lower() not in CONTRACTIONS
    assert "its" not in CONTRACTIONS
    assert CONTRACTIONS["somebody'd"] == "somebodyd"


# ---- rule 6: leave-one-out score ----------------------------------------------------------------
@pytest.mark.parametrize("m, expected", [(0, 0.0), (1, 30.0), (2, 60.0), (3, 90.0), (4, 100.0)])
def test_leave_one_out_by_index(m, expected):
    answers = ["cat"] * m + ["dog"] * (10 - m)
    assert acc("cat", answers) == expected
    # identical answer strings are still separate annotators (index, not value)
    assert acc("cat", answers[::-1]) == expected


def test_ten_matches_and_other_answer_counts():
    assert acc("dog", ["dog"] * 9 + ["cat"]) == 100.0
    # 3 answers, 1 match: annotators get 0 (the match itself), 1/3, 1/3 → mean 2/9
    assert acc("a1", ["a1", "b", "c"]) == round(100 * (2 / 9), 2)


# ---- surprising matches (pitfalls) --------------------------------------------------------------
@pytest.mark.parametrize(
    "pred, gt",
    [("none", "0"), ("zero", "0"), ("", "?"), ("", "the"), ("", "..."), ("10+", "10"),
     ("2,3", "23"), ("T-Shirt", "t shirt"), ("Two dogs", "2 dogs"), ("the dog.", "Dog")],
)  # fmt: skip
def test_surprising_matches(pred, gt):
    assert acc(pred, [gt] * 4 + ["other"] * 6) == 100.0


@pytest.mark.parametrize("pred, gt", [("#23", "23"), ("$5", "5"), ("Im", "i'm"), ("its", "it's")])
def test_surprising_non_matches(pred, gt):
    assert acc(pred, [gt] * 4 + ["other"] * 6) == 0.0


def test_periods_prediction_vs_ground_truth():
    # 8 periods → empty; 40 GT periods → 8 periods: no match
    assert acc("." * 8, ["." * 40] * 4 + ["x"] * 6) == 0.0
    assert acc("." * 40, ["." * 40] * 4 + ["x"] * 6) == 100.0


# ---- rule 7: reporting --------------------------------------------------------------------------
def test_rounding_and_breakdown():
    preds = ["cat", "cat", "cat"]
    refs = [["cat"] * 1 + ["x"] * 9, ["cat"] * 2 + ["x"] * 8, ["x"] * 10]
    res = vqa_accuracy(preds, refs, answer_types=["a", "b", "a"], question_types=["q"] * 3)
    assert list(res.per_example["vqa_acc"]) == [30.0, 60.0, 0.0]
    assert res["vqa_acc"] == 30.0
    assert res.breakdown["answer_type"] == {"a": 15.0, "b": 60.0}
    assert res.breakdown["question_type"] == {"q": 30.0}
    # (0.3 + 0.3 + 0) / 3 = 0.2; and a non-terminating mean 2/9 is rounded to 2 decimals
    res = vqa_accuracy(["cat"] * 3, [["cat"] + ["x"] * 9] * 2 + [["x"] * 10])
    assert res["vqa_acc"] == 20.0
    res = vqa_accuracy(["a1"] * 3, [["a1", "b", "c"]] * 3)
    assert res["vqa_acc"] == 22.22


def test_registered_and_fingerprint():
    assert METRICS.get("vqa_acc") is vqa_accuracy
    assert vqa_accuracy(["a"], [["a"] * 10]).fingerprint.metric == "vqa_acc"


def test_bad_lengths():
    with pytest.raises(MmbenchError):
        vqa_accuracy(["a"], [])
    with pytest.raises(MmbenchError):
        vqa_accuracy(["a"], [[]])
    with pytest.raises(MmbenchError):
        vqa_accuracy(["a"], [["a"]], answer_types=["x", "y"])


def test_caches_stay_bounded_and_empty_questions_are_named(monkeypatch):
    from mmbench.metrics import vqa_normalize

    monkeypatch.setattr(vqa_normalize, "LIMIT", 3)
    vqa_normalize.clear_caches()
    for i in range(10):
        assert normalize_answer(f"The {i}!") == f"{i}"
        assert len(vqa_normalize.CLEANED) <= 4 and len(vqa_normalize.NORMALIZED) <= 4
    vqa_accuracy([f"x{i}" for i in range(8)], [["a", "b"]] * 8)
    assert len(vqa_normalize.NORMALIZED) <= 3 + 9  # emptied first, then this call's strings
    with pytest.raises(MmbenchError, match="question 2 has no reference answers"):
        vqa_accuracy(["a", "b", "c"], [["a"], ["b"], []])
