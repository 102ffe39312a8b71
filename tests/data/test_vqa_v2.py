"""The ``vqa_v2`` loader on a small folder in the official layout, written by the test: splits,
answers, lazy vs in-memory images, and the errors a user meets."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from mmbench.data.vqa_format import write_vqa_json
from mmbench.data.vqa_v2 import annotations_file, image_file, questions_file, vqa_v2
from mmbench.errors import MmbenchError

COLOURS = [(200, 30, 30), (30, 160, 60), (40, 60, 200), (230, 210, 40)]


def make_folder(root: Path, n_train_images: int = 8, n_test_images: int = 3) -> Path:
    """Two subtypes in the official layout: 2 questions per image, 10 answers each."""
    for subtype, n_images, first_id in (
        ("train2014", n_train_images, 9),
        ("val2014", n_test_images, 500),
    ):
        examples = []
        for k in range(n_images):
            iid = first_id + 7 * k
            colour = COLOURS[k % len(COLOURS)]
            path = root / image_file(subtype, iid)
            path.parent.mkdir(parents=True, exist_ok=True)
            pixels = np.zeros((20, 24, 3), dtype=np.uint8) + np.array(colour, dtype=np.uint8)
            pixels[5:9, 5:12] = 255 - pixels[5:9, 5:12]
            Image.fromarray(pixels).save(path, quality=95)
            for j, (question, answer, atype) in enumerate(
                [("what colour is it?", f"c{k % 4}", "other"), ("is it red?", "yes", "yes/no")]
            ):
                examples.append(
                    {
                        "question_id": iid * 10 + j,
                        "image_id": iid,
                        "question": question,
                        "answers": [answer] * 9 + ["maybe"],
                        "answer_type": atype,
                        "question_type": question.split()[0],
                        "multiple_choice_answer": answer,
                    }
                )
        q_path, a_path = write_vqa_json(examples, root, prefix="tmp_")
        q_path.rename(root / questions_file(subtype))
        a_path.rename(root / annotations_file(subtype))
    return root


def test_splits_keep_whole_images_apart_and_every_answer(tmp_path):
    root = make_folder(tmp_path)
    splits = vqa_v2(task="vqa", root=str(root), n_val=4, image_size=16)
    train_images = {e["image_id"] for e in splits.train}
    val_images = {e["image_id"] for e in splits.val}
    assert len(splits.val) == 4 and len(val_images) == 2 and not train_images & val_images
    assert len(splits.train) == 12 and len(splits.test) == 6
    assert {e["image_id"] for e in splits.test} == {500, 507, 514}
    first = splits.test[0]
    assert first["answers"] == ["c0"] * 9 + ["maybe"] and first["answer_type"] == "other"
    assert first["image"].shape == (16, 16, 3) and first["image"].dtype == np.uint8
    # an image's questions share one array
    same = [e for e in splits.test if e["image_id"] == 500]
    assert len(same) == 2 and same[0]["image"] is same[1]["image"]
    again = vqa_v2(task="vqa", root=str(root), n_val=4, image_size=16)
    assert [e["question_id"] for e in again.val] == [e["question_id"] for e in splits.val]
    other_seed = vqa_v2(task="vqa", root=str(root), n_val=4, image_size=16, seed=5)
    assert {e["image_id"] for e in other_seed.val} != val_images


def test_lazy_references_read_the_same_pixels_one_per_image(tmp_path):
    root = make_folder(tmp_path)
    eager = vqa_v2(task="vqa", root=str(root), n_val=2, image_size=12)
    lazy = vqa_v2(task="vqa", root=str(root), n_val=2, image_size=12, lazy=True)
    for a, b in zip(eager.train + eager.test, lazy.train + lazy.test):
        assert a["question_id"] == b["question_id"]
        assert np.array_equal(a["image"], np.asarray(b["image"]))
    refs = {id(e["image"]) for e in lazy.train}
    assert len(refs) == len({e["image_id"] for e in lazy.train})


def test_errors_name_the_file_and_what_is_expected(tmp_path):
    root = make_folder(tmp_path)
    with pytest.raises(MmbenchError, match="serves task 'vqa', not 'captioning'"):
        vqa_v2(task="captioning", root=str(root))
    with pytest.raises(MmbenchError, match=r"dataset.kwargs.test: expected a VQA v2 subtype"):
        vqa_v2(task="vqa", root=str(root), test="../elsewhere")
    with pytest.raises(MmbenchError, match=r"lacks v2_OpenEnded_mscoco_test2015_questions.json"):
        vqa_v2(task="vqa", root=str(root), test="test2015")
    with pytest.raises(MmbenchError, match="n_val: 100 leaves no training images"):
        vqa_v2(task="vqa", root=str(root), n_val=100)
    (root / image_file("val2014", 507)).unlink()
    with pytest.raises(MmbenchError, match=r"image_id 507 .*COCO_val2014_000000000507.jpg"):
        vqa_v2(task="vqa", root=str(root), n_val=2, lazy=True)
    with pytest.raises(MmbenchError, match="COCO_val2014_000000000507.jpg does not exist"):
        vqa_v2(task="vqa", root=str(root), n_val=2)
    (root / annotations_file("train2014")).write_text(json.dumps({"annotations": 3}))
    with pytest.raises(MmbenchError, match="v2_mscoco_train2014_annotations.json"):
        vqa_v2(task="vqa", root=str(root), n_val=2)


SPEC = """
name: tiny_vqa_v2
task: vqa
dataset: {{name: vqa_v2, kwargs: {{root: {root}, n_val: 4, image_size: 16, lazy: true}}}}
model:
  dim: 16
  encoders: {{image: {{name: cnn, kwargs: {{widths: [8]}}}}, text: {{name: gru}}}}
  fusion: {{name: concat}}
  head: {{name: classifier}}
train: {{epochs: 2, batch_size: 4, lr: 0.01, seed: 0, device: cpu, num_workers: 2}}
tracking: {{experiment: tiny_vqa_v2}}
"""


def test_a_lazy_run_trains_and_scores_with_the_official_accuracy(tmp_path, mlflow_uri):
    import mmbench.api

    root = make_folder(tmp_path / "data")
    spec = tmp_path / "spec.yaml"
    spec.write_text(SPEC.format(root=root), encoding="utf-8")
    out = mmbench.api.run(str(spec))
    assert not out.failures and len(out.outcomes) == 1
    test = out.outcomes[0].test
    assert 0.0 <= test["test/vqa_acc"] <= 100.0 and np.isfinite(test["test/loss"])
