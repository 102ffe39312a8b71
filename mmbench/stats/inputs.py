"""Checking and aligning the inputs of the comparisons (one place for every input error).

Every public function of :mod:`mmbench.stats` takes per-example scores as a mapping
configuration → ``(n_seeds, n_examples)`` array whose columns are the same test examples in
the same order, optional per-example denominators of the same shape (ratio metrics), and
optional cluster ids ``(n_examples,)``. Problems raise :class:`StatsInputError`, which is both
the project's :class:`~mmbench.errors.MmbenchError` (the CLI prints it without a traceback) and
a :class:`ValueError` (what a notebook user expects from bad arrays).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from mmbench.errors import MmbenchError
from mmbench.registry import did_you_mean


class StatsInputError(MmbenchError, ValueError):
    """Scores, denominators or group ids that cannot be compared."""


@dataclass(frozen=True)
class Prepared:
    """Validated inputs.

    Attributes:
        names: configuration names, in the order given.
        scores: ``scores[k]`` is ``(n_seeds_k, n_examples)`` float64.
        denominators: same shapes, or ``None`` for a mean metric.
        cluster: ``(n_examples,)`` int cluster index in ``0 .. n_clusters - 1`` (each example its
            own cluster when no group ids were given).
        n_clusters: number of distinct clusters.
        clustered: whether group ids were given.
    """

    names: list[str]
    scores: list[np.ndarray]
    denominators: list[np.ndarray] | None
    cluster: np.ndarray
    n_clusters: int
    clustered: bool

    @property
    def n_examples(self) -> int:
        return int(self.scores[0].shape[1])


def as_matrix(value: object, where: str, n_examples: int | None) -> np.ndarray:
    try:
        x = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise StatsInputError(f"{where}: not an array of numbers ({exc})") from None
    if x.ndim != 2:
        raise StatsInputError(
            f"{where}: expected a 2-D array (n_seeds, n_examples), found shape {x.shape}; "
            "for one seed pass x[None, :]"
        )
    if x.shape[0] == 0 or x.shape[1] == 0:
        raise StatsInputError(
            f"{where}: empty array of shape {x.shape}; needs ≥ 1 seed and example"
        )
    if n_examples is not None and x.shape[1] != n_examples:
        raise StatsInputError(
            f"{where}: {x.shape[1]} examples, but the first configuration has {n_examples}; "
            "columns must be the same test examples in the same order"
        )
    bad = ~np.isfinite(x)
    if bad.any():
        seed, example = np.argwhere(bad)[0]
        raise StatsInputError(
            f"{where}: {int(bad.sum())} non-finite value(s) (first: seed row {seed}, example "
            f"column {example}: {x[seed, example]}); drop or score those examples for every run"
        )
    return x


def check_names(given: Mapping, names: list[str], where: str) -> None:
    """Same keys as the scores (missing or unknown names → error with did-you-mean)."""
    unknown = [k for k in given if k not in names]
    if unknown:
        raise StatsInputError(
            f"{where}: unknown configuration '{unknown[0]}'{did_you_mean(str(unknown[0]), names)}"
            f" (configurations: {', '.join(map(str, names))})"
        )
    missing = [k for k in names if k not in given]
    if missing:
        raise StatsInputError(f"{where}: no entry for configuration(s) {missing}")


def factorize(ids: object, n_examples: int, where: str) -> tuple[np.ndarray, int]:
    """``(n_examples,)`` ids (any hashable values) → int codes ``0 .. G-1`` and ``G``."""
    arr = np.asarray(ids, dtype=object)
    if arr.ndim != 1 or len(arr) != n_examples:
        raise StatsInputError(
            f"{where}: expected one id per test example, shape ({n_examples},), "
            f"found shape {arr.shape}"
        )
    codes, uniques = pd.factorize(arr, use_na_sentinel=True)
    if (codes < 0).any():
        raise StatsInputError(
            f"{where}: missing id (None/NaN) at example column {int(np.flatnonzero(codes < 0)[0])}"
        )
    return codes.astype(np.intp), len(uniques)


def prepare(
    scores: Mapping[str, object],
    groups: object | None = None,
    denominators: Mapping[str, object] | None = None,
    where: str = "compare",
) -> Prepared:
    """Validate and convert the inputs of a comparison (see the module docstring)."""
    if not isinstance(scores, Mapping):
        raise StatsInputError(
            f"{where}: scores must be a mapping configuration → (n_seeds, n_examples) array, "
            f"found {type(scores).__name__}"
        )
    if not scores:
        raise StatsInputError(f"{where}: no configurations to compare")
    names = list(scores)
    mats: list[np.ndarray] = []
    for name in names:
        mats.append(
            as_matrix(
                scores[name], f"{where}: scores['{name}']", mats[0].shape[1] if mats else None
            )
        )
    n = mats[0].shape[1]
    dens = None
    if denominators is not None:
        if not isinstance(denominators, Mapping):
            raise StatsInputError(f"{where}: denominators must be a mapping like scores")
        check_names(denominators, names, f"{where}: denominators")
        dens = []
        for name, x in zip(names, mats):
            d = np.asarray(denominators[name], dtype=np.float64)
            if d.ndim == 1:  # the same denominators for every seed (e.g. reference words)
                d = np.broadcast_to(d, (x.shape[0], d.shape[0]))
            label = f"{where}: denominators['{name}']"
            d = as_matrix(d, label, n)
            if d.shape != x.shape:
                raise StatsInputError(f"{label}: shape {d.shape}, scores have {x.shape}")
            if (d < 0).any() or (d.sum(axis=1) <= 0).any():
                raise StatsInputError(
                    f"{label}: denominators must be ≥ 0 with a positive sum for every seed"
                )
            dens.append(d)
    if groups is None:
        cluster, n_clusters = np.arange(n, dtype=np.intp), n
    else:
        cluster, n_clusters = factorize(groups, n, f"{where}: groups")
    return Prepared(names, mats, dens, cluster, n_clusters, groups is not None)
