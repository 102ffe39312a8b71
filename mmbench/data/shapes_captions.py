"""``shapes_captions``: built-in captioning of procedurally drawn shapes scenes (seeded).

Each example is one scene of 1–3 coloured shapes (drawn with :mod:`mmbench.data.shapes_scene`),
five reference captions written from the scene description (see
:mod:`mmbench.data.shapes_caption_text`) and a noisy list of detected object tags, a second
modality. Compositional split: colour × shape pairs listed in ``heldout`` never appear in train or
val; every test scene holds at least one of them (``compositional=True``), so the test score
shows whether a model composes colours and shapes it saw apart. Example ``i`` of split ``s`` comes
from its own generator ``default_rng([seed, s, i])``. Dataset card: ``datasets/shapes_captions``.
"""

from __future__ import annotations

import logging
from collections import Counter

import numpy as np

from mmbench.data.base import SPLITS, Splits
from mmbench.data.generated_cache import generated
from mmbench.data.shapes_caption_text import references, tags
from mmbench.data.shapes_scene import COLOURS, SHAPES, SIZES, place, render
from mmbench.errors import MmbenchError, short_repr
from mmbench.kwarg_checks import N_EXAMPLES, PROB, SEED, kwargs_problems, ranges
from mmbench.registry import DATASETS

log = logging.getLogger(__name__)

VERSION = "1"
ID_STRIDE = 10_000_000
HELDOUT = (
    "red triangle",
    "green cross",
    "blue circle",
    "yellow square",
    "purple triangle",
    "gray cross",
)


def _cross_problems(kw: dict) -> list[str]:
    """Checks across kwargs (types and ranges are declared with ``@ranges`` below)."""
    problems = []
    if kw["min_objects"] > kw["max_objects"]:
        problems.append(
            f"dataset.kwargs.min_objects: {kw['min_objects']} is more than max_objects "
            f"{kw['max_objects']}"
        )
    combos = {f"{c} {s}" for c in COLOURS for s in SHAPES}
    heldout = list(HELDOUT if kw["heldout"] is None else kw["heldout"])
    for pair in [p for p in heldout if p not in combos][:5]:
        problems.append(
            f"dataset.kwargs.heldout: {short_repr(pair)} is not 'colour shape' "
            f"(colours: {', '.join(COLOURS)}; shapes: {', '.join(SHAPES)})"
        )
    if len(set(heldout)) >= len(combos):
        problems.append("dataset.kwargs.heldout: at least one colour × shape pair must stay")
    return problems


def _objects(cfg: dict, split_index: int, rng: np.random.Generator) -> list[dict]:
    """1–3 objects in distinct cells; held-out pairs only in the compositional test split."""
    grid, heldout = cfg["grid"], cfg["heldout_set"]
    n = int(rng.integers(cfg["min_objects"], cfg["max_objects"] + 1))
    cells = rng.permutation(grid * grid)[:n]
    pairs = [(c, s) for c in COLOURS for s in SHAPES]
    seen = [p for p in pairs if f"{p[0]} {p[1]}" not in heldout]
    unseen = [p for p in pairs if f"{p[0]} {p[1]}" in heldout]
    test = split_index == 2 and cfg["compositional"] and unseen
    objs = []
    for j, cell in enumerate(cells):
        pool = unseen if (test and j == 0) else (pairs if test else seen)
        colour, shape = pool[int(rng.integers(len(pool)))]
        size = SIZES[int(rng.integers(len(SIZES)))]
        objs.append(
            {
                "shape": shape,
                "colour": colour,
                "size": size,
                "row": cell // grid,
                "col": cell % grid,
            }
        )
    return objs


