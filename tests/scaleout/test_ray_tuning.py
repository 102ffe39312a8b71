"""Tuning on the Ray backend: each configuration's search is a Ray task, a killed worker's
search is retried and resumes its study, and the budget holds (a local Ray on loopback)."""

from __future__ import annotations

from collections import Counter

import pytest

from mmbench.api import run
from mmbench.tracking import schema
from tests.scaleout import raykit
from tests.tuning.helpers import runs, write_spec

raykit.loopback_env()
ray = pytest.importorskip("ray")
optuna = pytest.importorskip("optuna")
pytestmark = [pytest.mark.e2e, pytest.mark.slow]

ON_RAY = "execution: {backend: ray, resources: {cpus: 1}, max_retries: 1}\n"


@pytest.fixture(scope="module", autouse=True)
def local_ray():
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield
    ray.shutdown()


def test_searches_run_as_ray_tasks_and_a_killed_one_resumes_its_study(tmp_path, mlflow_uri):
    spec = write_spec(tmp_path, trials=3, epochs=2)
    spec.write_text(spec.read_text() + ON_RAY)
    killer = raykit.Killer(mlflow_uri, patience=0.5, experiment="tuned", stage="trial")
    killer.start()
    out = run(spec)
    killer.done.set()
    assert killer.killed is not None, "no worker was killed: the test proved nothing"
    assert not out.failures and [s.error for s in out.tuning] == ["", ""]

    trials = runs(mlflow_uri, "trial")
    assert all(r.data.tags.get(schema.RAY_TASK) and r.data.tags.get(schema.RAY_NODE)
               for r in trials)  # fmt: skip
    dead = next(r for r in trials if r.info.run_id == killer.killed[0])
    assert dead.info.status == "KILLED" and "retried" in dead.data.tags[schema.ENDED_BECAUSE]
    done = [r for r in trials if r.info.status == "FINISHED"]
    assert Counter(r.data.tags["mmbench.label"] for r in done) == {
        "fusion=concat": 3,
        "fusion=sum": 3,
    }  # the killed trial was asked again, and no configuration got more than its budget
    searches = runs(mlflow_uri, "study")
    by_task = Counter(r.data.tags[schema.RAY_TASK] for r in searches)
    assert len(by_task) == 2  # one Ray task per configuration
    retried = [
        r for r in searches if r.data.tags[schema.RAY_TASK] == dead.data.tags[schema.RAY_TASK]
    ]
    assert sorted(r.info.status for r in retried) == ["FINISHED", "KILLED"]

    final = runs(mlflow_uri, "final", "FINISHED")
    per_point = Counter((r.data.tags["mmbench.label"], r.data.tags["mmbench.seed"]) for r in final)
    assert len(per_point) == 4 and set(per_point.values()) == {1}
    assert all(r.data.tags.get(schema.RAY_TASK) for r in final)  # the final runs on Ray too
