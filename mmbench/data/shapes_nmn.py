"""``shapes_nmn``: loader for SHAPES (Andreas et al., Neural Module Networks, CVPR 2016).

On disk (``root``, default ``<shared data>/shapes-nmn``), per split ``train.small``,
``train.tiny``, ``val``, ``test``::

    <split>.input.npy   uint8 (N, 30, 30, 3): a 3×3 grid of cells, each empty or holding a
                        red/green/blue circle/square/triangle on black
    <split>.query       one logical form per line, e.g. ``(is green (right_of blue))``
    <split>.output      ``true`` / ``false`` per line

Questions are phrased as upstream's ``to_string.py`` does: parentheses dropped, a colour in the
third word position kept bare, any other colour → "a <colour> shape", a shape → "a <shape>",
``_`` → space: ``(is green (right_of blue))`` → "is a green shape right of a blue shape".
Answers are "yes"/"no" (replicated 10×). Upstream's own splits are used: train (``train_split``:
``small`` 640 questions or ``tiny`` 64), val 1,024, test 1,024 — val and test ask questions never
seen in training (upstream's compositional design). ``question_type`` is the nesting depth:
``attribute`` (no relation), ``relation``, ``relation2`` (nested).

Every scene is drawn for its own question, but the test split asks only 16 distinct questions
(64 scenes each), and a model's answers to one question are correlated across scenes: the
question string, not the scene, is each example's ``cluster``, so the report's statistics treat
the 16 questions as the independent units (an honest, conservative choice: the set is built to
test generalisation to unseen questions).
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np

from mmbench.data.base import Splits
from mmbench.data.shared_data import dataset_root
from mmbench.data.vqa_loading import check_limits, require_files, resize, single_answer_example
from mmbench.data.vqa_loading import subset as seeded_subset
from mmbench.errors import MmbenchError
from mmbench.kwarg_checks import SEED, ranges
from mmbench.registry import DATASETS

log = logging.getLogger(__name__)

WHAT = "the SHAPES folder (<split>.input.npy, <split>.query, <split>.output for val, test, …)"
COLOURS = ("red", "green", "blue")
SHAPE_WORDS = ("circle", "square", "triangle")
TRAIN_SPLITS = ("small", "tiny")
OFFSET = {"train": 1_000_000, "val": 2_000_000, "test": 3_000_000}
_ANSWER = {"true": "yes", "false": "no"}


def to_english(query: str) -> str:
    """A logical form in English, by the rule of upstream ``to_string.py`` (see module doc)."""
    words = query.replace("(", " ").replace(")", " ").split()
    out = []
    for i, word in enumerate(words):
        if word in COLOURS:
            out.append(word if i == 2 else f"a {word} shape")
        elif word in SHAPE_WORDS:
            out.append(f"a {word}")
        else:
            out.append(word.replace("_", " "))
    return " ".join(out)


def question_type(query: str) -> str:
    """``attribute`` / ``relation`` / ``relation2`` by the nesting depth of the logical form."""
    depth = max(query[: i + 1].count("(") - query[: i + 1].count(")") for i in range(len(query)))
    return {1: "attribute", 2: "relation"}.get(depth, "relation2")


def _read_split(root: Path, stem: str) -> tuple[np.ndarray, list[str], list[str]]:
    images = np.load(root / f"{stem}.input.npy")
    queries = (root / f"{stem}.query").read_text(encoding="utf-8").splitlines()
    outputs = (root / f"{stem}.output").read_text(encoding="utf-8").split()
    if not (images.ndim == 4 and images.shape[3] == 3 and images.dtype == np.uint8):
        raise MmbenchError(
            f"{root / stem}.input.npy: expected uint8 (N, H, W, 3), got "
            f"{images.dtype} {images.shape}"
        )
    if not len(images) == len(queries) == len(outputs):
        raise MmbenchError(
            f"{root / stem}: {len(images)} images, {len(queries)} queries and "
            f"{len(outputs)} answers; expected the same number"
        )
    bad = sorted(set(outputs) - set(_ANSWER))
    if bad:
        raise MmbenchError(f"{root / stem}.output: unexpected answers {bad}; expected true/false")
    return images, queries, outputs


def _split(root: Path, stem: str, name: str, n: int | None, size, rng) -> list[dict]:
    images, queries, outputs = _read_split(root, stem)
    out = []
    for i in seeded_subset(len(queries), n, rng):
        qid = OFFSET[name] + int(i)
        image = resize(np.ascontiguousarray(images[i]), size)
        q = queries[i].strip()
        example = single_answer_example(
            qid, qid, image, to_english(q), _ANSWER[outputs[i]], question_type(q)
        )
        example["cluster"] = f"question: {q}"
        out.append(example)
    return out


@DATASETS.register("shapes_nmn")
@ranges(n_train=(1, 10**7), n_val=(1, 10**7), n_test=(1, 10**7), size=(8, 64), seed=SEED)
def shapes_nmn(
    *,
    task: str,
    root: str | None = None,
    train_split: str = "small",
    n_train: int | None = None,
    n_val: int | None = None,
    n_test: int | None = None,
    size: int | None = None,
    seed: int = 0,
) -> Splits:
    """SHAPES from Neural Module Networks (real, third-party): compositional spatial yes/no VQA.

    Args (all ``dataset.kwargs``):
        root: the SHAPES folder (default ``$MMBENCH_SHARED_DATA/shapes-nmn`` or
            ``<repo>/../shared/data/shapes-nmn``).
        train_split: upstream training split, ``small`` (640) or ``tiny`` (64).
        n_train / n_val / n_test: questions kept (seeded subset; None = all).
        size: image side after box filtering (8 … 64; None = 30, as stored).
        seed: chooses the subsets.
    """
    if task != "vqa":
        raise MmbenchError(f"dataset 'shapes_nmn' serves task 'vqa', not {task!r}")
    check_limits(locals(), (8, 64))
    if train_split not in TRAIN_SPLITS:
        raise MmbenchError(
            f"dataset.kwargs.train_split: {train_split!r} is not allowed; expected one of "
            f"{', '.join(TRAIN_SPLITS)} (train.med and train.large are not in the snapshot)"
        )
    base = dataset_root(root, "shapes-nmn")
    stem = f"train.{train_split}"
    require_files(
        base,
        [f"{s}.{ext}" for s in (stem, "val", "test") for ext in ("input.npy", "query", "output")],
        WHAT,
    )
    rng = np.random.default_rng([seed, 11])
    splits = Splits(
        train=_split(base, stem, "train", n_train, size, rng),
        val=_split(base, "val", "val", n_val, size, rng),
        test=_split(base, "test", "test", n_test, size, rng),
        meta={
            "name": "shapes_nmn",
            "root": str(base),
            "train_split": stem,
            "size": size or 30,
            "seed": seed,
            "question_families": ["attribute", "relation", "relation2"],
            "license": "Apache-2.0 (Andreas et al., nmn2)",
        },
    )
    log.info("shapes_nmn: %d/%d/%d questions", len(splits.train), len(splits.val), len(splits.test))
    return splits


shapes_nmn.tasks = ("vqa",)
