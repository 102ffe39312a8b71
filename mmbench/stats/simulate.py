"""Simulated studies with a known truth, to measure the calibration of :func:`compare`.

A configuration ``k``, seed ``s`` and test example ``i`` (in cluster ``g``) score with
probability ``p = sigmoid(μ + θ_i + u_ki + c_g + v_kg + shift_k + a_ks)``:

* ``θ_i ~ N(0, example_sd²)``: example difficulty shared by every configuration;
* ``u_ki ~ N(0, config_example_sd²)``: which examples this configuration is good at;
* ``c_g``, ``v_kg``: the same for clusters (several questions about one image);
* ``a_ks ~ N(0, seed_sd²)``: the training seed.

The per-example score is Bernoulli(p) (``binary``: VQA-style right/wrong), Binomial(3, p) / 3
(``soft``: 0, ⅓, ⅔, 1 like VQA's soft accuracy) or, for ``ratio``, Binomial(w_i, p) errors over
``w_i ~ 1 + Poisson(words − 1)`` reference words (corpus WER = Σ errors / Σ words). The truth —
the expected score over seeds and the example population — is ``E sigmoid(μ + shift + σ Z)``
with ``σ²`` the sum of all variances, computed by Gauss–Hermite quadrature; all configurations
with the same ``shift`` have the same truth (A/A) even when their per-example profiles differ.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
from scipy.optimize import brentq
from scipy.special import expit


@cache
def _hermite(n: int = 80) -> tuple[np.ndarray, np.ndarray]:
    """Gauss–Hermite nodes and weights for E f(Z), Z ~ N(0, 1)."""
    z, w = np.polynomial.hermite_e.hermegauss(n)
    return z, w / w.sum()


@dataclass(frozen=True)
class Regime:
    """Sizes and variance components (logit scale) of a simulated study."""

    name: str
    n_examples: int = 1000
    n_clusters: int | None = None  # None: examples independent
    logit_mean: float = 0.4
    example_sd: float = 2.0
    config_example_sd: float = 0.0
    cluster_sd: float = 0.0
    config_cluster_sd: float = 0.0
    seed_sd: float = 0.2
    score: str = "binary"  # "binary", "soft" or "ratio"
    words: float = 10.0  # ratio: mean reference words per example

    @property
    def total_sd(self) -> float:
        parts = (self.example_sd, self.config_example_sd, self.cluster_sd)
        parts += (self.config_cluster_sd, self.seed_sd)
        return float(np.sqrt(sum(p * p for p in parts)))

    def truth(self, shift: float = 0.0) -> float:
        """Expected score over seeds and the population (the ratio of expectations for WER)."""
        z, w = _hermite()
        return float(np.sum(w * expit(self.logit_mean + shift + self.total_sd * z)))

    def shift_for(self, points: float) -> float:
        """Logit shift whose truth differs from the base by ``points`` (score units)."""
        base = self.truth()
        return float(brentq(lambda t: self.truth(t) - base - points, -5.0, 5.0))


@dataclass
class Study:
    """One simulated test set: inputs of :func:`mmbench.stats.compare` and the truth."""

    scores: dict[str, np.ndarray]
    groups: np.ndarray | None
    denominators: dict[str, np.ndarray] | None
    truth: dict[str, float]


def simulate(
    regime: Regime, n_seeds: list[int], shifts: list[float], rng: np.random.Generator
) -> Study:
    """One study of ``len(n_seeds)`` configurations named ``c0, c1, …``; configuration ``k``
    has ``n_seeds[k]`` seeds and logit shift ``shifts[k]`` (all 0: an A/A study)."""
    n = regime.n_examples
    theta = rng.normal(regime.logit_mean, regime.example_sd, n)  # (N,)
    if regime.n_clusters:
        cluster = np.sort(rng.integers(0, regime.n_clusters, n))
        cluster = np.repeat(
            np.arange(regime.n_clusters), np.bincount(cluster, minlength=regime.n_clusters)
        )
        theta = theta + rng.normal(0, regime.cluster_sd, regime.n_clusters)[cluster]
    else:
        cluster = None
    words = 1 + rng.poisson(regime.words - 1, n) if regime.score == "ratio" else None
    scores, dens, truth = {}, {}, {}
    for k, (seeds, shift) in enumerate(zip(n_seeds, shifts)):
        logit = theta + shift + rng.normal(0, regime.config_example_sd, n)
        if cluster is not None:
            logit = logit + rng.normal(0, regime.config_cluster_sd, regime.n_clusters)[cluster]
        p = expit(logit[None, :] + rng.normal(0, regime.seed_sd, (seeds, 1)))  # (seeds, N)
        name = f"c{k}"
        if regime.score == "binary":
            scores[name] = (rng.random(p.shape) < p).astype(np.float64)
        elif regime.score == "soft":
            scores[name] = rng.binomial(3, p) / 3.0
        else:
            scores[name] = rng.binomial(np.broadcast_to(words, p.shape), p).astype(np.float64)
            dens[name] = np.broadcast_to(words, p.shape).astype(np.float64)
        truth[name] = regime.truth(shift)
    return Study(scores, cluster, dens or None, truth)
