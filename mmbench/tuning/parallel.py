"""Configurations tuned in parallel local processes, one study per worker at a time.

A study's trials stay sequential (TPE conditions each draw on the trials before it, and the
budget stays exact), so parallelism is across configurations: the same spawned workers and
signal handling as sweep points (:mod:`mmbench.sweeps.parallel`). ``on_trial`` is called in
the parent once a configuration's search has ended, for each trial it ran.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor

from mlflow.tracking import MlflowClient

from mmbench import interrupts
from mmbench.spec.schema import ExperimentSpec
from mmbench.sweeps.parallel import stop_workers
from mmbench.tuning.search import StudyOutcome, tune_one
from mmbench.tuning.storage import import_optuna, open_storage, storage_url


def search_in_worker(spec: dict, label: str, uri: str, experiment_id: str, threads: int,
            tags: dict[str, str] | None = None) -> StudyOutcome:  # fmt: skip
    """One configuration's search in this (worker) process, with its own store connections."""
    import torch

    torch.set_num_threads(threads)
    optuna = import_optuna()
    storage = open_storage(storage_url(uri))
    config = ExperimentSpec.model_validate(spec)
    with interrupts.point_running():  # a SIGTERM now ends the trial KILLED, then the worker
        return tune_one(
            optuna, storage, config, label, MlflowClient(uri), uri, experiment_id, tags=tags
        )


def tune_parallel(specs: list[ExperimentSpec], labels: list[str], uri: str, experiment_id: str,
                  workers: int, on_trial=None) -> list[StudyOutcome]:  # fmt: skip
    """Each configuration's search in ``workers`` spawned processes; in the plan's order."""
    ctx = multiprocessing.get_context("spawn")
    threads = max(1, (os.cpu_count() or 1) // workers)
    pool = ProcessPoolExecutor(workers, mp_context=ctx, initializer=interrupts.worker_init)
    try:
        futures = [
            pool.submit(
                search_in_worker, s.model_dump(mode="json"), label, uri, experiment_id, threads
            )
            for s, label in zip(specs, labels)
        ]
        out = []
        for fut in futures:
            study = fut.result()
            for result in study.ran if on_trial is not None else ():
                on_trial(study.label, result)
            out.append(study)
    except BaseException:
        stop_workers()
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
    return out
