"""Each configuration's search as one Ray task (``execution.backend: ray``).

The same executor as sweep points (:mod:`mmbench.sweeps.ray_backend`): a task asks for
``execution.resources``, runs the search that a local worker runs
(:func:`mmbench.tuning.parallel.search_in_worker`) against the MLflow store and the Optuna
storage beside it, and is retried by Ray up to ``execution.max_retries`` times when its worker
dies. Every run of a search (its study run and its trials) carries the task's
``mmbench.ray_task`` tag, so a retry first ends the RUNNING runs of the dead attempt KILLED,
and its study claim with them: the retry resumes the study from the trials that counted. A
search whose retries are spent gives its configuration no final runs, with the reason; the
others go on.
"""

from __future__ import annotations

import math
import os
import uuid

from mlflow.tracking import MlflowClient

from mmbench import interrupts
from mmbench.spec.schema import ExecutionSpec, ExperimentSpec
from mmbench.sweeps.ray_backend import FORWARDED_ENV, end_task_runs
from mmbench.tracking import schema
from mmbench.tuning.parallel import search_in_worker
from mmbench.tuning.search import StudyOutcome

RETRIED = "its Ray worker died; the task was retried"


def _ray_search(spec: dict, label: str, uri: str, experiment_id: str, threads: int,
                task: str) -> StudyOutcome:  # fmt: skip
    """The body of one Ray task (an attempt)."""
    import ray

    end_task_runs(MlflowClient(uri), experiment_id, task, RETRIED, "KILLED")
    node = ray.get_runtime_context().get_node_id()
    tags = {schema.RAY_TASK: task, schema.RAY_NODE: node}
    return search_in_worker(spec, label, uri, experiment_id, threads, tags)


def tune_on_ray(specs: list[ExperimentSpec], labels: list[str], uri: str, experiment_id: str,
                execution: ExecutionSpec, on_trial=None) -> list[StudyOutcome]:  # fmt: skip
    """Each configuration's search as a Ray task on the connected Ray; in the plan's order."""
    import ray

    cpus, gpus = execution.resources.cpus, execution.resources.gpus
    remote = ray.remote(num_cpus=cpus, num_gpus=gpus, max_retries=execution.max_retries)
    task = remote(_ray_search)
    env = {k: os.environ[k] for k in FORWARDED_ENV if k in os.environ}
    if env:
        task = task.options(runtime_env={"env_vars": env})
    threads = max(1, math.ceil(cpus))
    jobs = [(spec, label, uuid.uuid4().hex) for spec, label in zip(specs, labels)]
    refs = [
        task.remote(spec.model_dump(mode="json"), label, uri, experiment_id, threads, tag)
        for spec, label, tag in jobs
    ]
    out: list[StudyOutcome] = []
    try:
        for ref, (spec, label, tag) in zip(refs, jobs):
            while not ray.wait([ref], timeout=1.0)[0]:
                if interrupts.stopping():
                    raise KeyboardInterrupt
            try:
                study = ray.get(ref)
            except ray.exceptions.RayError as exc:  # the worker died on every attempt
                tries = execution.max_retries + 1
                first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
                why = f"Ray worker died ({tries} attempt{'s' * (tries > 1)}): {first}"
                end_task_runs(MlflowClient(uri), experiment_id, tag, why, "FAILED")
                study = StudyOutcome(label, "", spec.tune.trials, error=f"tune: {label}: {why}")
            for result in study.ran if on_trial is not None else ():
                on_trial(study.label, result)
            out.append(study)
    except KeyboardInterrupt:
        for ref in refs:
            ray.cancel(ref, force=True)
        client = MlflowClient(uri)
        for _, _, tag in jobs:
            end_task_runs(client, experiment_id, tag, "the tuning was interrupted", "KILLED")
        raise
    return out
