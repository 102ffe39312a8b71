"""``mmbench eval captioning``: COCO formats; needs the CIDEr-D and BLEU modules."""

from __future__ import annotations

import importlib
import json
import shutil

import pytest

from tests.evaluation.helpers import assert_user_error, invoke, write_json

cider = pytest.importorskip("mmbench.metrics.cider")
bleu = pytest.importorskip("mmbench.metrics.bleu")

CAPTIONS = {
    1: ["a man riding a horse", "a person on a horse", "man rides brown horse"],
    2: ["two dogs playing in the snow", "dogs play in snow"],
    3: ["a red bus on the street", "a bus driving down a road"],
}
RESULTS = {1: "a man riding a horse", 2: "a dog in the snow", 3: "a bus on a road"}


def files(tmp_path, results=RESULTS):
    refs = {
        "images": [{"id": i} for i in CAPTIONS],
        "annotations": [{"image_id": i, "caption": c, "id": 10 * i + k}
                        for i, caps in CAPTIONS.items() for k, c in enumerate(caps)],
    }  # fmt: skip
    res = [{"image_id": i, "caption": c} for i, c in results.items()]
    return write_json(tmp_path / "res.json", res), write_json(tmp_path / "caps.json", refs)


def test_scores_equal_functional_forms(tmp_path):
    res, refs = files(tmp_path)
    out = invoke("captioning", "--predictions", res, "--references", refs, "--json")
    assert out.exit_code == 0, out.output
    scores = json.loads(out.stdout)["scores"]
    preds, gts = list(RESULTS.values()), list(CAPTIONS.values())
    assert scores["cider"] == pytest.approx(cider.cider_d(preds, gts)["cider"])
    assert scores["bleu4"] == pytest.approx(bleu.bleu(preds, gts)["bleu4"])


def test_subset_needs_flag(tmp_path):
    res, refs = files(tmp_path, {1: "a man", 2: "dogs"})
    out = invoke("captioning", "--predictions", res, "--references", refs)
    assert_user_error(out, "res.json", "image_id(s) of", "3", "no prediction")
    out = invoke(
        "captioning", "--predictions", res, "--references", refs, "--allow-subset", "--json"
    )
    assert out.exit_code == 0 and json.loads(out.stdout)["n"] == 2


def test_duplicate_image(tmp_path):
    res, refs = files(tmp_path)
    write_json(res, [{"image_id": 1, "caption": "a"}, {"image_id": 1, "caption": "b"}])
    out = invoke("captioning", "--predictions", res, "--references", refs)
    assert_user_error(out, "res.json", "duplicate image_id", "1")


def test_meteor_flag_adds_meteor(tmp_path, monkeypatch):
    # Wiring only, with METEOR stubbed (no Java run here): the jar itself is compared with
    # pycocoevalcap in tests/metrics/test_meteor.py and run for real in the captioning task test.
    import numpy as np

    from mmbench.metrics.base import Fingerprint, MetricResult

    meteor_module = importlib.import_module("mmbench.metrics.meteor")  # not the function
    calls = []

    def stub(preds, refs, **kwargs):
        calls.append((list(preds), [list(r) for r in refs], kwargs))
        fp = Fingerprint("meteor", meteor_module.VERSION, "pycocoevalcap==1.2", tokenizer="x")
        return MetricResult({"meteor": 0.25}, {"meteor": np.full(len(preds), 0.25)}, fp)

    monkeypatch.setattr(meteor_module, "java_available", lambda: True)
    monkeypatch.setattr(meteor_module, "meteor", stub)
    res, refs = files(tmp_path)
    per = tmp_path / "per.csv"
    args = ["--predictions", res, "--references", refs, "--meteor", "--per-example", per]
    out = invoke("captioning", *args, "--json")
    assert out.exit_code == 0, out.output
    report = json.loads(out.stdout)
    assert calls == [(list(RESULTS.values()), list(CAPTIONS.values()), {"tokenizer": "python"})]
    assert report["scores"]["meteor"] == 0.25 and "cider" in report["scores"]
    assert report["fingerprints"]["meteor"].startswith("meteor")
    assert report["options"]["meteor"] is True
    assert "meteor" in per.read_text().splitlines()[0]
    plain = json.loads(invoke("captioning", "--predictions", res, "--references", refs,
                              "--json").stdout)  # fmt: skip
    assert "meteor" not in plain["scores"] and plain["options"]["meteor"] is False
    assert len(calls) == 1


def test_meteor_without_java_is_a_clear_error(tmp_path, monkeypatch):
    res, refs = files(tmp_path)
    monkeypatch.setattr(shutil, "which", lambda name: None)
    out = invoke("captioning", "--predictions", res, "--references", refs, "--meteor")
    assert_user_error(out, "METEOR needs a Java runtime", "'java' is not on PATH")
