"""--force supersedes instead of adding a seed; a sweep that repeats a value is refused."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from mlflow.tracking import MlflowClient

from mmbench.api import run, validate
from mmbench.cli import cli
from mmbench.errors import MmbenchError
from mmbench.reporting import make_report
from tests.sweeps.helpers import train_runs, write_spec


def test_force_supersedes_the_earlier_run(tmp_path, mlflow_uri):
    spec = write_spec(tmp_path)
    overrides = ["sweep.model.fusion.name=[concat]", "sweep.train.seed=[0]"]
    first = run(spec, overrides)
    again = run(spec, overrides)
    assert len(first.outcomes) == 1 and again.skipped == 1 and not again.outcomes
    forced = run(spec, overrides, force=True)
    assert len(forced.outcomes) == 1
    finished = train_runs(mlflow_uri, "FINISHED")
    assert len(finished) == 2
    old = MlflowClient(mlflow_uri).get_run(first.outcomes[0].run_id)
    assert old.data.tags["mmbench.superseded_by"] == forced.outcomes[0].run_id
    board, _ = make_report("claims", out_root=tmp_path / "reports")
    assert board.table["n"].tolist() == [1]  # one counted run, not two seeds


@pytest.mark.parametrize(
    ("sweep", "key"),
    [("sweep.train.seed=[0, 0]", "sweep.train.seed"), ("sweep.train.lr=[0.5, 0.5]", "train.lr")],
)
def test_repeated_sweep_values_are_refused_naming_the_key(tmp_path, sweep, key):
    spec = write_spec(tmp_path)
    with pytest.raises(MmbenchError, match=key) as info:
        validate(spec, [sweep])
    assert "more than once" in str(info.value)


def test_two_spellings_of_one_configuration_are_refused(tmp_path):
    spec = write_spec(tmp_path)
    with pytest.raises(MmbenchError, match="are the same configuration"):
        validate(spec, ["sweep.model.encoders.image=[{name: mlp}, {name: mlp, frozen: false}]"])


def test_cli_refuses_repeated_seeds_with_exit_2(tmp_path, mlflow_uri):
    spec = write_spec(tmp_path, seeds="[0, 0]")
    result = CliRunner().invoke(cli, ["run", str(spec)])
    assert result.exit_code == 2
    assert "sweep.train.seed: 0 listed more than once" in result.output
    assert "Traceback" not in result.output
