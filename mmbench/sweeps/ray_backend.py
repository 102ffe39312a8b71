"""Sweep points as Ray tasks (``execution.backend: ray`` or ``mmbench run --backend ray``).

Each point is one Ray task asking for ``execution.resources`` (``cpus`` also sets its torch
threads) and runs exactly what a local worker runs (:func:`mmbench.sweeps.point.run_point`): it
claims its configuration in the MLflow store, trains and logs from the worker, so a finished
configuration never runs twice, whichever machine or sweep got to it first. The driver has
initialised the store before any task starts (MLflow's schema migration races otherwise); its
MLflow settings (tracking URI, credentials) reach every task through Ray's ``runtime_env``.

A task whose worker process dies (killed, out of memory, node lost) is retried by Ray up to
``execution.max_retries`` times. Every attempt carries the same ``mmbench.ray_task`` tag; a
retry first ends the RUNNING runs of earlier attempts KILLED (their owner may be on another
node, where a process check cannot see it), and when the retries are spent the driver marks
the last attempt FAILED with the reason. The sweep goes on either way.

Without ``execution.address`` a local Ray instance is started on loopback (no dashboard, no
usage statistics; Ray's ``$RAY_TMPDIR`` chooses its temp folder) and shut down after the
sweep; ``auto`` or ``HOST:PORT`` joins a running cluster, where mmbench must be installed on
every node and ``$MLFLOW_TRACKING_URI`` (a server, see ``mmbench server``) reachable from each.
"""

from __future__ import annotations

import dataclasses
import logging
import math
import os
import uuid
from collections.abc import Callable

from mlflow.entities import RunStatus, ViewType
from mlflow.tracking import MlflowClient

from mmbench import interrupts
from mmbench.errors import MmbenchError
from mmbench.spec.schema import ExecutionSpec
from mmbench.sweeps.point import PointJob, run_point
from mmbench.tracking import schema
from mmbench.tracking.run_logger import RunLogger

log = logging.getLogger(__name__)

RUNNING = RunStatus.to_string(RunStatus.RUNNING)
# the driver's MLflow settings, passed to every task (workers on other nodes lack them)
FORWARDED_ENV = (
    "MLFLOW_TRACKING_URI",
    "MLFLOW_TRACKING_USERNAME",
    "MLFLOW_TRACKING_PASSWORD",
    "MLFLOW_TRACKING_TOKEN",
    "MLFLOW_TRACKING_INSECURE_TLS",
    "MLFLOW_TRACKING_SERVER_CERT_PATH",
    "MLFLOW_DISABLE_TELEMETRY",
)
Collect = Callable[[str, object, str], None]


def import_ray(local: bool = True):
    """Import Ray; for a local instance, first set its loopback environment (Ray reads it at
    import): no cluster networking (every socket on 127.0.0.1), no usage statistics."""
    if local:
        os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    try:
        import ray
    except ImportError:
        raise MmbenchError(
            "execution.backend: 'ray' needs Ray; install it with: pip install 'mmbench[ray]'"
        ) from None
    return ray


def connect(ray, execution: ExecutionSpec) -> bool:
    """Connect to (or start) Ray; True when this call started it (and must shut it down)."""
    if ray.is_initialized():
        return False
    kwargs = {"log_to_driver": False, "logging_level": logging.WARNING}
    if execution.address:
        kwargs["address"] = execution.address
    else:  # a local instance on loopback, no dashboard
        kwargs.update(include_dashboard=False, _node_ip_address="127.0.0.1")
    try:
        ray.init(**kwargs)
    except Exception as exc:  # no cluster at the address, bad address
        where = execution.address or "a local instance"
        problem = f"execution.address: cannot start or join Ray at {where}: {exc}"
        raise MmbenchError(problem) from None
    return True


def end_earlier_attempts(client: MlflowClient, job: PointJob, why: str, status: str) -> list[str]:
    """End every RUNNING run of this Ray task (all attempts share the tag); return their ids."""
    return end_task_runs(client, job.experiment_id, job.tags.get(schema.RAY_TASK, ""), why, status)


def end_task_runs(client: MlflowClient, experiment_id: str, task: str, why: str,
                  status: str) -> list[str]:  # fmt: skip
    """End every RUNNING run tagged with Ray task ``task``; return their ids."""
    if not task:
        return []
    runs = client.search_runs(
        [experiment_id],
        f"tags.`{schema.RAY_TASK}` = '{task}' and attributes.status = '{RUNNING}'",
        run_view_type=ViewType.ACTIVE_ONLY,
        max_results=1000,
    )
    for r in runs:
        client.set_tag(r.info.run_id, schema.ENDED_BECAUSE, why)
        client.set_terminated(r.info.run_id, status=status)
    return [r.info.run_id for r in runs]


def ray_point(job: PointJob):
    """The body of one Ray task (an attempt): clean up after dead attempts, then run."""
    import ray

    client = MlflowClient(job.uri)
    end_earlier_attempts(client, job, "its Ray worker died; the task was retried", "KILLED")
    node = ray.get_runtime_context().get_node_id()
    job = dataclasses.replace(job, tags={**job.tags, schema.RAY_NODE: node})
    return run_point(job)


def _record_lost(job: PointJob, reason: str) -> None:
    """The retries are spent: the last attempt's run (or a new one) ends FAILED with why."""
    client = MlflowClient(job.uri)
    if end_earlier_attempts(client, job, reason, "FAILED"):
        return
    logger = RunLogger.start(client, job.experiment_id, job.label, job.tags, job.parent_run_id)
    logger.set_tags({schema.ENDED_BECAUSE: reason})
    logger.log_text(reason, "error.txt")
    logger.end("FAILED")


def run_on_ray(todo: list[tuple[str, PointJob]], collect: Collect, execution: ExecutionSpec):
    """Run ``todo`` as Ray tasks; ``collect(label, outcome, error)`` in this process per point."""
    ray = import_ray(local=not execution.address)
    started = connect(ray, execution)
    cpus, gpus = execution.resources.cpus, execution.resources.gpus
    task = ray.remote(num_cpus=cpus, num_gpus=gpus, max_retries=execution.max_retries)(ray_point)
    env = {k: os.environ[k] for k in FORWARDED_ENV if k in os.environ}
    if env:
        task = task.options(runtime_env={"env_vars": env})
    threads = max(1, math.ceil(cpus))
    refs = {}
    try:
        for label, job in todo:
            tags = {**job.tags, schema.RAY_TASK: uuid.uuid4().hex}
            job = dataclasses.replace(job, tags=tags, threads=threads)
            refs[task.remote(job)] = (label, job)
        while refs:
            if interrupts.stopping():
                raise KeyboardInterrupt
            ready, _ = ray.wait(list(refs), num_returns=1, timeout=1.0)
            for ref in ready:
                label, job = refs.pop(ref)
                try:
                    outcome, error = ray.get(ref)
                except ray.exceptions.RayError as exc:  # worker died on every attempt
                    tries = execution.max_retries + 1
                    first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
                    error = f"Ray worker died ({tries} attempt{'s' * (tries > 1)}): {first}"
                    _record_lost(job, error)
                    outcome = None
                collect(label, outcome, error)
    except KeyboardInterrupt:
        for ref in refs:
            ray.cancel(ref, force=True)
        for _, job in refs.values():
            end_earlier_attempts(MlflowClient(job.uri), job, "the sweep was interrupted", "KILLED")
        raise
    finally:
        if started:
            ray.shutdown()
