"""Several spec files run as one sweep: ``mmbench run A.yaml B.yaml``.

An ablation and its baselines often live in separate files (different encoders, so not one
grid) but log to one experiment and are compared in one leaderboard. Run one after the other,
each file's last points leave workers idle; combined, every point shares one pool of workers and
one parent run, and the report is written once.

The files must agree on what makes them one sweep: the MLflow experiment and tracking URI, where
they run (``execution``) and the report's baseline (where more than one names one; the one named
is the whole leaderboard's reference: :func:`report_baseline`). A tuned
spec runs on its own. A configuration listed in two files is refused: it would run once and be
counted as two seeds.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from mmbench.errors import MmbenchError
from mmbench.spec import Plan, load_plan, spec_hash

__all__ = ["combine_plans", "load_plans", "report_baseline"]


def load_plans(paths: Sequence[str | Path], overrides: Sequence[str] = ()) -> Plan:
    """Every file validated (``overrides`` applied to each), then combined; one MmbenchError
    lists the problems of all of them."""
    plans, problems = [], []
    for path in paths:
        try:
            plans.append(load_plan(path, overrides))
        except MmbenchError as exc:
            problems += exc.problems
    if problems:
        raise MmbenchError(problems)
    return combine_plans(plans)


def combine_plans(plans: Sequence[Plan]) -> Plan:
    """One plan with every point of ``plans``, in order; MmbenchError lists every conflict."""
    if len(plans) == 1:
        return plans[0]
    first = plans[0]
    problems = []
    for plan in plans:
        if plan.specs and plan.specs[0].tune is not None:
            problems.append(
                f"{plan.source}: tune: a tuned spec runs on its own; run it with its own "
                "`mmbench run` (found it beside " + ", ".join(_others(plans, plan)) + ")"
            )
    for plan in plans[1:]:
        for what, get in _MUST_AGREE:
            mine, theirs = get(plan), get(first)
            if mine != theirs:
                problems.append(
                    f"{plan.source}: {what}: {mine!r} differs from {theirs!r} in "
                    f"{first.source}; specs run together must share it"
                )
    named = {p.source: report_baseline(p) for p in plans if report_baseline(p)}
    if len(set(named.values())) > 1:
        problems.append(
            "report.baseline: the specs name different baselines ("
            + ", ".join(f"{src}: {name}" for src, name in named.items())
            + "); name one, or pass --no-report and run `mmbench report EXPERIMENT --against NAME`"
        )
    seen: dict[str, str] = {}
    for plan in plans:
        for i, spec in enumerate(plan.specs):
            where = _where(plan, i)
            earlier = seen.setdefault(spec_hash(spec), where)
            if earlier != where:
                problems.append(
                    f"{where}: the same configuration as {earlier}; it would run once and be "
                    "counted twice (list it in one file)"
                )
    if problems:
        raise MmbenchError(problems)
    combined = Plan(source=" + ".join(p.source for p in plans), specs=[])
    for plan in plans:
        n = len(plan.specs)
        combined.specs += plan.specs
        combined.points += _padded(plan.points, n)
        combined.run_tags += _padded(plan.run_tags, n)
        combined.run_params += _padded(plan.run_params, n)
        combined.sweep_keys += [k for k in plan.sweep_keys if k not in combined.sweep_keys]
    return combined


def report_baseline(plan: Plan) -> str | None:
    """The configuration the plan's report compares against: the first ``report.baseline``
    its points name (a combined plan's files name at most one)."""
    return next((s.report.baseline for s in plan.specs if s.report.baseline), None)


_MUST_AGREE = [
    ("tracking.experiment", lambda p: p.experiment_name),
    ("tracking.uri", lambda p: p.specs[0].tracking.uri),
    ("execution", lambda p: p.specs[0].execution.model_dump(mode="json")),
]


def _padded(items: list, n: int) -> list:
    return list(items[:n]) + [{} for _ in range(n - len(items))]


def _where(plan: Plan, i: int) -> str:
    point = plan.points[i] if i < len(plan.points) else {}
    if not point:
        return plan.source
    shown = ", ".join(f"{k}={v}" for k, v in point.items())
    return f"{plan.source} [sweep {shown}]"


def _others(plans: Sequence[Plan], plan: Plan) -> list[str]:
    return [p.source for p in plans if p is not plan]
