"""``shapes``: the built-in VQA set of procedurally drawn scenes (no download, seeded).

Each example is one scene (2–6 coloured shapes on a 32×32 canvas by default) with one question
from six families (see :mod:`mmbench.data.vqa_questions`) and 10 simulated human answers (see
:mod:`mmbench.data.vqa_annotators`). Example ``i`` of split ``s`` is drawn from its own generator
``default_rng([seed, s, i])``: the same seed gives byte-identical data, and a split's examples do
not depend on the size of any split (``n_train=100`` is a prefix of ``n_train=200``).
The dataset card is ``datasets/shapes/README.md``.
"""

from __future__ import annotations

import logging

import numpy as np

from mmbench.data.base import SPLITS, Splits
from mmbench.data.generated_cache import generated
from mmbench.data.shapes_checks import check_shapes_kwargs, shapes_kwargs_problems
from mmbench.data.shapes_scene import ATTRIBUTES, place, render
from mmbench.data.vqa_annotators import annotate
from mmbench.data.vqa_questions import (
    ANSWER_TYPE,
    FAMILIES,
    RELATIONAL,
    VALUES,
    YES_NO,
    answer_set,
    evaluate,
    phrase,
    plan,
    random_object,
)
from mmbench.errors import MmbenchError
from mmbench.registry import DATASETS

log = logging.getLogger(__name__)

VERSION = "1"  # bump when the same kwargs would give different data
# question ids: train 10_000_000 + i, val 20_000_000 + i, test 30_000_000 + i
ID_STRIDE = 10_000_000


def family_weights(families: list[str], relation_fraction: float) -> np.ndarray:
    """Probability of each family: ``relation_fraction`` shared by the relational ones."""
    n_rel = sum(f in RELATIONAL for f in families)
    n_other = len(families) - n_rel
    w = np.array(
        [
            relation_fraction / n_rel if f in RELATIONAL else (1 - relation_fraction) / n_other
            for f in families
        ],
        dtype=float,
    )
    return w / w.sum()


def _filler(rng: np.random.Generator, keys: list[dict], distractors: float) -> dict:
    """A random object, or (with probability ``distractors``) a near miss of a key object."""
    if keys and rng.random() < distractors:
        key = keys[int(rng.integers(len(keys)))]
        obj = {a: key[a] for a in ATTRIBUTES}
        changed = int(rng.integers(len(ATTRIBUTES) + 1))  # the last choice: same look, other cell
        if changed < len(ATTRIBUTES):
            attr = ATTRIBUTES[changed]
            others = [v for v in VALUES[attr] if v != key[attr]]
            obj[attr] = others[int(rng.integers(len(others)))]
        return obj
    return random_object(rng)


def _take_cell(obj: dict, free: list[tuple[int, int]], rng: np.random.Generator) -> dict:
    cell = free.pop(int(rng.integers(len(free))))
    return {**obj, "row": cell[0], "col": cell[1]}


def _objects(cfg: dict, family: str, rng: np.random.Generator) -> tuple[dict, str, list[dict]]:
    """(program, answer, objects with cells) such that ``evaluate`` gives the answer."""
    grid = cfg["grid"]
    answer = None
    for _ in range(1000):
        p = plan(family, rng, grid, cfg["max_count"], cfg["max_objects"])
        if answer is None:
            answer = p["answer"]  # drawn once: retries must not favour easy-to-build answers
        elif p["answer"] != answer:
            continue
        program = p["program"]
        taken = {(o["row"], o["col"]) for o in p["required"] if "row" in o}
        free = [(r, c) for r in range(grid) for c in range(grid) if (r, c) not in taken]
        objs = [o if "row" in o else _take_cell(o, free, rng) for o in p["required"]]
        if evaluate(objs, program) != answer:
            continue
        n = int(rng.integers(max(cfg["min_objects"], len(objs)), cfg["max_objects"] + 1))
        for _ in range(10 * cfg["max_objects"]):
            if len(objs) >= n or not free:
                break
            candidate = _filler(rng, p["keys"], cfg["distractors"])
            cell = free[int(rng.integers(len(free)))]
            candidate.update(row=cell[0], col=cell[1])
            if evaluate([*objs, candidate], program) == answer:
                free.remove(cell)
                objs.append(candidate)
        if len(objs) >= cfg["min_objects"]:
            return program, answer, objs
    raise RuntimeError(f"shapes: could not build a scene for family {family!r}")


