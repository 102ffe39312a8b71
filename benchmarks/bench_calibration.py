"""Calibration of ``mmbench.stats.compare`` on simulated studies with a known truth.

Each cell runs independent simulated studies (``mmbench.stats.simulate``: per-example scores
from a logistic model with example, cluster, configuration-profile and seed effects) and reports

* **FPR**: share of A/A studies (no true difference) marking a difference significant (≤ 5 %);
* **cover**: share of the 95 % intervals of the configurations' means that contain the true
  expected score over seeds and the test population (≥ 95 %); with one seed the interval covers
  the test examples only, as labelled, so it is not expected to reach 95 % there;
* **cover Δ**: the same for the interval of the difference from the reference;
* **power**: share of studies where a true difference of the stated size is found.

Monte-Carlo standard error: ±0.7 points at 5 % with 1,000 studies, ±0.7 at 95 %.

Regimes (1,000 test examples, 2 configurations, reference = the first one):

* ``seed``: VQA-like right/wrong answers, configurations identical per example (A/A), seed std
  of the accuracy ≈ 2.5 points — the seed variance dominates;
* ``example``: soft scores (0, ⅓, ⅔, 1), configurations good at different examples, seed std
  ≈ 0.7 points — the test-set (example) variance dominates;
* ``clustered16`` / ``clustered60``: right/wrong answers in 16 (SHAPES-like) / 60 clusters with
  cluster effects per configuration, seed std ≈ 3 points; ``groups`` = cluster ids;
  ``clustered16, no groups`` is the same data analysed as if examples were independent;
* ``ratio``: corpus WER (Σ errors / Σ words, ~12 words per utterance) over 40 speakers;
* ``5 identical, ref = best``: 5 configurations of the ``seed`` regime, ``reference=None``
  (Holm over all 10 pairs); FPR = studies marking *any* configuration different from the best;
* ``1 seed + pooled``: a 1-seed configuration against a configuration with the stated seeds,
  ``pool_seed_variance=True``.

Run: ``nice -n 10 python benchmarks/bench_calibration.py [--studies 1000]`` (about 10 minutes on
the 2-core reference machine). Result of 2026-12-02 (1,000 studies per A/A cell, 500 per power
cell):

RESULTS
"""

from __future__ import annotations

import argparse

from mmbench.stats.calibration import measure
from mmbench.stats.simulate import Regime

SEED = Regime("seed", seed_sd=0.15)
CLUSTERED16 = Regime("clustered16", n_clusters=16, cluster_sd=1.0, config_cluster_sd=0.4)
# (label, regime, effects in score units for the power columns, compare kwargs)
REGIMES = [
    ("seed", SEED, (0.03, 0.05), {}),
    ("example", Regime("example", score="soft", config_example_sd=1.5, seed_sd=0.02),
     (0.03, 0.05), {}),
    ("clustered16", CLUSTERED16, (0.03, 0.05), {}),
    ("clustered60", Regime("clustered60", n_clusters=60, cluster_sd=1.0, config_cluster_sd=0.4),
     (0.03, 0.05), {}),
    ("ratio (WER)", Regime("ratio", score="ratio", logit_mean=-1.6, example_sd=1.0, n_clusters=40,
                           cluster_sd=0.5, config_cluster_sd=0.2, seed_sd=0.08, words=12),
     (0.01, 0.02), {}),
]  # fmt: skip
SEEDS = (1, 2, 3, 5, 10)


def pct(x: float) -> str:
    return "–" if x != x else f"{100 * x:.1f}"


def row(label: str, seeds: object, aa, powers: list) -> str:
    cells = [label, str(seeds), pct(aa.rejected), pct(aa.coverage), pct(aa.delta_coverage)]
    return "| " + " | ".join(cells + [pct(p) for p in powers]) + " |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--studies", type=int, default=1000, help="A/A studies per cell")
    args = parser.parse_args()
    n, half = args.studies, max(1, args.studies // 2)
    print("| regime | seeds | FPR % | cover % | cover Δ % | power % (δ₁) | power % (δ₂) |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for label, regime, effects, kwargs in REGIMES:
        names = f"{label} (δ = {', '.join(f'{100 * e:g}' for e in effects)} pts)"
        for seeds in SEEDS:
            aa = measure(regime, seeds, n, seed=seeds, **kwargs)
            powers = [measure(regime, seeds, half, effect=e, seed=100 + seeds, **kwargs).rejected
                      for e in effects]  # fmt: skip
            print(row(names, seeds, aa, powers), flush=True)
    for seeds in (2, 3, 5, 10):
        aa = measure(CLUSTERED16, seeds, n, seed=seeds, ignore_groups=True)
        print(row("clustered16, no groups", seeds, aa, []) + " | |", flush=True)
    for seeds in (2, 3, 5, 10):
        aa = measure(SEED, seeds, n, n_configs=5, best=True, seed=seeds)
        print(row("5 identical, ref = best", seeds, aa, []) + " | |", flush=True)
    for seeds in (2, 5, 10):
        aa = measure(SEED, [seeds, 1], n, seed=seeds, pool_seed_variance=True)
        pw = [measure(SEED, [seeds, 1], half, effect=e, seed=100 + seeds,
                      pool_seed_variance=True).rejected for e in (0.03, 0.05)]  # fmt: skip
        print(row("seed, 1 seed + pooled (δ = 3, 5 pts)", f"{seeds} + 1", aa, pw), flush=True)


if __name__ == "__main__":
    main()
