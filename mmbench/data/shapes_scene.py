"""Scenes of coloured shapes on a small canvas: vocabulary, layout on a grid, numpy rendering.

A scene is a plain dict (kept in every example, so answers can be recomputed from it)::

    {"canvas": 32, "grid": 3, "background": [r, g, b], "noise": 4.0, "noise_seed": int,
     "objects": [{"shape": "circle", "colour": "red", "size": "small", "row": 0, "col": 2,
                  "x": 26.0, "y": 5.0, "extent": 6, "rgb": [r, g, b]}, ...]}

The canvas is split into ``grid × grid`` cells of ``canvas // grid`` pixels (centred, the rest is a
margin); each object sits alone in its cell, so objects never overlap. ``x``/``y`` are the centre in
pixels (x to the right, y downwards, pixel i covers [i, i+1)); ``extent`` is the side of the
object's bounding box in pixels. Spatial relations are defined on cells: "left of" means a column
further left, "above" a row further up — unambiguous whatever the jitter inside a cell.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

SHAPES = ("circle", "square", "triangle", "cross")
COLOURS = ("red", "green", "blue", "yellow", "purple", "gray")
SIZES = ("small", "large")
ATTRIBUTES = ("size", "colour", "shape")  # order of words in a noun phrase

RGB = {
    "red": (220, 40, 40),
    "green": (40, 185, 60),
    "blue": (50, 90, 235),
    "yellow": (235, 215, 40),
    "purple": (160, 60, 210),
    "gray": (140, 140, 140),
}
SIZE_FRACTION = {"small": 0.55, "large": 0.9}  # bounding-box side as a fraction of the cell
_SUPERSAMPLE = 4  # anti-aliasing: 4×4 samples per pixel


def relation_holds(a: dict, relation: str, b: dict) -> bool:
    """Whether object ``a`` is ``relation`` (left/right/above/below) object ``b``, on grid cells."""
    if relation == "left":
        return a["col"] < b["col"]
    if relation == "right":
        return a["col"] > b["col"]
    if relation == "above":
        return a["row"] < b["row"]
    if relation == "below":
        return a["row"] > b["row"]
    raise ValueError(f"unknown relation {relation!r}")


RELATIONS = ("left", "right", "above", "below")


def cell_size(canvas: int, grid: int) -> int:
    """Side of one grid cell in pixels."""
    return canvas // grid


def extent_of(size: str, cell: int) -> int:
    """Bounding-box side in pixels of an object of ``size`` in a cell of ``cell`` pixels."""
    return max(3, int(SIZE_FRACTION[size] * cell + 0.5))


@lru_cache(maxsize=256)
def shape_mask(shape: str, extent: int) -> np.ndarray:
    """Anti-aliased coverage (extent, extent) float32 in [0, 1] of ``shape`` filling its box."""
    n = extent * _SUPERSAMPLE
    t = (np.arange(n) + 0.5) / n * 2.0 - 1.0  # sample centres in [-1, 1]
    u, v = np.meshgrid(t, t)  # u: x to the right, v: y downwards; (n, n)
    if shape == "circle":
        inside = u**2 + v**2 <= 1.0
    elif shape == "square":
        inside = np.maximum(np.abs(u), np.abs(v)) <= 0.85
    elif shape == "triangle":  # apex up, base at the bottom
        inside = np.abs(u) <= (v + 1.0) / 2.0
    elif shape == "cross":
        inside = np.minimum(np.abs(u), np.abs(v)) <= 0.34
    else:
        raise ValueError(f"unknown shape {shape!r}")
    cover = inside.reshape(extent, _SUPERSAMPLE, extent, _SUPERSAMPLE).mean(axis=(1, 3))
    cover = cover.astype(np.float32)
    cover.setflags(write=False)
    return cover


def place(obj: dict, rng: np.random.Generator, canvas: int, grid: int, colour_jitter: int) -> dict:
    """Pixel position (random offset inside the object's cell) and jittered colour of ``obj``."""
    cell = cell_size(canvas, grid)
    margin = (canvas - grid * cell) // 2
    extent = extent_of(obj["size"], cell)
    slack = cell - extent
    left = margin + obj["col"] * cell + int(rng.integers(0, slack + 1))
    top = margin + obj["row"] * cell + int(rng.integers(0, slack + 1))
    base = np.array(RGB[obj["colour"]])
    rgb = np.clip(base + rng.integers(-colour_jitter, colour_jitter + 1, size=3), 0, 255)
    return {
        **obj,
        "x": left + extent / 2.0,
        "y": top + extent / 2.0,
        "extent": extent,
        "rgb": [int(c) for c in rgb],
    }


def render(scene: dict) -> np.ndarray:
    """The image (canvas, canvas, 3) uint8 of a scene; a pure function of the scene dict."""
    canvas = scene["canvas"]
    img = np.empty((canvas, canvas, 3), dtype=np.float32)
    img[:] = np.asarray(scene["background"], dtype=np.float32)
    for obj in scene["objects"]:
        e = obj["extent"]
        left, top = int(round(obj["x"] - e / 2.0)), int(round(obj["y"] - e / 2.0))
        alpha = shape_mask(obj["shape"], e)[:, :, None]  # (e, e, 1)
        patch = img[top : top + e, left : left + e]
        patch *= 1.0 - alpha
        patch += alpha * np.asarray(obj["rgb"], dtype=np.float32)
    if scene.get("noise", 0.0) > 0:
        noise_rng = np.random.default_rng(scene["noise_seed"])
        img += noise_rng.normal(0.0, scene["noise"], size=img.shape).astype(np.float32)
    return np.clip(np.rint(img), 0, 255).astype(np.uint8)
