"""Helpers shared by the loaders of real VQA sets: kwarg checks, seeded subsets, resizing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from mmbench.errors import MmbenchError
from mmbench.kwarg_checks import SEED, check_value

N_ANSWERS = 10


def check_limits(kw: dict[str, Any], sizes: tuple[int, int]) -> None:
    """Check the common loader kwargs (n_train/n_val/n_test, size, seed); raise all problems.

    ``None`` is allowed for ``n_*`` (all examples) and ``size`` (keep the native size);
    ``sizes`` is the allowed (min, max) image side.
    """
    problems: list[str] = []
    for key in ("n_train", "n_val", "n_test"):
        if key in kw and kw[key] is not None:
            check_value(problems, f"dataset.kwargs.{key}", kw[key], int, 1, 10_000_000)
    if kw.get("size") is not None:
        check_value(problems, "dataset.kwargs.size", kw["size"], int, *sizes)
    check_value(problems, "dataset.kwargs.seed", kw["seed"], int, *SEED)
    if problems:
        raise MmbenchError(problems)


def require_files(root: Path, needed: list[str], what: str) -> None:
    """Raise naming ``root`` and what is expected there if any of ``needed`` is missing."""
    if not root.is_dir():
        raise MmbenchError(
            f"dataset.kwargs.root: {root} does not exist; expected {what}. Set dataset.kwargs.root "
            f"or the environment variable MMBENCH_SHARED_DATA to the folder that holds it"
        )
    missing = [n for n in needed if not (root / n).exists()]
    if missing:
        raise MmbenchError(
            f"dataset.kwargs.root: {root} lacks {', '.join(missing)}; expected {what}"
        )


def subset(n_avail: int, n: int | None, rng: np.random.Generator) -> np.ndarray:
    """Sorted indices of a seeded random subset of size ``n`` (all if None or ≥ n_avail)."""
    if n is None or n >= n_avail:
        return np.arange(n_avail)
    return np.sort(rng.choice(n_avail, size=n, replace=False))


def val_images(image_of_rows: list, n_val: int, rng: np.random.Generator) -> set:
    """The training images moved to val: whole images, in a seeded order, until their questions
    reach ``n_val`` (``image_of_rows``: each training question's image id, in file order)."""
    image_ids = sorted(set(image_of_rows))
    count = {i: 0 for i in image_ids}
    for i in image_of_rows:
        count[i] += 1
    held: set = set()
    taken = 0
    for k in rng.permutation(len(image_ids)):
        if taken >= n_val:
            break
        held.add(image_ids[k])
        taken += count[image_ids[k]]
    if taken < n_val or len(held) == len(image_ids):
        raise MmbenchError(f"dataset.kwargs.n_val: {n_val} leaves no training images")
    return held


def resize(image: np.ndarray, size: int | None) -> np.ndarray:
    """(H, W, 3) uint8 → (size, size, 3) uint8 by box filtering (area average); None keeps it."""
    if size is None or image.shape[:2] == (size, size):
        return image
    from PIL import Image  # pillow comes with matplotlib; only loaders of real sets need it

    return np.asarray(Image.fromarray(image).resize((size, size), Image.BOX), dtype=np.uint8)


def single_answer_example(
    qid: int, iid: int, image: np.ndarray, question: str, answer: str, qtype: str
) -> dict:
    """The shared example layout for a set with one answer per question (replicated 10×)."""
    return {
        "question_id": qid,
        "image_id": iid,
        "image": image,
        "question": question,
        "answers": [answer] * N_ANSWERS,
        "answer_type": "yes/no" if answer in ("yes", "no") else "other",
        "question_type": qtype,
        "multiple_choice_answer": answer,
        "scene": None,
    }
