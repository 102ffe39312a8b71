"""Hyperparameter search per configuration (the ``tune:`` block of a spec), with Optuna.

Every configuration of a sweep gets the same budget and the same search seed, is scored on
the validation split only, and its best values are re-run on ``tune.seeds``; only those final
runs reach a report. :func:`tune_plan` is the entry point (``mmbench run`` calls it for a spec
with ``tune:``); Optuna is an optional dependency (``pip install 'mmbench[tune]'``).
"""

from __future__ import annotations

from mmbench.tuning.runner import StudyOutcome, tune_plan

__all__ = ["StudyOutcome", "tune_plan"]