def make_example(cfg: dict, split_index: int, i: int) -> dict:
    """Example ``i`` of split ``split_index`` (0 train, 1 val, 2 test); see the module doc."""
    rng = np.random.default_rng([cfg["seed"], split_index, i])
    family = cfg["families"][int(rng.choice(len(cfg["families"]), p=cfg["weights"]))]
    program, answer, objs = _objects(cfg, family, rng)
    order = rng.permutation(len(objs))  # the required objects must not come first
    canvas, grid = cfg["canvas"], cfg["grid"]
    scene = {
        "canvas": canvas,
        "grid": grid,
        "background": [int(v) for v in 15 + rng.integers(0, 30, size=3)],
        "noise": float(cfg["noise"]),
        "noise_seed": int(rng.integers(2**31)),
        "objects": [place(objs[j], rng, canvas, grid, cfg["colour_jitter"]) for j in order],
    }
    question = phrase(program, rng)
    if answer.isdigit():
        choices = tuple(str(k) for k in range(cfg["max_count"] + 1))
    elif answer in YES_NO:
        choices = YES_NO
    else:
        choices = VALUES[program["query"]]
    answers = annotate(
        answer,
        choices,
        rng,
        error_rate=cfg["annotator_error"],
        contentious=cfg["contentious"],
        variation=cfg["answer_variation"],
    )
    qid = (split_index + 1) * ID_STRIDE + i
    return {
        "question_id": qid,
        "image_id": qid,  # one scene per question
        "image": render(scene),
        "question": question,
        "answers": answers,
        "answer_type": ANSWER_TYPE[family],
        "question_type": family,
        "multiple_choice_answer": answer,
        "scene": scene,
    }


@DATASETS.register("shapes")
@generated  # a pure function of its kwargs: cached (mmbench.data.generated_cache)
def shapes(
    *,
    task: str,
    n_train: int = 3000,
    n_val: int = 500,
    n_test: int = 1000,
    canvas: int = 32,
    grid: int = 3,
    min_objects: int = 2,
    max_objects: int = 6,
    max_count: int = 4,
    families: list[str] | None = None,
    relation_fraction: float = 0.3,
    distractors: float = 0.5,
    noise: float = 4.0,
    colour_jitter: int = 12,
    annotator_error: float = 0.07,
    contentious: float = 0.05,
    answer_variation: bool = True,
    seed: int = 0,
) -> Splits:
    """Procedural VQA scenes of coloured shapes: attributes, existence, counting, relations.

    Args (all ``dataset.kwargs``):
        n_train / n_val / n_test: questions per split (one scene each), 1 … 1,000,000.
        canvas: image side in pixels (24 … 128); images are (canvas, canvas, 3) uint8.
        grid: scenes are laid out on grid × grid cells, one object per cell (2 … 6).
        min_objects / max_objects: objects per scene (1 … grid²).
        max_count: largest answer of counting questions (answers 0 … max_count).
        families: question families to use (default all six; see vqa_questions.FAMILIES).
        relation_fraction: share of relational questions (relation, relation_exist), in [0, 1].
        distractors: probability that a filler object is a near miss of a queried object
            (differs in one attribute, or same look in another place), in [0, 1]; harder when high.
        noise: std of Gaussian pixel noise (0–255 scale); colour_jitter: ± per-channel jitter.
        annotator_error: probability of a wrong answer per annotator, in [0, 0.3].
        contentious: share of questions on which annotators split (60% wrong), in [0, 0.5].
        answer_variation: human-style spellings ("grey", "two", "Red.") among the 10 answers.
        seed: the whole dataset is a pure function of the kwargs.
    """
    if task != "vqa":
        raise MmbenchError(f"dataset 'shapes' serves task 'vqa', not {task!r}")
    kwargs = {k: v for k, v in locals().items() if k != "task"}
    check_shapes_kwargs(kwargs)
    chosen = list(families) if families is not None else list(FAMILIES)
    weights = family_weights(chosen, relation_fraction)
    chosen, weights = [f for f, w in zip(chosen, weights) if w > 0], weights[weights > 0]
    cfg = {**kwargs, "families": chosen, "weights": weights}
    sizes = (n_train, n_val, n_test)
    built = [[make_example(cfg, s, i) for i in range(n)] for s, n in enumerate(sizes)]
    log.info("shapes: built %s examples", dict(zip(SPLITS, sizes)))
    meta = {
        "name": "shapes",
        "version": VERSION,
        "task": "vqa",
        "canvas": canvas,
        "grid": grid,
        "seed": seed,
        "question_families": chosen,
        "family_weights": [round(float(w), 6) for w in cfg["weights"]],
        "answers": sorted({a for f in chosen for a in answer_set(f, max_count)}),
    }
    return Splits(train=built[0], val=built[1], test=built[2], meta=meta)


shapes.tasks = ("vqa",)
shapes.check_kwargs = shapes_kwargs_problems  # every range and cross-kwarg check
