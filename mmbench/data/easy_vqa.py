"""``easy_vqa``: loader for easy-VQA (V. Zhou, 2019, MIT licence), a small real third-party set.

On disk (``root``, default ``<shared data>/easy-vqa``)::

    train/questions.json   [[question, answer, image_id], ...]   38,575 questions
    train/images/<id>.png  64×64 RGB, one coloured shape each    4,000 images
    test/...                                                    9,673 questions / 1,000 images
    answers.txt            the 13 answers

Each question has one answer, replicated 10× in ``answers`` (so the official metric compares it
exactly). Upstream has train and test only: ``val`` is a seeded set of *whole training images*
(all their questions, cut to ``n_val``), so no image is in two splits. ``question_type`` is the
template family: ``exist`` (yes/no), ``color`` or ``shape``. Images are box-filtered to
``size``×``size`` (default 32; 64 keeps them as they are); an image's questions share one array.
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np

from mmbench.data.base import Splits
from mmbench.data.shared_data import dataset_root
from mmbench.data.vqa_loading import (
    check_limits,
    require_files,
    resize,
    single_answer_example,
    val_images,
)
from mmbench.data.vqa_loading import subset as seeded_subset
from mmbench.errors import MmbenchError
from mmbench.json_input import loads, read_input_text
from mmbench.kwarg_checks import SEED, ranges
from mmbench.registry import DATASETS

log = logging.getLogger(__name__)

WHAT = "the easy-VQA data folder (train/questions.json, train/images/, test/questions.json, …)"
# question_id = offset + index in the split's questions.json; image_id = offset + upstream id.
OFFSET = {"train": 1_000_000, "test": 2_000_000}


def _question_type(question: str, answer: str) -> str:
    if answer in ("yes", "no"):
        return "exist"
    return "color" if "color" in question else "shape"


def _read_questions(root: Path, split: str) -> list[tuple[str, str, int]]:
    path = root / split / "questions.json"
    try:
        rows = loads(read_input_text(path), str(path))
        return [(str(q), str(a), int(i)) for q, a, i in rows]
    except (ValueError, TypeError) as e:
        raise MmbenchError(f"{path}: expected a JSON list of [question, answer, image_id]") from e


def _examples(root: Path, split: str, rows: list, size: int | None) -> list[dict]:
    """Examples for ``rows`` = [(index in file, (question, answer, image_id))]."""
    from PIL import Image  # pillow comes with matplotlib

    images: dict[int, np.ndarray] = {}
    out = []
    for index, (question, answer, image_id) in rows:
        if image_id not in images:
            path = root / split / "images" / f"{image_id}.png"
            if not path.is_file():
                raise MmbenchError(f"{path}: image of question {index} of {split} is missing")
            with Image.open(path) as im:
                images[image_id] = resize(np.asarray(im.convert("RGB"), dtype=np.uint8), size)
        qid, iid = OFFSET[split] + index, OFFSET[split] + image_id
        qtype = _question_type(question, answer)
        out.append(single_answer_example(qid, iid, images[image_id], question, answer, qtype))
    return out


@DATASETS.register("easy_vqa")
@ranges(n_train=(1, 10**7), n_val=(1, 10**7), n_test=(1, 10**7), size=(8, 64), seed=SEED)
def easy_vqa(
    *,
    task: str,
    root: str | None = None,
    n_train: int | None = None,
    n_val: int = 2000,
    n_test: int | None = None,
    size: int | None = 32,
    seed: int = 0,
) -> Splits:
    """easy-VQA (real, third-party): one coloured shape per 64×64 image, 13 answers.

    Args (all ``dataset.kwargs``):
        root: the easy-VQA folder (default ``$MMBENCH_SHARED_DATA/easy-vqa`` or
            ``<repo>/../shared/data/easy-vqa``).
        n_train / n_test: questions kept (seeded subset; None = all).
        n_val: questions moved from train to val, by whole images.
        size: image side after box filtering (8 … 64; None = 64, as stored).
        seed: chooses the val images and the subsets.
    """
    if task != "vqa":
        raise MmbenchError(f"dataset 'easy_vqa' serves task 'vqa', not {task!r}")
    if n_val is None:
        raise MmbenchError("dataset.kwargs.n_val: null is not allowed; expected an integer ≥ 1")
    check_limits(locals(), (8, 64))
    base = dataset_root(root, "easy-vqa")
    require_files(base, ["train/questions.json", "test/questions.json"], WHAT)
    rng = np.random.default_rng([seed, 7])
    train_rows = list(enumerate(_read_questions(base, "train")))
    test_rows = list(enumerate(_read_questions(base, "test")))

    # val: whole training images in a seeded order until n_val questions are reached
    held = val_images([row[2] for _, row in train_rows], n_val, rng)
    val_rows = [r for r in train_rows if r[1][2] in held][:n_val]
    train_rows = [r for r in train_rows if r[1][2] not in held]
    train_rows = [train_rows[i] for i in seeded_subset(len(train_rows), n_train, rng)]
    test_rows = [test_rows[i] for i in seeded_subset(len(test_rows), n_test, rng)]

    splits = Splits(
        train=_examples(base, "train", train_rows, size),
        val=_examples(base, "train", val_rows, size),
        test=_examples(base, "test", test_rows, size),
        meta={
            "name": "easy_vqa",
            "root": str(base),
            "size": size or 64,
            "seed": seed,
            "question_families": ["exist", "color", "shape"],
            "license": "MIT (Victor Zhou, 2019)",
        },
    )
    log.info("easy_vqa: %d/%d/%d questions", len(splits.train), len(splits.val), len(splits.test))
    return splits


easy_vqa.tasks = ("vqa",)
