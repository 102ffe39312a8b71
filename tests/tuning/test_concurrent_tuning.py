"""Two tunings of one study at once: one searches, the other waits, and the budget holds."""

from __future__ import annotations

from collections import Counter

import pytest

from mmbench.sweeps import claims
from mmbench.tracking.store import init_store
from mmbench.tuning.storage import storage_url
from tests.sweeps.helpers import env, start
from tests.tuning.helpers import runs, write_spec

optuna = pytest.importorskip("optuna")

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def test_two_tunings_of_one_study_never_run_trials_side_by_side(tmp_path, mlflow_uri):
    spec = write_spec(tmp_path, trials=3, epochs=2)  # 2 fusions × 3 trials, then 2 seeds each
    args = ["run", str(spec), "--no-report"]
    procs = [start(args, tmp_path, env(mlflow_uri), tmp_path / f"{i}.log") for i in range(2)]
    for i, proc in enumerate(procs):
        assert proc.wait(timeout=1200) == 0, (tmp_path / f"{i}.log").read_text()[-3000:]

    trials = runs(mlflow_uri, "trial")
    assert Counter(r.data.tags["mmbench.label"] for r in trials) == {
        "fusion=concat": 3,
        "fusion=sum": 3,
    }  # the budget, not twice it
    numbers = Counter((r.data.tags["mmbench.label"], r.data.tags["mmbench.trial"]) for r in trials)
    assert set(numbers.values()) == {1}  # no trial run twice
    searches = runs(mlflow_uri, "study")
    assert sorted(r.info.status for r in searches) == ["FINISHED", "FINISHED"]  # losers deleted
    for name in {r.data.tags["mmbench.study"] for r in trials}:
        study = optuna.load_study(study_name=name, storage=storage_url(mlflow_uri))
        states = [t.state for t in study.get_trials()]
        assert states == [optuna.trial.TrialState.COMPLETE] * 3

    logs = "".join((tmp_path / f"{i}.log").read_text() for i in range(2))
    assert "waits:" in logs  # the later tuning said why it paused
    final = runs(mlflow_uri, "final", "FINISHED")
    per_point = Counter((r.data.tags["mmbench.label"], r.data.tags["mmbench.seed"]) for r in final)
    assert len(per_point) == 4 and set(per_point.values()) == {1}, per_point


def _search(client, exp: str, study: str, status: str = "RUNNING") -> str:
    from mmbench.sweeps import owner
    from mmbench.tracking import schema

    run = client.create_run(exp, tags={schema.STUDY: study, schema.STAGE: schema.STAGE_STUDY,
                                       **owner.owner_tags()})  # fmt: skip
    if status != "RUNNING":
        client.set_terminated(run.info.run_id, status=status)
    return run.info.run_id


def test_a_finished_search_does_not_close_its_study_but_a_running_one_holds_it(mlflow_uri):
    client = init_store(mlflow_uri)
    exp = client.create_experiment("studies")
    _search(client, exp, "s:1", "FINISHED")  # an earlier budget
    first = _search(client, exp, "s:1")
    other_study = _search(client, exp, "s:2")
    assert claims.check(client, exp, "", first, study="s:1") == (True, "")
    assert claims.check(client, exp, "", other_study, study="s:2") == (True, "")
    second = _search(client, exp, "s:1")
    won, why = claims.check(client, exp, "", second, study="s:1")
    assert not won and first in why
    client.set_terminated(first, status="FINISHED")
    assert claims.check(client, exp, "", second, study="s:1") == (True, "")
    client.set_terminated(second, status="KILLED")
    won, why = claims.check(client, exp, "", second, study="s:1")
    assert not won and "KILLED" in why
