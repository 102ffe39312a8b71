"""Claims: a configuration runs once, however many sweeps, workers or machines try at once.

MLflow has no atomic "create if absent", so a claim is the run itself. A point is claimed by
creating its run (RUNNING, tagged with the spec hash, its owner and a heartbeat) *before*
training, then reading every run of the experiment with that hash:

- a FINISHED, not superseded run means the point is done: the new run withdraws (a ``--force``
  run only yields to a finished run that started after it);
- among the live claims (RUNNING runs whose owner is alive, see :mod:`mmbench.sweeps.owner`)
  the earliest ``(start_time, run_id)`` wins; every other claimant withdraws. All claimants
  read the same runs, so they reach the same verdict; dead claims found on the way are marked
  KILLED.

The check runs twice (a second time after ``SETTLE_S``, so a claim whose insert was delayed is
seen) and again at every heartbeat during training: a claimant that finds it has lost stops
before logging results. A withdrawn run is ended KILLED, tagged why, and deleted, so it is
never counted.

A tuning's search claims its Optuna study the same way, through its ``stage=study`` run
(:func:`study_snapshots`): two tunings of one study never run trials side by side.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from dataclasses import dataclass

from mlflow.entities import RunStatus, ViewType
from mlflow.tracking import MlflowClient

from mmbench.files import remove_temp_files
from mmbench.sweeps import owner
from mmbench.tracking import schema
from mmbench.tracking.run_logger import local_artifact_dir

log = logging.getLogger(__name__)

SETTLE_S = 1.0
RUNNING = RunStatus.to_string(RunStatus.RUNNING)
FINISHED = RunStatus.to_string(RunStatus.FINISHED)


def settle_s() -> float:
    return float(os.environ.get("MMBENCH_CLAIM_SETTLE_S", SETTLE_S))


@dataclass(frozen=True)
class Snapshot:
    """What a claim decision needs to know about one run."""

    run_id: str
    status: str
    start_time: int
    tags: dict[str, str]

    @property
    def key(self) -> tuple[int, str]:
        return (self.start_time or 0, self.run_id)

    @property
    def forced(self) -> bool:
        return self.tags.get(schema.FORCED) == "1"

    @property
    def counted(self) -> bool:
        return self.status == FINISHED and not self.tags.get(schema.SUPERSEDED_BY)


def _search(client: MlflowClient, experiment_id: str, filter_string: str) -> list[Snapshot]:
    runs = client.search_runs(
        [experiment_id], filter_string, run_view_type=ViewType.ACTIVE_ONLY, max_results=50000
    )
    return [
        Snapshot(r.info.run_id, r.info.status, r.info.start_time or 0, dict(r.data.tags))
        for r in runs
    ]


def snapshots(client: MlflowClient, experiment_id: str, spec_hash: str) -> list[Snapshot]:
    return _search(client, experiment_id, f"tags.`{schema.SPEC_HASH}` = '{spec_hash}'")


def study_snapshots(client: MlflowClient, experiment_id: str, study: str) -> list[Snapshot]:
    """The searches of Optuna study ``study`` (its ``stage=study`` runs). A running search
    claims its study as a run claims its configuration; a finished one does not close the
    study (a raised budget reopens it)."""
    return _search(
        client,
        experiment_id,
        f"tags.`{schema.STUDY}` = '{study}' and tags.`{schema.STAGE}` = '{schema.STAGE_STUDY}'",
    )


def verdict(runs: list[Snapshot], me: str, now: float | None = None) -> tuple[bool, str, list]:
    """(won, why not, dead RUNNING runs) for claimant ``me`` among ``runs`` (``me`` included)."""
    mine = next((r for r in runs if r.run_id == me), None)
    if mine is None:
        return False, "its claim disappeared from the store", []
    if mine.status != RUNNING:
        return False, f"another sweep ended its claim ({mine.status})", []
    others = [r for r in runs if r.run_id != me]
    finished = [r for r in others if r.counted and (not mine.forced or r.key > mine.key)]
    if finished:
        return False, f"run {finished[0].run_id} already finished this configuration", []
    alive, dead = live_and_dead(others, now)
    live = [mine]
    for r in alive:
        # a claim that yields to a finished run will withdraw: it is no competitor
        yields = not r.forced and any(f.counted for f in others if f.run_id != r.run_id)
        if not yields:
            live.append(r)
    winner = min(live, key=lambda r: r.key)
    if winner.run_id != me:
        return False, f"run {winner.run_id} ({owner.describe(winner.tags)}) claimed it first", dead
    return True, "", dead


def live_and_dead(runs: list[Snapshot], now: float | None = None) -> tuple[list, list]:
    """The RUNNING claims among ``runs``, split into those whose owner is alive and those whose
    owner is gone. A RUNNING run of an mmbench before claims (no owner tags) is neither: it is no
    claim, and ``reap`` ends it."""
    claims = [r for r in runs if r.status == RUNNING and r.tags.get(schema.OWNER_PID)]
    dead = [r for r in claims if owner.is_dead(r.tags, r.start_time, now)]
    return [r for r in claims if r not in dead], dead


def end_dead(client: MlflowClient, dead: list[Snapshot]) -> None:
    """Mark each claim of ``dead`` KILLED, naming its owner."""
    for r in dead:
        mark_killed(client, r.run_id, f"its owner, {owner.describe(r.tags)}, is gone")


def mark_killed(client: MlflowClient, run_id: str, because: str) -> None:
    try:
        client.set_tag(run_id, schema.ENDED_BECAUSE, because)
        client.set_terminated(run_id, status="KILLED")
    except Exception as exc:  # e.g. deleted meanwhile by its owner
        log.debug("could not mark %s KILLED: %s", run_id, exc)


def check(client: MlflowClient, experiment_id: str, spec_hash: str, me: str,
          study: str = "") -> tuple[bool, str]:  # fmt: skip
    """One claim decision (on the configuration ``spec_hash``, or with ``study`` on that
    Optuna study's searches); dead claims met on the way are marked KILLED."""
    if study:  # only running searches compete (a finished one does not close the study)
        found = study_snapshots(client, experiment_id, study)
        runs = [r for r in found if r.status == RUNNING or r.run_id == me]
    else:
        runs = snapshots(client, experiment_id, spec_hash)
    won, why, dead = verdict(runs, me)
    end_dead(client, dead)
    return won, why


def claim(client: MlflowClient, experiment_id: str, spec_hash: str, me: str,
          study: str = "") -> tuple[bool, str]:  # fmt: skip
    """Decide whether run ``me`` may train (or, with ``study``, search that study); checked
    twice, ``settle_s()`` apart."""
    won, why = check(client, experiment_id, spec_hash, me, study)
    if won:
        time.sleep(settle_s())
        won, why = check(client, experiment_id, spec_hash, me, study)
    return won, why


def withdraw(client: MlflowClient, run_id: str, why: str) -> None:
    """End a losing claim so it is never counted: KILLED, tagged why, deleted."""
    mark_killed(client, run_id, f"withdrawn: {why}")
    try:
        client.delete_run(run_id)
    except Exception as exc:
        log.debug("could not delete withdrawn run %s: %s", run_id, exc)


def supersede(client: MlflowClient, experiment_id: str, spec_hash: str, me: str) -> list[str]:
    """After a forced run ``me`` finished: tag every earlier finished run of its hash."""
    mine = next((r for r in snapshots(client, experiment_id, spec_hash) if r.run_id == me), None)
    done = []
    for r in snapshots(client, experiment_id, spec_hash):
        if r.run_id != me and r.counted and (mine is None or r.key < mine.key):
            client.set_tag(r.run_id, schema.SUPERSEDED_BY, me)
            done.append(r.run_id)
    return done


def reap(client: MlflowClient, experiment_id: str, because: str = "") -> list[str]:
    """Mark KILLED every RUNNING run of the experiment whose owner is gone (and delete the
    temporary files its owner left in its artifact folder); return their ids. ``because``
    (e.g. the interrupt that stopped the sweep) starts the reason tagged on each."""
    runs = client.search_runs(
        [experiment_id],
        f"attributes.status = '{RUNNING}'",
        run_view_type=ViewType.ACTIVE_ONLY,
        max_results=50000,
    )
    killed = []
    for r in runs:
        tags = dict(r.data.tags)
        if owner.is_dead(tags, r.info.start_time):
            gone = f"its owner, {owner.describe(tags)}, is gone"
            mark_killed(client, r.info.run_id, f"{because}: {gone}" if because else gone)
            killed.append(r.info.run_id)
            folder = local_artifact_dir(r.info.artifact_uri)
            if folder is not None and tags.get(schema.OWNER_HOST) == owner.host():
                remove_temp_files(folder, tags.get(schema.OWNER_PID, "none"))
    return killed


class Heartbeat:
    """A thread that refreshes a run's heartbeat tag and (with ``spec_hash``) re-checks its
    claim every ``owner.heartbeat_every()`` seconds; ``lost`` is set when the claim is lost."""

    def __init__(self, uri: str, run_id: str, experiment_id: str = "", spec_hash: str = ""):
        self.uri, self.run_id = uri, run_id
        self.experiment_id, self.spec_hash = experiment_id, spec_hash
        self.lost = threading.Event()
        self.why = ""
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name="mmbench-heartbeat", daemon=True)

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(timeout=30)

    def _beat(self) -> None:
        client = MlflowClient(self.uri)
        while not self._stop.wait(owner.heartbeat_every()):
            try:
                client.set_tag(self.run_id, schema.HEARTBEAT, f"{time.time():.0f}")
                if self.spec_hash:
                    won, why = check(client, self.experiment_id, self.spec_hash, self.run_id)
                    if not won:
                        self.why = why
                        self.lost.set()
                        return
            except Exception as exc:  # a busy store: try again at the next beat
                log.debug("heartbeat of %s failed: %s", self.run_id, exc)
