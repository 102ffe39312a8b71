"""Tune every configuration of a plan, then run its best values on the final seeds.

For each configuration (each sweep point; ``train.seed`` is never swept with ``tune:``) the
study runs trials until ``tune.trials`` of them count (:mod:`mmbench.tuning.study`), one at a
time, each an MLflow child run of a ``stage=study`` parent; with ``workers`` > 1 the
configurations are searched in parallel processes (:mod:`mmbench.tuning.parallel`), and with
``execution.backend: ray`` as Ray tasks (:mod:`mmbench.tuning.ray_search`). Then the best
values of every configuration are run on each of ``tune.seeds`` as one ordinary sweep
(:func:`mmbench.sweeps.runner.run_plan`: claims, skip-what-finished, parallel workers), tagged
``stage=final`` with ``tuned.<key>`` params. A final run made with other best values (before
the budget was raised) is marked superseded, so a report counts only the current ones.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable

from mlflow.tracking import MlflowClient

from mmbench import interrupts
from mmbench.errors import MmbenchError
from mmbench.spec import Plan, spec_hash
from mmbench.spec.schema import ExperimentSpec
from mmbench.sweeps import claims
from mmbench.sweeps.runner import SweepOutcome, _experiment, point_label, run_plan
from mmbench.sweeps.workers import point_work, resolve_workers
from mmbench.tracking import schema
from mmbench.tracking.store import init_store, resolve_uri
from mmbench.tuning import space
from mmbench.tuning.parallel import tune_parallel
from mmbench.tuning.search import StudyOutcome, tune_one
from mmbench.tuning.storage import import_optuna, open_storage, storage_url
from mmbench.tuning.study import open_study, search_tags
from mmbench.tuning.trial import TrialResult

log = logging.getLogger(__name__)


def tune_plan(
    plan: Plan,
    progress_factory=None,
    force: bool = False,
    workers: int | str = 1,
    on_done: Callable | None = None,
    on_trial: Callable[[str, TrialResult], None] | None = None,
) -> SweepOutcome:
    """Tune each configuration of ``plan`` and run the final runs; the final runs' outcome,
    with each configuration's search in ``.tuning``. ``force`` re-runs the final runs (never
    trials: a finished trial is a result of its study)."""
    import_optuna()
    uri = resolve_uri(plan.specs[0].tracking.uri)
    client = init_store(uri)
    exp_id = _experiment(client, plan, uri)
    storage = open_storage(storage_url(uri))  # creates its tables before any worker starts
    claims.reap(client, exp_id)
    with contextlib.ExitStack() as stack:
        if plan.specs[0].execution.backend == "ray":  # one Ray for the searches and final runs
            stack.enter_context(_ray(plan.specs[0].execution))
        studies = search_all(plan, storage, client, uri, exp_id, workers, progress_factory,
                             on_trial)  # fmt: skip
        failed = [(s.label, s.error) for s in studies if s.error]
        if len(failed) == len(studies):
            raise MmbenchError([error for _, error in failed])
        final = final_plan(plan, studies)
        out = run_plan(final, progress_factory, force=force, workers=workers, on_done=on_done)
    for spec, tags in zip(final.specs, final.run_tags):
        supersede_stale(client, exp_id, tags[schema.STUDY], spec)
    out.tuning = studies
    out.failures += failed
    return out


def search_all(plan: Plan, storage, client: MlflowClient, uri: str, exp_id: str,
               workers: int | str, progress_factory=None,
               on_trial=None) -> list[StudyOutcome]:  # fmt: skip
    """Every configuration's search, on the plan's executor: one Ray task each (``ray``),
    parallel local processes (``workers`` > 1), or one after another here."""
    optuna = import_optuna()
    labels = [point_label(plan, i) for i in range(len(plan.specs))]
    execution = plan.specs[0].execution
    count = resolve_workers(workers, len(plan.specs), [point_work(s) for s in plan.specs])
    parallel = execution.backend == "ray" or (count > 1 and len(plan.specs) > 1)
    with interrupts.raise_on_signals():
        if parallel:
            for spec in plan.specs:
                open_study(optuna, storage, spec)  # created here, not raced by the workers
        if execution.backend == "ray":
            from mmbench.tuning.ray_search import tune_on_ray

            return tune_on_ray(plan.specs, labels, uri, exp_id, execution, on_trial)
        if parallel:
            return tune_parallel(plan.specs, labels, uri, exp_id, count, on_trial)
        return [
            tune_one(optuna, storage, spec, label, client, uri, exp_id, progress_factory, on_trial)
            for spec, label in zip(plan.specs, labels)
        ]


@contextlib.contextmanager
def _ray(execution):
    """Ray connected (or a local instance started) for the whole tuning."""
    from mmbench.sweeps.ray_backend import connect, import_ray

    ray = import_ray(local=not execution.address)
    started = connect(ray, execution)
    try:
        yield
    finally:
        if started:
            ray.shutdown()


def final_plan(plan: Plan, studies: list[StudyOutcome]) -> Plan:
    """Every configuration with its best values, once per ``tune.seeds``."""
    specs, points, tags, params = [], [], [], []
    for i, (spec, study) in enumerate(zip(plan.specs, studies)):
        if study.error:
            continue
        point = plan.points[i] if i < len(plan.points) else {}
        for seed in spec.tune.seeds:
            specs.append(space.final_spec(spec, study.best_values, seed))
            points.append({**point, "train.seed": seed})
            tags.append(
                {
                    schema.STAGE: schema.STAGE_FINAL,
                    schema.STUDY: study.study,
                    schema.TUNE_TRIALS: str(study.budget),
                    schema.TUNE_BEST_TRIAL: str(study.best_trial),
                    **search_tags(spec),
                }
            )
            params.append(space.tuned_params(study.best_values))
    keys = [*plan.sweep_keys, "train.seed"]
    return Plan(plan.source, specs, points, keys, run_tags=tags, run_params=params)


def supersede_stale(client: MlflowClient, exp_id: str, study: str, spec: ExperimentSpec) -> None:
    """Mark finished final runs of ``study`` on ``spec``'s seed made with other values."""
    digest = spec_hash(spec)
    current = claims.snapshots(client, exp_id, digest)
    newest = max((r for r in current if r.counted), key=lambda r: r.key, default=None)
    if newest is None:
        return
    runs = client.search_runs(
        [exp_id],
        f"tags.`{schema.STUDY}` = '{study}' and tags.`{schema.STAGE}` = '{schema.STAGE_FINAL}' "
        f"and tags.`{schema.SEED}` = '{spec.train.seed}' and attributes.status = 'FINISHED'",
        max_results=50000,
    )
    for r in runs:
        tags = r.data.tags
        if tags.get(schema.SPEC_HASH) != digest and not tags.get(schema.SUPERSEDED_BY):
            client.set_tag(r.info.run_id, schema.SUPERSEDED_BY, newest.run_id)
