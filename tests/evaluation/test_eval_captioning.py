"""``mmbench eval captioning``: COCO formats; needs the CIDEr-D and BLEU modules."""

from __future__ import annotations

import json

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