def make_example(cfg: dict, split_index: int, i: int) -> dict:
    """Example ``i`` of split ``split_index`` (0 train, 1 val, 2 test)."""
    rng = np.random.default_rng([cfg["seed"], split_index, i])
    canvas, grid = cfg["canvas"], cfg["grid"]
    objs = _objects(cfg, split_index, rng)
    scene = {
        "canvas": canvas,
        "grid": grid,
        "background": [int(v) for v in 15 + rng.integers(0, 30, size=3)],
        "noise": float(cfg["noise"]),
        "noise_seed": int(rng.integers(2**31)),
        "objects": [place(o, rng, canvas, grid, cfg["colour_jitter"]) for o in objs],
    }
    image_id = (split_index + 1) * ID_STRIDE + i
    return {
        "image_id": image_id,
        "image": render(scene),
        "captions": references(scene, rng, 5),
        "tags": tags(scene, rng, cfg["tag_drop"], cfg["tag_noise"], cfg["tag_spurious"]),
        "heldout": any(f"{o['colour']} {o['shape']}" in cfg["heldout_set"] for o in objs),
        "scene": scene,
    }


def most_common_caption(examples: list[dict]) -> str:
    """The reference caption written most often over ``examples`` (first seen on ties)."""
    counts = Counter(c for ex in examples for c in ex["captions"])
    return counts.most_common(1)[0][0]


@DATASETS.register("shapes_captions")
@generated  # a pure function of its kwargs: cached (mmbench.data.generated_cache)
@ranges(
    n_train=N_EXAMPLES,
    n_val=N_EXAMPLES,
    n_test=N_EXAMPLES,
    canvas=(24, 128),
    grid=(2, 4),
    min_objects=(1, 3),
    max_objects=(1, 3),
    tag_drop=PROB,
    tag_noise=PROB,
    tag_spurious=PROB,
    noise=(0.0, 64.0),
    colour_jitter=(0, 40),
    seed=SEED,
)
def shapes_captions(
    *,
    task: str,
    n_train: int = 2000,
    n_val: int = 300,
    n_test: int = 500,
    canvas: int = 32,
    grid: int = 3,
    min_objects: int = 1,
    max_objects: int = 2,
    heldout: list[str] | None = None,
    compositional: bool = True,
    tag_drop: float = 0.15,
    tag_noise: float = 0.15,
    tag_spurious: float = 0.2,
    noise: float = 4.0,
    colour_jitter: int = 12,
    seed: int = 0,
) -> Splits:
    """Shapes scenes with 5 reference captions each and noisy object tags.

    Args (all ``dataset.kwargs``):
        n_train / n_val / n_test: images per split.
        canvas / grid: image side in pixels (24 … 128) and layout grid (2 … 4).
        min_objects / max_objects: objects per scene (1 … 3).
        heldout: 'colour shape' pairs kept out of train and val (default: six, one per colour).
        compositional: every test scene shows a held-out pair (else test is like train).
        tag_drop / tag_noise / tag_spurious: tag noise (missed object; wrong colour or shape;
            an extra object), each a probability.
        noise / colour_jitter: pixel noise std and per-channel colour jitter (0–255 scale).
        seed: the data set is a pure function of the kwargs.
    """
    if task != "captioning":
        raise MmbenchError(f"dataset 'shapes_captions' serves task 'captioning', not {task!r}")
    kwargs = {k: v for k, v in locals().items() if k != "task"}
    problems = kwargs_problems(shapes_captions, kwargs, "dataset.kwargs")
    if problems:
        raise MmbenchError(problems)
    kwargs["heldout"] = list(HELDOUT if heldout is None else heldout)
    cfg = {**kwargs, "heldout_set": frozenset(kwargs["heldout"])}
    sizes = (n_train, n_val, n_test)
    built = [[make_example(cfg, s, i) for i in range(n)] for s, n in enumerate(sizes)]
    log.info("shapes_captions: built %s examples", dict(zip(SPLITS, sizes)))
    meta = {
        "name": "shapes_captions",
        "version": VERSION,
        "task": "captioning",
        "heldout": kwargs["heldout"],
        "compositional": compositional,
        "seed": seed,
    }
    return Splits(train=built[0], val=built[1], test=built[2], meta=meta)


shapes_captions.tasks = ("captioning",)
shapes_captions.check_kwargs = _cross_problems
