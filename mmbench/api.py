"""The Python API behind every CLI command (for notebooks and scripts)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from mmbench.spec import Plan, load_plan
from mmbench.sweeps.runner import SweepOutcome, run_plan


def validate(path: str | Path, overrides: Sequence[str] = ()) -> Plan:
    """Load and validate a spec (every sweep point); MmbenchError lists all problems."""
    return load_plan(path, overrides)


def run(
    path: str | Path | Plan,
    overrides: Sequence[str] = (),
    progress_factory=None,
    force: bool = False,
    workers: int = 1,
    on_done=None,
    on_trial=None,
) -> SweepOutcome:
    """Validate every point of the spec, then run them (skipping finished ones unless ``force``).

    ``path`` may also be a ``Plan`` from :func:`validate` (then ``overrides`` are ignored).
    ``workers`` > 1 runs sweep points in that many local processes. A spec with ``tune:``
    is tuned first (:func:`mmbench.tuning.tune_plan`; ``on_trial(label, result)`` per trial)
    and the outcome is that of its final runs.
    """
    plan = path if isinstance(path, Plan) else load_plan(path, overrides)
    if plan.specs and plan.specs[0].tune is not None:
        from mmbench.tuning import tune_plan

        return tune_plan(
            plan, progress_factory, force=force, workers=workers, on_done=on_done,
            on_trial=on_trial,
        )  # fmt: skip
    return run_plan(
        plan, progress_factory=progress_factory, force=force, workers=workers, on_done=on_done
    )
