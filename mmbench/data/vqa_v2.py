"""``vqa_v2``: a folder in the official VQA v2 layout, with COCO images (Goyal et al., CVPR 2017).

On disk (``root``; the file names are upstream's, ``<sub>`` the ``train`` / ``test`` subtypes)::

    v2_OpenEnded_mscoco_<sub>_questions.json   {"questions": [{question_id, image_id, question}]}
    v2_mscoco_<sub>_annotations.json           {"annotations": [{question_id, answers, …}]}
    <sub>/COCO_<sub>_<image_id, 12 digits>.jpg  the COCO images

Both files are read by the one VQA v2 reader (:mod:`mmbench.formats.vqa_v2`, through
:func:`mmbench.data.vqa_format.read_vqa_json`), so the loader and ``mmbench eval vqa`` agree on
what a file means. Every question keeps its 10 annotator answers, so the official accuracy
applies. Test-dev and test-standard have no public annotations, so the default test split is
``val2014`` (the usual choice when a model is scored locally). ``val`` is a seeded set of
*whole training images* (all their questions, cut to ``n_val``), so no image is in two splits.

VQA v2 has 443k training questions on 83k images, more than memory holds as pixels:
``lazy: true`` keeps one :class:`~mmbench.data.lazy_images.ImageRef` per image, shared by its
questions, and reads a batch's files when it is needed (``train.num_workers`` reads ahead). The
in-memory path loads each image once and shares its array across the image's questions.
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np

from mmbench.data.base import Splits
from mmbench.data.image_files import load_image
from mmbench.data.lazy_column import lazy_flag
from mmbench.data.lazy_images import ImageRef
from mmbench.data.shared_data import dataset_root
from mmbench.data.vqa_format import read_vqa_json
from mmbench.data.vqa_loading import require_files, val_images
from mmbench.data.vqa_loading import subset as seeded_subset
from mmbench.errors import MmbenchError
from mmbench.kwarg_checks import SEED, ranges
from mmbench.registry import DATASETS

log = logging.getLogger(__name__)


def questions_file(subtype: str) -> str:
    return f"v2_OpenEnded_mscoco_{subtype}_questions.json"


def annotations_file(subtype: str) -> str:
    return f"v2_mscoco_{subtype}_annotations.json"


def image_file(subtype: str, image_id: int) -> str:
    return f"{subtype}/COCO_{subtype}_{int(image_id):012d}.jpg"


def _attach_images(
    examples: list[dict], root: Path, subtype: str, size: int, lazy: bool
) -> list[dict]:
    """Give each example its image (one array or reference per image, shared by its questions)."""
    where_file = root / questions_file(subtype)
    images: dict = {}
    for ex in examples:
        iid = ex["image_id"]
        if iid not in images:
            path = root / image_file(subtype, iid)
            where = f"{where_file}: image_id {iid} (question_id {ex['question_id']})"
            if lazy:
                if not path.is_file():  # found now, not in the middle of training
                    raise MmbenchError(f"{where}: image file {path} does not exist")
                images[iid] = ImageRef(str(path), size, where)
            else:
                images[iid] = load_image(path, size, where)
        ex["image"] = images[iid]
        ex["scene"] = None
    return examples


@DATASETS.register("vqa_v2")
@ranges(image_size=(8, 1024), n_train=(1, 10**8), n_val=(1, 10**8), n_test=(1, 10**8), seed=SEED)
def vqa_v2(
    *,
    task: str,
    root: str | None = None,
    train: str = "train2014",
    test: str = "val2014",
    image_size: int = 64,
    n_train: int | None = None,
    n_val: int = 2000,
    n_test: int | None = None,
    seed: int = 0,
    lazy: bool = False,
) -> Splits:
    """VQA v2 (official layout): questions, annotations and COCO images of two subtypes.

    Args (all ``dataset.kwargs``):
        root: the folder (default ``$MMBENCH_SHARED_DATA/vqa-v2``).
        train / test: the subtypes read as training and test data (``train2014`` /
            ``val2014``); val is taken from the training subtype.
        image_size: image side after resizing (bilinear, aspect not kept).
        n_train / n_test: questions kept (seeded subset; None = all).
        n_val: questions moved from train to val, by whole images.
        seed: chooses the val images and the subsets.
        lazy: read each image when a batch needs it instead of all up front.
    """
    lazy = lazy_flag(lazy)
    if task != "vqa":
        raise MmbenchError(f"dataset 'vqa_v2' serves task 'vqa', not {task!r}")
    if n_val is None:
        raise MmbenchError("dataset.kwargs.n_val: null is not allowed; expected an integer ≥ 1")
    for key, value in (("train", train), ("test", test)):
        if not isinstance(value, str) or not value or "/" in value or value.startswith("."):
            raise MmbenchError(
                f"dataset.kwargs.{key}: expected a VQA v2 subtype such as 'train2014', "
                f"found {value!r}"
            )
    base = dataset_root(root, "vqa-v2")
    needed = [f(s) for s in (train, test) for f in (questions_file, annotations_file)]
    what = f"the VQA v2 files ({', '.join(needed)}) and the image folders {train}/, {test}/"
    require_files(base, needed + [train, test], what)
    rng = np.random.default_rng([seed, 11])
    train_rows = read_vqa_json(base / questions_file(train), base / annotations_file(train))
    test_rows = read_vqa_json(base / questions_file(test), base / annotations_file(test))

    held = val_images([ex["image_id"] for ex in train_rows], n_val, rng)
    val_rows = [ex for ex in train_rows if ex["image_id"] in held][:n_val]
    train_rows = [ex for ex in train_rows if ex["image_id"] not in held]
    train_rows = [train_rows[i] for i in seeded_subset(len(train_rows), n_train, rng)]
    test_rows = [test_rows[i] for i in seeded_subset(len(test_rows), n_test, rng)]

    splits = Splits(
        train=_attach_images(train_rows, base, train, image_size, lazy),
        val=_attach_images(val_rows, base, train, image_size, lazy),
        test=_attach_images(test_rows, base, test, image_size, lazy),
        meta={
            "name": "vqa_v2",
            "root": str(base),
            "subtypes": {"train": train, "val": train, "test": test},
            "size": image_size,
            "seed": seed,
            "license": "VQA annotations CC BY 4.0; COCO images under their Flickr licences",
        },
    )
    log.info("vqa_v2: %d/%d/%d questions", len(splits.train), len(splits.val), len(splits.test))
    return splits


vqa_v2.tasks = ("vqa",)
