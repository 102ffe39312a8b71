"""coco_captions: a small COCO-format fixture (annotation JSON + image folder) in tmp_path."""

from __future__ import annotations

import json

import numpy as np
import pytest
from PIL import Image

from mmbench.data.coco_captions import coco_captions, read_coco_captions
from mmbench.errors import MmbenchError


def make_fixture(root, n_images=3):
    (root / "images").mkdir(parents=True)
    (root / "annotations").mkdir()
    images, anns = [], []
    rng = np.random.default_rng(0)
    for i in range(n_images):
        name = f"COCO_{i:012d}.jpg"
        Image.fromarray(rng.integers(0, 255, (24, 30, 3), dtype=np.uint8)).save(
            root / "images" / name
        )
        images.append({"id": 100 + i, "file_name": name, "height": 24, "width": 30})
        for k in range(2 + i):
            anns.append({"id": len(anns), "image_id": 100 + i, "caption": f"A photo {i} no {k}. "})
    data = {"info": {}, "images": images, "annotations": anns}
    for split in ("train", "val", "test"):
        (root / "annotations" / f"captions_{split}.json").write_text(json.dumps(data))
    return data


def test_loads_images_and_all_captions(tmp_path):
    make_fixture(tmp_path)
    splits = coco_captions(task="captioning", root=str(tmp_path), image_size=16)
    assert [e["image_id"] for e in splits.train] == [100, 101, 102]
    assert [len(e["captions"]) for e in splits.val] == [2, 3, 4]
    assert splits.test[1]["captions"][0] == "A photo 1 no 0."
    assert splits.train[0]["image"].shape == (16, 16, 3)
    assert len(coco_captions(task="captioning", root=str(tmp_path), limit=2).test) == 2


def test_bad_annotation_files(tmp_path):
    data = make_fixture(tmp_path)
    path = tmp_path / "bad.json"
    bad = dict(data)
    bad["annotations"] = data["annotations"][:-4] + [
        {"image_id": 102, "caption": ""},
        {"image_id": 999, "caption": "x"},
    ]
    path.write_text(json.dumps(bad))
    with pytest.raises(MmbenchError) as err:
        read_coco_captions(path, tmp_path / "images")
    text = str(err.value)
    assert f"{path}: image_id 102: an empty caption" in text
    assert f"{path}: images[2] (id 102): no caption" in text
    assert "refer to images not listed" in text
    path.write_text("{broken")
    with pytest.raises(MmbenchError, match="invalid JSON at line 1"):
        read_coco_captions(path, tmp_path / "images")
    path.write_text(json.dumps({"annotations": []}))
    with pytest.raises(MmbenchError, match='"images" list'):
        read_coco_captions(path, tmp_path / "images")
    path.write_text(json.dumps({"images": [{"id": 1}], "annotations": []}))
    with pytest.raises(MmbenchError, match='missing "file_name" in 1 record'):
        read_coco_captions(path, tmp_path / "images")
    (tmp_path / "images" / "COCO_000000000001.jpg").unlink()
    with pytest.raises(MmbenchError, match=r"images\[1\] \(id 101\): image file .* does not exist"):
        coco_captions(task="captioning", root=str(tmp_path))
