"""``mmbench eval asr``: jsonl or Kaldi files, numbers equal to jiwer's; bad files exit 2."""

from __future__ import annotations

import json
import random

import jiwer
import numpy as np
import pytest

from mmbench.evaluation import evaluate_asr
from tests.evaluation.helpers import assert_user_error, invoke, write_jsonl

REFS = {"u1": "the cat sat on the mat", "u2": "Hello World", "u3": "", "u4": "one\ttwo  three"}
HYPS = {"u1": "the cat sat on mat", "u2": "hello world!", "u3": "uh", "u4": "one two three"}


def files(tmp_path, refs=REFS, hyps=HYPS):
    ref = write_jsonl(tmp_path / "ref.jsonl", [{"id": k, "text": v} for k, v in refs.items()])
    hyp = write_jsonl(tmp_path / "hyp.jsonl", [{"id": k, "text": v} for k, v in hyps.items()])
    return hyp, ref


def run(hyp, ref, *extra):
    return invoke("asr", "--predictions", hyp, "--references", ref, *extra)


def test_scores_equal_jiwer(tmp_path):
    hyp, ref = files(tmp_path)
    out = json.loads(run(hyp, ref, "--json").stdout)
    ids = list(REFS)
    expected = jiwer.process_words([REFS[i] for i in ids], [HYPS[i] for i in ids])
    assert out["scores"]["wer"] == pytest.approx(expected.wer, abs=1e-12)
    assert out["scores"]["mer"] == pytest.approx(expected.mer, abs=1e-12)
    assert out["scores"]["wil"] == pytest.approx(expected.wil, abs=1e-12)
    cer = jiwer.cer([REFS[i] for i in ids], [HYPS[i] for i in ids])
    assert out["scores"]["cer"] == pytest.approx(cer, abs=1e-12)
    assert set(out["fingerprints"]) == {"wer", "cer"}


def test_kaldi_files_and_order_independence(tmp_path):
    (tmp_path / "ref.txt").write_text("a1 the cat\na2 a dog barks\na3\n", encoding="utf-8")
    (tmp_path / "hyp.txt").write_text("a3 noise\na2 a dog\na1 the cat\n", encoding="utf-8")
    out = json.loads(run(tmp_path / "hyp.txt", tmp_path / "ref.txt", "--json").stdout)
    expected = jiwer.wer(["the cat", "a dog barks", ""], ["the cat", "a dog", "noise"])
    assert out["scores"]["wer"] == pytest.approx(expected)  # 2 errors / 5 words


def test_normalizer_option(tmp_path):
    hyp, ref = files(tmp_path, {"x": "Hello, World"}, {"x": "hello world"})
    assert json.loads(run(hyp, ref, "--json").stdout)["scores"]["wer"] == 1.0
    out = json.loads(run(hyp, ref, "--json", "--normalizer", "basic").stdout)
    assert out["scores"]["wer"] == 0.0
    assert "norm=basic/1" in out["fingerprints"]["wer"]
    assert run(hyp, ref, "--normalizer", "nope").exit_code == 2  # click's own choice check


def test_ci_recomputes_corpus_wer(tmp_path):
    rng = random.Random(0)
    words = ["a", "b", "c", "d"]
    refs = {f"u{i}": " ".join(rng.choices(words, k=rng.randint(1, 6))) for i in range(40)}
    hyps = {k: " ".join(rng.choices(words, k=rng.randint(0, 6))) for k in refs}
    hyp, ref = files(tmp_path, refs, hyps)
    report = evaluate_asr(hyp, ref, ci=True, seed=1)
    lo, hi = report.ci["wer"]
    assert lo < report.scores["wer"] < hi
    # the interval is of corpus WER (micro average), not of the mean per-utterance WER
    rng_np = np.random.default_rng(1)
    idx = rng_np.integers(0, 40, size=40)
    ids = list(refs)
    first = jiwer.wer([refs[ids[i]] for i in idx], [hyps[ids[i]] for i in idx])
    assert lo <= first <= hi
    assert set(report.ci) == {"wer", "mer", "wil", "cer"}


def test_per_example_jsonl(tmp_path):
    hyp, ref = files(tmp_path)
    assert run(hyp, ref, "--per-example", tmp_path / "p.jsonl").exit_code == 0
    rows = [json.loads(x) for x in (tmp_path / "p.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == list(REFS)
    assert rows[2]["wer"] == 1.0 and rows[2]["word_insertions"] == 1  # empty reference: 1 ins
    assert rows[0]["wer"] == pytest.approx(jiwer.wer(REFS["u1"], HYPS["u1"]))


def test_bad_inputs(tmp_path):
    hyp, ref = files(tmp_path)
    hyp.write_text('{"id": "u1", "text": "a"}\nnot json\n{"id": "u2"\n', encoding="utf-8")
    assert_user_error(run(hyp, ref), "hyp.jsonl", "unparsable JSON lines", "line 2", "line 3")
    write_jsonl(hyp, [{"id": k, "text": v} for k, v in HYPS.items()] + [{"id": "u1", "text": ""}])
    assert_user_error(run(hyp, ref), "hyp.jsonl", "duplicate id", "'u1'")
    write_jsonl(hyp, [{"id": k, "text": v} for k, v in list(HYPS.items())[:2]])
    assert_user_error(run(hyp, ref), "hyp.jsonl", "no prediction", "'u3', 'u4'")
    write_jsonl(hyp, [{"id": k, "txt": v} for k, v in HYPS.items()])
    assert_user_error(run(hyp, ref), "hyp.jsonl", 'missing "text"')
    hyp.write_bytes(b"u1 caf\xe9\n")
    assert_user_error(run(hyp, ref), "hyp.jsonl", "not valid UTF-8")
    hyp.write_text("", encoding="utf-8")
    assert_user_error(run(hyp, ref), "hyp.jsonl", "empty")


def test_integer_and_string_ids_agree(tmp_path):
    ref = write_jsonl(tmp_path / "r.jsonl", [{"id": 1, "text": "a b"}])
    hyp = write_jsonl(tmp_path / "h.jsonl", [{"id": "1", "text": "a b"}])
    assert evaluate_asr(hyp, ref).scores["wer"] == 0.0
