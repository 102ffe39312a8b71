"""scene_summaries: summaries need facts from both the report and the photo."""

from __future__ import annotations

import numpy as np

from mmbench.data.scene_summaries import scene_summaries
from mmbench.data.shapes_scene import render


def test_summaries_need_text_and_image_facts():
    splits = scene_summaries(task="summarization", n_train=60, n_val=2, n_test=2, seed=4)
    for ex in splits.train:
        assert len(ex["summaries"]) >= 2 and len(set(ex["summaries"])) == len(ex["summaries"])
        assert len(ex["sentences"]) >= 3
        facts = ex["facts"]
        for key in ("name", "city", "day"):
            assert facts[key] in ex["document"]
            assert all(facts[key] in s for s in ex["summaries"])
        for obj in ex["scene"]["objects"]:
            piece = f"{obj['colour']} {obj['shape']}"
            assert all(piece in s for s in ex["summaries"])
            assert obj["shape"] not in ex["document"]  # only the photo shows the pieces
        assert np.array_equal(ex["image"], render(ex["scene"]))
    again = scene_summaries(task="summarization", n_train=60, n_val=2, n_test=2, seed=4)
    assert [e["document"] for e in again.train] == [e["document"] for e in splits.train]
