"""Claim decisions on a real MLflow store: the earliest live claim wins, finished runs and
dead owners are recognised, --force supersedes, and the leaderboard counts one run."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from mlflow.tracking import MlflowClient

from mmbench.sweeps import claims, owner
from mmbench.tracking import schema
from mmbench.tracking.store import get_or_create_experiment, init_store


@pytest.fixture
def store(mlflow_uri):
    client = init_store(mlflow_uri)
    return client, get_or_create_experiment(client, "claims", mlflow_uri)


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def claimant(client: MlflowClient, exp: str, digest: str = "h1", start: int | None = None,
             pid: int | None = None, **tags: str) -> str:  # fmt: skip
    base = {schema.SPEC_HASH: digest, schema.KIND: "train", **owner.owner_tags()}
    if pid is not None:
        base[schema.OWNER_PID] = str(pid)
    base.update(tags)
    return client.create_run(exp, start_time=start, tags=base).info.run_id


def test_earliest_live_claim_wins_and_both_sides_agree(store):
    client, exp = store
    first = claimant(client, exp, start=1000)
    second = claimant(client, exp, start=2000)
    assert claims.check(client, exp, "h1", first) == (True, "")
    won, why = claims.check(client, exp, "h1", second)
    assert not won and first in why
    claims.withdraw(client, second, why)  # the loser leaves no counted trace
    assert client.get_run(second).info.lifecycle_stage == "deleted"
    assert client.get_run(second).info.status == "KILLED"


def test_equal_start_times_are_ordered_by_run_id(store):
    client, exp = store
    a, b = claimant(client, exp, start=5), claimant(client, exp, start=5)
    winners = [rid for rid in (a, b) if claims.check(client, exp, "h1", rid)[0]]
    assert winners == [min(a, b)]


def test_a_finished_run_means_done_unless_forced(store):
    client, exp = store
    done = claimant(client, exp, start=1000)
    client.set_terminated(done, "FINISHED")
    late = claimant(client, exp, start=2000)
    won, why = claims.check(client, exp, "h1", late)
    assert not won and "already finished" in why
    forced = claimant(client, exp, start=3000, **{schema.FORCED: "1"})
    assert claims.check(client, exp, "h1", forced)[0]
    # a plain claim that yields to the finished run does not block the forced one
    assert claims.verdict(claims.snapshots(client, exp, "h1"), forced)[0]
    client.set_terminated(forced, "FINISHED")
    assert claims.supersede(client, exp, "h1", forced) == [done]
    assert client.get_run(done).data.tags[schema.SUPERSEDED_BY] == forced


def test_a_claim_of_a_dead_process_is_marked_killed_and_loses(store):
    client, exp = store
    dead = claimant(client, exp, start=1000, pid=_dead_pid())
    alive = claimant(client, exp, start=2000)
    assert claims.check(client, exp, "h1", alive) == (True, "")
    run = client.get_run(dead)
    assert run.info.status == "KILLED"
    assert "is gone" in run.data.tags[schema.ENDED_BECAUSE]


def test_reap_marks_only_dead_owners(store):
    client, exp = store
    dead = claimant(client, exp, pid=_dead_pid())
    alive = claimant(client, exp)
    other_host_stale = claimant(
        client, exp, **{schema.OWNER_HOST: "elsewhere", schema.HEARTBEAT: "1"}
    )
    other_host_fresh = claimant(client, exp, **{schema.OWNER_HOST: "elsewhere"})
    assert sorted(claims.reap(client, exp)) == sorted([dead, other_host_stale])
    assert client.get_run(alive).info.status == "RUNNING"
    assert client.get_run(other_host_fresh).info.status == "RUNNING"


def test_a_reused_pid_is_not_mistaken_for_the_owner(store):
    client, exp = store
    reused = claimant(client, exp, pid=os.getpid(), **{schema.OWNER_START: "1"})
    assert claims.reap(client, exp) == [reused]


def test_heartbeat_refreshes_and_detects_a_lost_claim(store, mlflow_uri, monkeypatch):
    client, exp = store
    monkeypatch.setenv("MMBENCH_HEARTBEAT_S", "0.05")
    late = claimant(client, exp, start=2000, **{schema.HEARTBEAT: "5"})
    with claims.Heartbeat(mlflow_uri, late, exp, "h1") as beat:
        claimant(client, exp, start=1000)  # an earlier claim shows up (a delayed insert)
        assert beat.lost.wait(timeout=120)
    assert float(client.get_run(late).data.tags[schema.HEARTBEAT]) > 5


def test_running_runs_of_an_older_mmbench_block_nothing_and_are_reaped_when_old(store):
    client, exp = store
    recent = client.create_run(exp, tags={schema.SPEC_HASH: "h1"}).info.run_id
    ancient = client.create_run(exp, start_time=1, tags={schema.SPEC_HASH: "h2"}).info.run_id
    me = claimant(client, exp)
    assert claims.check(client, exp, "h1", me) == (True, "")
    assert claims.reap(client, exp) == [ancient]
    assert client.get_run(recent).info.status == "RUNNING"


def test_reap_after_an_interrupt_tags_the_interrupt_first(store):
    """A worker stopped by an interrupt before it could end its run (killed after the grace
    period, or hit while creating the run): the run is tagged with the interrupt, so it is
    not mistaken for a crash."""
    client, exp = store
    dead = claimant(client, exp, pid=_dead_pid())
    assert claims.reap(client, exp, because="interrupted by SIGINT") == [dead]
    why = client.get_run(dead).data.tags[schema.ENDED_BECAUSE]
    assert why.startswith("interrupted by SIGINT: its owner, process ")
