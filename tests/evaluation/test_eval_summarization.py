"""``mmbench eval summarization``: ROUGE equal to rouge-score's; single or multiple references."""

from __future__ import annotations

import json

import numpy as np
import pytest
from rouge_score import rouge_scorer

from tests.evaluation.helpers import assert_user_error, invoke, write_jsonl

PREDS = {"d1": "the cats were running fast", "d2": "a model of fusion.\nit works"}
REFS = {"d1": "the cat runs fast", "d2": ["fusion models work", "a fused model works well"]}


def files(tmp_path, refs=REFS):
    pred = write_jsonl(tmp_path / "pred.jsonl", [{"id": k, "summary": v} for k, v in PREDS.items()])
    ref = write_jsonl(
        tmp_path / "ref.jsonl",
        [{"id": k, "summary": v} if isinstance(v, str) else {"id": k, "references": v}
         for k, v in refs.items()],
    )  # fmt: skip
    return pred, ref


@pytest.mark.parametrize("stemmer", [False, True])
def test_scores_equal_rouge_score(tmp_path, stemmer):
    pred, ref = files(tmp_path)
    flag = "--stemmer" if stemmer else "--no-stemmer"
    result = invoke("summarization", "--predictions", pred, "--references", ref, "--json", flag)
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    types = ["rouge1", "rouge2", "rougeL", "rougeLsum"]
    scorer = rouge_scorer.RougeScorer(types, use_stemmer=stemmer)
    per = [scorer.score("the cat runs fast", PREDS["d1"]),
           scorer.score_multi(REFS["d2"], PREDS["d2"])]  # fmt: skip
    for t in types:
        assert out["scores"][t] == pytest.approx(np.mean([p[t].fmeasure for p in per]), abs=1e-12)
    assert out["options"] == {"use_stemmer": stemmer}


def test_ci_on_f_scores(tmp_path):
    pred, ref = files(tmp_path)
    args = ["summarization", "--predictions", pred, "--references", ref, "--json", "--ci"]
    out = json.loads(invoke(*args).stdout)
    assert set(out["ci"]) == {"rouge1", "rouge2", "rougeL", "rougeLsum"}


def test_bad_reference_records(tmp_path):
    pred, ref = files(tmp_path, {"d1": "x", "d2": []})
    result = invoke("summarization", "--predictions", pred, "--references", ref)
    assert_user_error(result, "ref.jsonl", '"references" list', "'d2'")
    write_jsonl(ref, [{"id": "d1", "summary": "x"}, {"id": "d3", "summary": "y"}])
    result = invoke("summarization", "--predictions", pred, "--references", ref)
    assert_user_error(result, "pred.jsonl", "no prediction", "'d3'", "not in", "'d2'")
