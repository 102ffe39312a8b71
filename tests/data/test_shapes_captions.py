"""shapes_captions: five varied references that describe the scene, compositional test split."""

from __future__ import annotations

import numpy as np
import pytest

from mmbench.data.shapes_caption_text import COLOUR_WORDS, SHAPE_WORDS
from mmbench.data.shapes_captions import HELDOUT, most_common_caption, shapes_captions
from mmbench.data.shapes_scene import render
from mmbench.errors import MmbenchError


@pytest.fixture(scope="module")
def splits():
    return shapes_captions(task="captioning", n_train=80, n_val=20, n_test=40, seed=5)


def pairs(ex):
    return {f"{o['colour']} {o['shape']}" for o in ex["scene"]["objects"]}


def test_references_are_five_varied_and_mention_every_object(splits):
    distinct = 0
    for ex in splits.train + splits.test:
        refs = ex["captions"]
        assert len(refs) == 5
        distinct += len(set(refs))
        for ref in refs:
            for obj in ex["scene"]["objects"]:
                assert any(w in ref for w in COLOUR_WORDS[obj["colour"]]), (ref, obj)
                assert any(w in ref for w in SHAPE_WORDS[obj["shape"]]), (ref, obj)
    assert distinct / (5 * 120) > 0.9  # phrasings vary
    orders = set()
    for ex in splits.train:
        if len(ex["scene"]["objects"]) == 2:
            firsts = {ref.split()[-1] for ref in ex["captions"]}
            orders.add(len(firsts) > 1)
    assert True in orders  # word order varies between references of one image


def test_compositional_split(splits):
    held = set(HELDOUT)
    assert not any(pairs(ex) & held for ex in splits.train + splits.val)
    assert all(pairs(ex) & held and ex["heldout"] for ex in splits.test)
    plain = shapes_captions(task="captioning", n_train=5, n_val=5, n_test=40, compositional=False)
    assert not any(pairs(ex) & held for ex in plain.test)


def test_images_render_the_scene_and_data_is_seeded(splits):
    ex = splits.train[3]
    assert ex["image"].shape == (32, 32, 3) and ex["image"].dtype == np.uint8
    assert np.array_equal(ex["image"], render(ex["scene"]))
    again = shapes_captions(task="captioning", n_train=80, n_val=1, n_test=1, seed=5)
    assert [e["captions"] for e in again.train] == [e["captions"] for e in splits.train]
    assert [e["tags"] for e in again.train] == [e["tags"] for e in splits.train]


def test_tags_are_noisy_detections(splits):
    exact = sum(
        set(ex["tags"].split()) == {w for p in pairs(ex) for w in p.split()} for ex in splits.train
    )
    assert 0.3 < exact / len(splits.train) < 0.95
    clean = shapes_captions(
        task="captioning", n_train=30, n_val=1, n_test=1, tag_drop=0, tag_noise=0, tag_spurious=0
    )
    for ex in clean.train:
        tags = ex["tags"].split()
        assert sorted(" ".join(tags[i : i + 2]) for i in range(0, len(tags), 2)) == sorted(
            f"{o['colour']} {o['shape']}" for o in ex["scene"]["objects"]
        )


def test_most_common_caption_and_bad_kwargs(splits):
    mode = most_common_caption(splits.train)
    counts = [sum(c == mode for e in splits.train for c in e["captions"])]
    assert counts[0] >= 2
    with pytest.raises(MmbenchError, match="heldout: 'pink circle'"):
        shapes_captions(task="captioning", heldout=["pink circle"])
    with pytest.raises(MmbenchError, match="serves task 'captioning'"):
        shapes_captions(task="vqa")
