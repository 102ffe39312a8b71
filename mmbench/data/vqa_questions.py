"""Question families for the ``shapes`` VQA set: plan (answer first), evaluate, phrase in English.

Every family works answer-first, so a question alone tells nothing about its answer:

1. ``plan``: draw the answer uniformly from the family's answer set, then a program (what is asked
   about which objects) and the *required* objects (with grid cells) that make that answer true;
2. the builder adds filler objects and keeps a filler only if ``evaluate`` still gives the planned
   answer — so every question is well posed (each referenced object unique) by construction;
3. ``phrase``: one of a few English templates.

Programs are dicts. A *descriptor* is a dict holding some of ``size``/``colour``/``shape``; an
object matches when all of them are equal. Families:

===============  =======================================================  ===========
family           example                                                  answers
===============  =======================================================  ===========
attribute        what color is the small square?                          colour/shape/size
exist            is there a red circle?                                   yes/no
count            how many blue objects are there?                         0 … max_count
compare          are there more circles than squares?                     yes/no
relation         what shape is the object left of the red circle?         colour/shape/size
relation_exist   is there a triangle above the large green object?        yes/no
===============  =======================================================  ===========
"""

from __future__ import annotations

import numpy as np

from mmbench.data.shapes_scene import ATTRIBUTES, COLOURS, RELATIONS, SHAPES, SIZES, relation_holds

FAMILIES = ("attribute", "exist", "count", "compare", "relation", "relation_exist")
RELATIONAL = ("relation", "relation_exist")
ANSWER_TYPE = {
    "attribute": "other",
    "exist": "yes/no",
    "count": "number",
    "compare": "yes/no",
    "relation": "other",
    "relation_exist": "yes/no",
}
VALUES = {"shape": SHAPES, "colour": COLOURS, "size": SIZES}
YES_NO = ("yes", "no")


def answer_set(family: str, max_count: int) -> tuple[str, ...]:
    """The canonical answers a family can have."""
    if ANSWER_TYPE[family] == "yes/no":
        return YES_NO
    if family == "count":
        return tuple(str(k) for k in range(max_count + 1))
    return (*COLOURS, *SHAPES, *SIZES)


def _pick(rng: np.random.Generator, seq):
    return seq[int(rng.integers(len(seq)))]


def matches(obj: dict, desc: dict) -> bool:
    return all(obj[k] == v for k, v in desc.items())


def _unique(objects: list[dict], desc: dict) -> dict | None:
    found = [o for o in objects if matches(o, desc)]
    return found[0] if len(found) == 1 else None


def random_object(rng: np.random.Generator, **fixed: str) -> dict:
    obj = {a: _pick(rng, VALUES[a]) for a in ATTRIBUTES}
    obj.update(fixed)
    return obj


def _descriptor(obj: dict, rng: np.random.Generator, lo: int, hi: int, exclude=()) -> dict:
    """A random subset of ``lo``..``hi`` of the object's attributes (not those in ``exclude``)."""
    pool = [a for a in ATTRIBUTES if a not in exclude]
    k = int(rng.integers(lo, min(hi, len(pool)) + 1))
    chosen = set(rng.choice(pool, size=k, replace=False).tolist()) if k else set()
    return {a: obj[a] for a in ATTRIBUTES if a in chosen}


def _cell_pair(rng: np.random.Generator, grid: int, relation: str) -> tuple[tuple, tuple]:
    """(reference cell, target cell) with the target ``relation`` the reference."""
    cells = [(r, c) for r in range(grid) for c in range(grid)]
    pos = [{"row": r, "col": c} for r, c in cells]
    ref = _pick(
        rng, [c for c, p in zip(cells, pos) if any(relation_holds(q, relation, p) for q in pos)]
    )
    ref_pos = {"row": ref[0], "col": ref[1]}
    tgt = _pick(rng, [c for c, p in zip(cells, pos) if relation_holds(p, relation, ref_pos)])
    return ref, tgt


def _at(obj: dict, cell: tuple) -> dict:
    return {**obj, "row": cell[0], "col": cell[1]}


