"""Caption and tag text for shapes scenes: varied phrasings of one scene description.

Like COCO's five annotators, each reference is drawn independently: synonyms ("grey", "box",
"big"), optional size words, sentence frames, the order in which objects are named, and which
true spatial relation is stated all vary, while the content (colour and shape of every object,
and where they are) stays right. Only what the scene dict holds is used, so a caption is a
pure function of the scene and the random generator.
"""

from __future__ import annotations

import numpy as np

from mmbench.data.shapes_scene import COLOURS, RELATIONS, SHAPES, relation_holds

SHAPE_WORDS = {
    "circle": ("circle", "circle", "disc", "round shape"),
    "square": ("square", "square", "box", "block"),
    "triangle": ("triangle",),
    "cross": ("cross", "cross", "plus sign"),
}
COLOUR_WORDS = {c: (c,) for c in COLOURS} | {
    "gray": ("gray", "grey"),
    "purple": ("purple", "violet"),
}
SIZE_WORDS = {"small": ("small", "little"), "large": ("large", "big")}
RELATION_WORDS = {
    "left": ("to the left of", "left of"),
    "right": ("to the right of", "right of"),
    "above": ("above", "over"),
    "below": ("below", "under", "beneath"),
}
ROWS, COLS = ("top", "middle", "bottom"), ("left", "center", "right")
ONE = ("{a}", "a picture of {a}", "there is {a}", "{a} on a dark background", "an image of {a}")
TWO = (
    "{a} and {b}",
    "there are {a} and {b}",
    "a picture of {a} and {b}",
    "two shapes : {a} and {b}",
)
MANY = ("{a} , {b} and {c}", "there are {a} , {b} and {c}", "three shapes : {a} , {b} and {c}")


def _pick(rng: np.random.Generator, options: tuple[str, ...]) -> str:
    return options[int(rng.integers(len(options)))]


def article(phrase: str) -> str:
    return ("an " if phrase[:1] in "aeiou" else "a ") + phrase


def noun_phrase(obj: dict, rng: np.random.Generator, size_p: float = 0.35) -> str:
    """'a big red square', 'a grey disc' …: colour and shape always, size sometimes."""
    words = [_pick(rng, COLOUR_WORDS[obj["colour"]]), _pick(rng, SHAPE_WORDS[obj["shape"]])]
    if rng.random() < size_p:
        words.insert(0, _pick(rng, SIZE_WORDS[obj["size"]]))
    return article(" ".join(words))


def place_phrase(obj: dict, grid: int) -> str:
    """'in the top left', 'in the center' (3 × 3 grid words; other grids use thirds)."""
    r = min(2, obj["row"] * 3 // grid)
    c = min(2, obj["col"] * 3 // grid)
    if (r, c) == (1, 1):
        return "in the center"
    if r == 1:
        return f"on the {COLS[c]}"
    if c == 1:
        return f"at the {ROWS[r]}"
    return f"in the {ROWS[r]} {COLS[c]}"


def relations_between(a: dict, b: dict) -> list[str]:
    return [rel for rel in RELATIONS if relation_holds(a, rel, b)]


def caption(scene: dict, rng: np.random.Generator) -> str:
    """One reference caption of ``scene`` (1–3 objects, each described in full)."""
    objs = [scene["objects"][i] for i in rng.permutation(len(scene["objects"]))]
    nps = [noun_phrase(o, rng) for o in objs]
    if len(objs) == 1:
        text = _pick(rng, ONE).format(a=nps[0])
        if rng.random() < 0.5:
            text += " " + place_phrase(objs[0], scene["grid"])
        return text
    if len(objs) == 2 and rng.random() < 0.6:
        rel = _pick(rng, tuple(relations_between(objs[0], objs[1])))
        return f"{nps[0]} {_pick(rng, RELATION_WORDS[rel])} {nps[1]}"
    if len(objs) == 2:
        return _pick(rng, TWO).format(a=nps[0], b=nps[1])
    return _pick(rng, MANY).format(a=nps[0], b=nps[1], c=nps[2])


def references(scene: dict, rng: np.random.Generator, n: int = 5) -> list[str]:
    """``n`` captions of one scene, distinct where the phrasings allow (up to 20 draws)."""
    refs: list[str] = []
    for _ in range(20):
        text = caption(scene, rng)
        if text not in refs:
            refs.append(text)
        if len(refs) == n:
            return refs
    while len(refs) < n:
        refs.append(caption(scene, rng))
    return refs


def tags(scene: dict, rng: np.random.Generator, drop: float, noise: float, spurious: float) -> str:
    """A noisy detector's object tags, e.g. 'blue square red circle' (shuffled pairs).

    Each object is missed with probability ``drop``; its colour and its shape are each replaced
    by a wrong one with probability ``noise``; a spurious object is added with probability
    ``spurious``. Tags use the canonical words (no synonyms).
    """
    out = []
    for obj in scene["objects"]:
        if rng.random() < drop:
            continue
        colour, shape = obj["colour"], obj["shape"]
        if rng.random() < noise:
            colour = _pick(rng, tuple(c for c in COLOURS if c != colour))
        if rng.random() < noise:
            shape = _pick(rng, tuple(s for s in SHAPES if s != shape))
        out.append(f"{colour} {shape}")
    if rng.random() < spurious:
        out.append(f"{_pick(rng, COLOURS)} {_pick(rng, SHAPES)}")
    return " ".join(out[i] for i in rng.permutation(len(out)))
