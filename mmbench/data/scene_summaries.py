"""``scene_summaries``: built-in multimodal summarization (a report + a photo → a summary).

Each item is a short generated news report about an exhibition (who, what kind of event, where,
when, plus filler sentences about weather, visitors, tickets …, in a shuffled order) and a
shapes-scene photo of the pieces on show. The report never names the pieces: only the image
shows them (colour and shape of 1–2 objects). Three reference summaries, phrased differently,
each state the organiser, event, city, day *and* the pieces, so a text-only model can at best
guess the pieces and scores measurably lower. Item ``i`` of split ``s`` comes from its own
generator ``default_rng([seed, s, i])``. Dataset card: ``datasets/scene_summaries/README.md``.
"""

from __future__ import annotations

import logging

import numpy as np

from mmbench.data.base import SPLITS, Splits
from mmbench.data.generated_cache import generated
from mmbench.data.shapes_scene import COLOURS, SHAPES, SIZES, place, render
from mmbench.errors import MmbenchError
from mmbench.kwarg_checks import N_EXAMPLES, SEED, kwargs_problems, ranges
from mmbench.registry import DATASETS

log = logging.getLogger(__name__)

VERSION = "1"
ID_STRIDE = 10_000_000
NAMES = ("anna", "ben", "chloe", "david", "emma", "felix", "grace", "hugo", "iris", "jonas")
CITIES = ("paris", "berlin", "madrid", "rome", "vienna", "oslo", "lisbon", "prague")
DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
EVENTS = ("exhibition", "fair", "show", "gallery opening")
FACT = (
    "{name} organised {an_event} in {city} on {day} .",
    "on {day} , {an_event} organised by {name} took place in {city} .",
    "{an_event} opened in {city} on {day} , run by {name} .",
)
FILLER = (
    "the weather was {weather} all day .",
    "about {n} visitors came in the {time} .",
    "tickets cost {k} euros at the door .",
    "local papers wrote about it the next week .",
    "the photo shows the pieces on display .",
    "music was played in the {time} .",
    "the hall was {adjective} and {adjective2} .",
)
SUMMARY = (
    "{name} showed {pieces} at {an_event} in {city} on {day} .",
    "on {day} in {city} , {name} 's {event} featured {pieces} .",
    "{an_event} in {city} on {day} : {name} presented {pieces} .",
)
WEATHER = ("sunny", "rainy", "cold", "warm", "windy")
TIMES = ("morning", "afternoon", "evening")
ADJECTIVES = ("large", "bright", "quiet", "busy", "old", "new")


def _a(phrase: str) -> str:
    return ("an " if phrase[:1] in "aeiou" else "a ") + phrase


def _pick(rng: np.random.Generator, options: tuple[str, ...]) -> str:
    return options[int(rng.integers(len(options)))]


def pieces_phrase(objs: list[dict], rng: np.random.Generator) -> str:
    """'a red circle and a blue square' in a random order."""
    order = rng.permutation(len(objs))
    return " and ".join(_a(f"{objs[j]['colour']} {objs[j]['shape']}") for j in order)


def make_example(cfg: dict, split_index: int, i: int) -> dict:
    """Item ``i`` of split ``split_index`` (0 train, 1 val, 2 test)."""
    rng = np.random.default_rng([cfg["seed"], split_index, i])
    grid, canvas = cfg["grid"], cfg["canvas"]
    n = int(rng.integers(1, cfg["max_objects"] + 1))
    cells = rng.permutation(grid * grid)[:n]
    objs = [
        {
            "shape": _pick(rng, SHAPES),
            "colour": _pick(rng, COLOURS),
            "size": _pick(rng, SIZES),
            "row": int(c) // grid,
            "col": int(c) % grid,
        }
        for c in cells
    ]
    scene = {
        "canvas": canvas,
        "grid": grid,
        "background": [int(v) for v in 15 + rng.integers(0, 30, size=3)],
        "noise": float(cfg["noise"]),
        "noise_seed": int(rng.integers(2**31)),
        "objects": [place(o, rng, canvas, grid, 12) for o in objs],
    }
    event = _pick(rng, EVENTS)
    facts = {
        "name": _pick(rng, NAMES),
        "city": _pick(rng, CITIES),
        "day": _pick(rng, DAYS),
        "event": event,
        "an_event": _a(event),
    }
    adjectives = [ADJECTIVES[j] for j in rng.permutation(len(ADJECTIVES))[:2]]
    fillers = [  # distinct filler templates, so a report never contradicts itself
        FILLER[j].format(
            weather=_pick(rng, WEATHER),
            n=int(rng.integers(2, 40)) * 10,
            time=_pick(rng, TIMES),
            k=int(rng.integers(2, 20)),
            adjective=adjectives[0],
            adjective2=adjectives[1],
        )
        for j in rng.permutation(len(FILLER))[: cfg["n_filler"]]
    ]
    sentences = [_pick(rng, FACT).format(**facts), *fillers]
    sentences = [sentences[j] for j in rng.permutation(len(sentences))]
    summaries = [
        template.format(**facts, pieces=pieces_phrase(objs, rng))
        for template in (SUMMARY[j] for j in rng.permutation(len(SUMMARY)))
    ]
    return {
        "id": (split_index + 1) * ID_STRIDE + i,
        "document": " ".join(sentences),
        "sentences": sentences,
        "summaries": summaries,
        "image": render(scene),
        "scene": scene,
        "facts": facts,
    }


@DATASETS.register("scene_summaries")
@generated  # a pure function of its kwargs: cached (mmbench.data.generated_cache)
@ranges(
    n_train=N_EXAMPLES,
    n_val=N_EXAMPLES,
    n_test=N_EXAMPLES,
    canvas=(24, 128),
    grid=(2, 4),
    max_objects=(1, 3),
    n_filler=(0, len(FILLER)),
    noise=(0.0, 64.0),
    seed=SEED,
)
def scene_summaries(
    *,
    task: str,
    n_train: int = 2000,
    n_val: int = 300,
    n_test: int = 500,
    canvas: int = 32,
    grid: int = 3,
    max_objects: int = 2,
    n_filler: int = 4,
    noise: float = 4.0,
    seed: int = 0,
) -> Splits:
    """Reports + photos → summaries needing both (see the module doc).

    Args (all ``dataset.kwargs``): ``n_train``/``n_val``/``n_test`` items per split; ``canvas``
    (24 … 128) and ``grid`` (2 … 4) of the photo; ``max_objects`` pieces per photo (1 … 3);
    ``n_filler`` filler sentences per report (0 … 7); ``noise`` pixel noise std; ``seed``.
    """
    if task != "summarization":
        raise MmbenchError(f"dataset 'scene_summaries' serves task 'summarization', not {task!r}")
    kwargs = {k: v for k, v in locals().items() if k != "task"}
    problems = kwargs_problems(scene_summaries, kwargs, "dataset.kwargs")
    if problems:
        raise MmbenchError(problems)
    cfg = {
        "canvas": canvas,
        "grid": grid,
        "max_objects": max_objects,
        "n_filler": n_filler,
        "noise": noise,
        "seed": seed,
    }
    sizes = (n_train, n_val, n_test)
    built = [[make_example(cfg, s, i) for i in range(n)] for s, n in enumerate(sizes)]
    log.info("scene_summaries: built %s items", dict(zip(SPLITS, sizes)))
    meta = {"name": "scene_summaries", "version": VERSION, "task": "summarization", "seed": seed}
    return Splits(train=built[0], val=built[1], test=built[2], meta=meta)


scene_summaries.tasks = ("summarization",)