def plan(
    family: str, rng: np.random.Generator, grid: int, max_count: int, max_objects: int
) -> dict:
    """Answer, program, required objects (those with a cell are placed) and distractor keys.

    Returns ``{"answer", "program", "required": [obj], "keys": [obj]}``; required objects carry
    ``row``/``col`` when their cell matters (relations), else the builder draws free cells.
    Keys are the objects near-miss distractors are copied from.
    """
    if family == "attribute":
        query = _pick(rng, ATTRIBUTES)
        answer = _pick(rng, VALUES[query])
        target = random_object(rng, **{query: answer})
        desc = _descriptor(target, rng, 1, 2, exclude=(query,))
        program = {"family": family, "query": query, "target": desc}
        return {"answer": answer, "program": program, "required": [target], "keys": [target]}
    if family == "exist":
        answer = _pick(rng, YES_NO)
        virtual = random_object(rng)
        desc = _descriptor(virtual, rng, 2, 3)
        required = [virtual] if answer == "yes" else []
        program = {"family": family, "target": desc}
        return {"answer": answer, "program": program, "required": required, "keys": [virtual]}
    if family == "count":
        k = int(rng.integers(0, max_count + 1))
        virtual = random_object(rng)
        desc = _descriptor(virtual, rng, 1, 2)
        required = [random_object(rng, **desc) for _ in range(k)]
        program = {"family": family, "target": desc}
        return {"answer": str(k), "program": program, "required": required, "keys": [virtual]}
    if family == "compare":
        answer = _pick(rng, YES_NO)
        attr = _pick(rng, ATTRIBUTES)
        va, vb = rng.choice(VALUES[attr], size=2, replace=False).tolist()
        top = min(max_count + 1, max_objects)
        pairs = [
            (a, b)
            for a in range(top + 1)
            for b in range(top + 1)
            if 1 <= a + b <= top and ((a > b) == (answer == "yes"))
        ]
        na, nb = pairs[int(rng.integers(len(pairs)))]
        required = [random_object(rng, **{attr: va}) for _ in range(na)]
        required += [random_object(rng, **{attr: vb}) for _ in range(nb)]
        program = {"family": family, "a": {attr: va}, "b": {attr: vb}}
        keys = [random_object(rng, **{attr: va}), random_object(rng, **{attr: vb})]
        return {"answer": answer, "program": program, "required": required, "keys": keys}
    if family in RELATIONAL:
        relation = _pick(rng, RELATIONS)
        ref_cell, tgt_cell = _cell_pair(rng, grid, relation)
        ref = _at(random_object(rng), ref_cell)
        ref_desc = _descriptor(ref, rng, 1, 3)
        if family == "relation":
            query = _pick(rng, ATTRIBUTES)
            answer = _pick(rng, VALUES[query])
            target = _at(random_object(rng, **{query: answer}), tgt_cell)
            desc = _descriptor(target, rng, 0, 2, exclude=(query,))
            program = {"family": family, "query": query, "target": desc}
            required = [ref, target]
        else:
            answer = _pick(rng, YES_NO)
            target = _at(random_object(rng), tgt_cell)
            desc = _descriptor(target, rng, 1, 3)
            program = {"family": family, "target": desc}
            required = [ref, target] if answer == "yes" else [ref]
        program.update(relation=relation, ref=ref_desc)
        return {"answer": answer, "program": program, "required": required, "keys": [ref, target]}
    raise ValueError(f"unknown question family {family!r}")


def evaluate(objects: list[dict], program: dict) -> str | None:
    """The answer of ``program`` on a scene's objects, or None if the question is ill-posed."""
    family = program["family"]
    if family == "attribute":
        target = _unique(objects, program["target"])
        return None if target is None else target[program["query"]]
    if family == "exist":
        return "yes" if any(matches(o, program["target"]) for o in objects) else "no"
    if family == "count":
        return str(sum(matches(o, program["target"]) for o in objects))
    if family == "compare":
        na = sum(matches(o, program["a"]) for o in objects)
        nb = sum(matches(o, program["b"]) for o in objects)
        return "yes" if na > nb else "no"
    if family in RELATIONAL:
        ref = _unique(objects, program["ref"])
        if ref is None:
            return None
        found = [
            o
            for o in objects
            if o is not ref
            and relation_holds(o, program["relation"], ref)
            and matches(o, program["target"])
        ]
        if family == "relation_exist":
            return "yes" if found else "no"
        return found[0][program["query"]] if len(found) == 1 else None
    raise ValueError(f"unknown question family {family!r}")


_QUERY = {
    "colour": ("what color is the {t}?", "what is the color of the {t}?"),
    "shape": ("what shape is the {t}?", "what is the shape of the {t}?"),
    "size": ("what size is the {t}?", "how big is the {t}?"),
}
_EXIST = ("is there {a} {t}?", "are there any {tp}?")
_COUNT = ("how many {tp} are there?", "how many {tp} are in the picture?")
_COMPARE = ("are there more {ap} than {bp}?",)
_RELATION_WORDS = {
    "left": ("left of", "to the left of"),
    "right": ("right of", "to the right of"),
    "above": ("above",),
    "below": ("below", "under"),
}


def noun_phrase(desc: dict, plural: bool = False) -> str:
    """``{"size": "small", "colour": "red"}`` → ``"small red object"`` (``"…objects"``)."""
    head = desc.get("shape", "object")
    if plural:
        head += "es" if head.endswith(("s", "x")) else "s"
    return " ".join([*(desc[a] for a in ("size", "colour") if a in desc), head])


def _article(phrase: str) -> str:
    return "an" if phrase[0] in "aeiou" else "a"


def phrase(program: dict, rng: np.random.Generator) -> str:
    """An English question for ``program``, one of the family's templates drawn by ``rng``."""
    family = program["family"]
    target = program.get("target")
    t = noun_phrase(target) if target is not None else ""
    tp = noun_phrase(target, plural=True) if target is not None else ""
    if family in RELATIONAL:
        where = (
            f"{_pick(rng, _RELATION_WORDS[program['relation']])} the {noun_phrase(program['ref'])}"
        )
        t, tp = f"{t} {where}", f"{tp} {where}"
    if family in ("attribute", "relation"):
        templates = _QUERY[program["query"]]
        if family == "relation" and program["query"] == "shape" and not program["target"]:
            templates = (*templates, "what shape is " + where + "?")
        return _pick(rng, templates).format(t=t)
    if family in ("exist", "relation_exist"):
        return _pick(rng, _EXIST).format(a=_article(t), t=t, tp=tp)
    if family == "count":
        return _pick(rng, _COUNT).format(tp=tp)
    if family == "compare":
        ap, bp = noun_phrase(program["a"], True), noun_phrase(program["b"], True)
        return _pick(rng, _COMPARE).format(ap=ap, bp=bp)
    raise ValueError(f"unknown question family {family!r}")
