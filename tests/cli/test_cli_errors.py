"""The CLI prints user errors without a traceback and exits 2."""

from __future__ import annotations

from click.testing import CliRunner

from mmbench.cli import cli
from tests.spec.helpers import BASE


def invoke(*args):
    return CliRunner().invoke(cli, list(args))


def test_validate_ok(write):
    result = invoke("validate", str(write(BASE)))
    assert result.exit_code == 0, result.output
    assert "OK (1 run" in result.output


def test_bad_spec_exits_2_without_traceback(write):
    path = write(BASE.replace("name: concat", "name: flim"))
    result = invoke("validate", str(path))
    assert result.exit_code == 2
    assert "error: " in result.output and "did you mean 'film'" in result.output
    assert "Traceback" not in result.output


def test_run_refuses_bad_spec_before_touching_the_store(write, mlflow_uri, tmp_path):
    path = write(BASE.replace("epochs: 1", "epochs: x"))
    result = invoke("run", str(path))
    assert result.exit_code == 2
    assert "train.epochs" in result.output
    assert not (tmp_path / "mlflow.db").exists()


def test_ls_lists_components():
    result = invoke("ls", "fusions")
    assert result.exit_code == 0
    assert "film" in result.output and "concat" in result.output
    assert invoke("ls", "nope").exit_code == 2


def test_report_on_unknown_experiment(mlflow_uri):
    result = invoke("report", "does_not_exist")
    assert result.exit_code == 2
    assert "experiment 'does_not_exist' not found" in result.output
