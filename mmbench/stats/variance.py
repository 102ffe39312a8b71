"""Variance components of a configuration's mean score: seeds, test examples, their interaction.

Model (a two-way random-effects layout, one per configuration): the score of seed ``s`` on test
example ``i`` is ``x_si = μ + a_s + b_i + e_si`` with a seed effect ``a_s`` (training randomness),
an example effect ``b_i`` (which examples the test set drew from the population) and an
interaction ``e_si``. The estimate ``μ̂ = mean_s T_s``, where ``T_s`` is seed ``s``'s corpus score,
has

    Var(μ̂) = σ²_a / n + σ²_b / N + σ²_e / (n N)

for ``n`` seeds and ``N`` examples. Its unbiased method-of-moments estimate is

    V = S²_T / n  +  V_ex  −  V_int

* ``S²_T``: the sample variance of the seeds' corpus scores (it contains ``σ²_a + σ²_e / N``);
* ``V_ex``: the cluster-robust variance (CR1, Cameron & Miller 2015, "A Practitioner's Guide to
  Cluster-Robust Inference", J. Human Resources 50(2)) of the seed-averaged per-example
  contributions — clusters (image, speaker, document) are the independent units, so examples in
  one cluster are not counted as independent evidence; it contains ``σ²_b / N + σ²_e / (n N)``;
* ``V_int``: the part of ``V_ex`` that is seed noise, estimated from the seeds' deviations
  around the seed average per cluster; subtracting it avoids counting the interaction twice.

Without clusters this is exactly the classical ANOVA estimate
``(MS_seeds + MS_examples − MS_residual) / (n N)`` whose degrees of freedom Satterthwaite
(1946, "An approximate distribution of estimates of variance components", Biometrics Bulletin
2(6)) derived; with ``G`` clusters the components have ``n − 1``, ``G − 1`` and
``(n − 1)(G − 1)`` degrees of freedom.

Ratio metrics (corpus WER = Σ errors / Σ reference words per seed) use the linearisation (delta
method) of the ratio: example ``i`` contributes ``z_si = (x_si − T_s d_si) / mean_i(d_si)``, so
that ``T_s − τ ≈ mean_i z_si`` (Cochran, "Sampling Techniques", 1977, §6.4). For a mean metric
``d = 1`` and ``z_si = x_si − T_s``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Summary:
    """One configuration's seeds on one test set.

    Attributes:
        per_seed: ``(n,)`` corpus score of each seed.
        mean: mean of ``per_seed``.
        seed_var: sample variance of ``per_seed`` (``ddof=1``); NaN with one seed.
        influence: ``(G,)`` seed-averaged linearised contributions summed per cluster, over ``N``
            (so ``mean - μ ≈ influence.sum()`` and the clusters are independent).
        interaction: per-seed interaction variance ``Σ_g Var_s(Z_sg)`` (over ``N²``, before the
            CR1 factor); NaN with one seed. ``V_int = cr1 * interaction / n``.
        n_clusters: ``G``.
    """

    per_seed: np.ndarray
    mean: float
    seed_var: float
    influence: np.ndarray
    interaction: float
    n_clusters: int

    @property
    def n_seeds(self) -> int:
        return len(self.per_seed)

    @property
    def cr1(self) -> float:
        """Small-sample factor ``G / (G − 1)`` of the cluster-robust variance (NaN for G = 1)."""
        g = self.n_clusters
        return g / (g - 1) if g > 1 else float("nan")

    def example_var(self) -> float:
        """``V_ex``: cluster-robust variance of the seed-averaged mean over the test examples."""
        return self.cr1 * float(np.sum(self.influence**2))

    def interaction_var(self, interaction: float | None = None) -> float:
        """``V_int``: the seed noise inside :meth:`example_var` (optionally a pooled value)."""
        omega = self.interaction if interaction is None else interaction
        return self.cr1 * omega / self.n_seeds


def summarise(
    x: np.ndarray, cluster: np.ndarray, n_clusters: int, d: np.ndarray | None = None
) -> Summary:
    """``x``: ``(n, N)`` per-example scores; ``d``: ``(n, N)`` denominators or None (mean);
    ``cluster``: ``(N,)`` codes in ``0 .. n_clusters - 1``."""
    n, big_n = x.shape
    if d is None:
        per_seed = x.mean(axis=1)  # (n,)
        z = x - per_seed[:, None]  # (n, N)
    else:
        per_seed = x.sum(axis=1) / d.sum(axis=1)
        z = (x - per_seed[:, None] * d) / d.mean(axis=1, keepdims=True)
    sums = np.empty((n, n_clusters))  # (n, G): each seed's contributions summed per cluster
    for s in range(n):
        sums[s] = np.bincount(cluster, weights=z[s], minlength=n_clusters)
    sums /= big_n
    influence = sums.mean(axis=0)  # (G,)
    if n > 1:
        seed_var = float(np.var(per_seed, ddof=1))
        interaction = float(np.sum((sums - influence) ** 2) / (n - 1))
    else:
        seed_var = interaction = float("nan")
    return Summary(per_seed, float(per_seed.mean()), seed_var, influence, interaction, n_clusters)


def paired_example_var(a: Summary, b: Summary) -> float:
    """``V_ex`` of the difference ``mean_a − mean_b``: examples are paired (the same test set),
    so the example component is computed on per-cluster differences of contributions."""
    return a.cr1 * float(np.sum((a.influence - b.influence) ** 2))
