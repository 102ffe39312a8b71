"""Every ``shapes`` question is well posed and its answer is right — checked independently.

The checker below parses the English question with its own grammar and answers it from the scene
description with its own semantics (relations from pixel centres, not from grid cells), so it
shares no logic with the generator.
"""

from __future__ import annotations

import re

import pytest

from mmbench.data.shapes import shapes
from mmbench.data.shapes_scene import COLOURS, SHAPES, SIZES

_PLURAL = {"cross": "crosses", "object": "objects", **{s: s + "s" for s in SHAPES if s != "cross"}}
_NOUNS = "|".join([*SHAPES, "object"])
_PLURALS = "|".join(_PLURAL.values())
_ADJ = rf"(?:({'|'.join(SIZES)}) )?(?:({'|'.join(COLOURS)}) )?"
NP = rf"{_ADJ}({_NOUNS})"
NPS = rf"{_ADJ}({_PLURALS})"
REL = r"(left of|to the left of|right of|to the right of|above|below|under)"
QUERY_WORD = {"color": "colour", "shape": "shape", "size": "size", "big": "size"}

PATTERNS = [  # (family, regex); groups: query?, target NP, relation?, reference NP?
    ("attribute", rf"what (color|shape|size) is the {NP}\?"),
    ("attribute", rf"what is the (color|shape) of the {NP}\?"),
    ("attribute", rf"how (big) is the {NP}\?"),
    ("relation", rf"what (color|shape|size) is the {NP} {REL} the {NP}\?"),
    ("relation", rf"what is the (color|shape) of the {NP} {REL} the {NP}\?"),
    ("relation", rf"how (big) is the {NP} {REL} the {NP}\?"),
    ("relation", rf"what (shape) is (){REL} the {NP}\?"),
    ("exist", rf"is there an? {NP}\?"),
    ("exist", rf"are there any {NPS}\?"),
    ("relation_exist", rf"is there an? {NP} {REL} the {NP}\?"),
    ("relation_exist", rf"are there any {NPS} {REL} the {NP}\?"),
    ("count", rf"how many {NPS} are (?:there|in the picture)\?"),
    ("compare", rf"are there more {NPS} than {NPS}\?"),
]


def _desc(size, colour, noun):
    desc = {"size": size, "colour": colour}
    if noun and noun not in ("object", "objects"):
        desc["shape"] = next(s for s, p in _PLURAL.items() if noun in (s, p))
    return {k: v for k, v in desc.items() if v}


def _matches(obj, desc):
    return all(obj[k] == v for k, v in desc.items())


def _related(a, rel, b, cell):
    """Pixel semantics: 'left of' = centre more than half a cell further left."""
    dx, dy = a["x"] - b["x"], a["y"] - b["y"]
    return {
        "left": dx < -cell / 2,
        "right": dx > cell / 2,
        "above": dy < -cell / 2,
        "below": dy > cell / 2,
    }[rel]


def _relation(word):
    return {"under": "below"}.get(word, word.replace("to the ", "").replace(" of", ""))


def parse(question: str):
    for family, pattern in PATTERNS:
        m = re.fullmatch(pattern, question)
        if m:
            return family, m.groups()
    raise AssertionError(f"question not in the grammar: {question!r}")


def answer(question: str, scene: dict):
    """(family, answer) computed from the scene; AssertionError if the question is ill-posed."""
    family, g = parse(question)
    objs = scene["objects"]
    cell = scene["canvas"] // scene["grid"]

    def unique(desc):
        found = [o for o in objs if _matches(o, desc)]
        assert len(found) == 1, f"{question!r}: {len(found)} objects match {desc}"
        return found[0]

    if family == "compare":
        a, b = _desc(*g[:3]), _desc(*g[3:])
        na, nb = sum(_matches(o, a) for o in objs), sum(_matches(o, b) for o in objs)
        return family, "yes" if na > nb else "no"
    if family in ("count", "exist"):
        n = sum(_matches(o, _desc(*g[:3])) for o in objs)
        return family, str(n) if family == "count" else ("yes" if n else "no")
    if family == "attribute":
        return family, unique(_desc(*g[1:4]))[QUERY_WORD[g[0]]]
    if family == "relation_exist":
        target, ref = _desc(*g[:3]), unique(_desc(*g[4:7]))
        rel = _relation(g[3])
        hits = [
            o for o in objs if o is not ref and _matches(o, target) and _related(o, rel, ref, cell)
        ]
        return family, "yes" if hits else "no"
    if g[1] == "":  # "what shape is left of the red circle?"
        target, rel, ref = {}, _relation(g[2]), unique(_desc(*g[3:6]))
    else:
        target, rel, ref = _desc(*g[1:4]), _relation(g[4]), unique(_desc(*g[5:8]))
    hits = [o for o in objs if o is not ref and _matches(o, target) and _related(o, rel, ref, cell)]
    assert len(hits) == 1, f"{question!r}: {len(hits)} objects are {rel} the reference"
    return family, hits[0][QUERY_WORD[g[0]]]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"seed": 0},
        {"seed": 1, "distractors": 1.0, "relation_fraction": 0.6, "max_objects": 9},
        {"seed": 2, "canvas": 64, "grid": 4, "min_objects": 4, "max_objects": 12, "max_count": 6},
        {"seed": 3, "canvas": 48, "distractors": 0.0, "min_objects": 1},
    ],
)
def test_every_answer_follows_from_the_scene(kwargs):
    s = shapes(task="vqa", n_train=250, n_val=25, n_test=25, **kwargs)
    families = set()
    for ex in [*s.train, *s.val, *s.test]:
        family, truth = answer(ex["question"], ex["scene"])
        assert family == ex["question_type"], ex["question"]
        assert truth == ex["multiple_choice_answer"], (ex["question"], ex["scene"])
        families.add(family)
    assert families == set(s.meta["question_families"])


def test_checker_detects_wrong_answers_and_ambiguity():
    s = shapes(
        task="vqa",
        n_train=80,
        n_val=1,
        n_test=1,
        families=["attribute", "exist"],
        relation_fraction=0.0,
    )
    seen = set()
    for ex in s.train:
        scene = ex["scene"]
        if ex["question_type"] == "exist" and ex["multiple_choice_answer"] == "yes":
            assert answer(ex["question"], {**scene, "objects": []})[1] == "no"
            seen.add("exist")
        if ex["question_type"] == "attribute":
            doubled = {**scene, "objects": scene["objects"] * 2}
            with pytest.raises(AssertionError, match="objects match"):
                answer(ex["question"], doubled)
            seen.add("attribute")
    assert seen == {"exist", "attribute"}
