"""Run artifacts and experiment folders stay inside the artifact root, written atomically."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from mmbench.cli import cli
from mmbench.errors import MmbenchError
from mmbench.tracking.run_logger import RunLogger
from mmbench.tracking.store import get_or_create_experiment, init_store

TRAVERSAL = ["../../../escaped", "/tmp/escaped_abs", "ok/../../../escaped"]


@pytest.mark.parametrize("name", TRAVERSAL)
def test_experiment_names_cannot_leave_the_artifact_root(mlflow_uri, tmp_path, name):
    client = init_store(mlflow_uri)
    with pytest.raises(MmbenchError, match="outside"):
        get_or_create_experiment(client, name, mlflow_uri)
    assert client.get_experiment_by_name(name) is None


def test_a_run_with_a_traversal_experiment_is_refused(mlflow_uri, tmp_path):
    from mmbench.api import run
    from tests.sweeps.helpers import write_spec

    spec = write_spec(tmp_path)
    with pytest.raises(MmbenchError, match="tracking.experiment") as info:
        run(spec, ["tracking.experiment=../../../escaped"])
    assert "Traceback" not in str(info.value)
    assert not list(tmp_path.parent.parent.glob("escaped*"))


def test_eval_log_with_a_traversal_name_exits_2(mlflow_uri, tmp_path):
    (tmp_path / "ref.txt").write_text("u1 hello world\n")
    (tmp_path / "hyp.txt").write_text("u1 hello word\n")
    args = ["eval", "asr", "--predictions", str(tmp_path / "hyp.txt"), "--references"]
    result = CliRunner().invoke(cli, [*args, str(tmp_path / "ref.txt"), "--log", "../../x"])
    assert result.exit_code == 2  # refused by the name check, or else by the writer's
    assert "outside" in result.output or "'..'" in result.output
    assert "Traceback" not in result.output


@pytest.fixture
def logger(mlflow_uri):
    client = init_store(mlflow_uri)
    exp = get_or_create_experiment(client, "safe", mlflow_uri)
    return RunLogger.start(client, exp, "r")


def test_checkpoints_are_written_in_place_never_half_and_never_in_system_temp(
    logger, tmp_path, monkeypatch
):
    system_temp = tmp_path / "system_temp"
    system_temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(system_temp))
    folder = Path(logger._local_dir) / "checkpoint"

    def interrupted(path: Path) -> None:
        path.write_bytes(b"half a checkpoint")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        logger.log_bytes_file(interrupted, "model.pt", "checkpoint")
    assert not folder.exists() or not list(folder.iterdir())  # neither the file nor a temp
    logger.log_bytes_file(lambda p: p.write_bytes(b"whole"), "model.pt", "checkpoint")
    assert (folder / "model.pt").read_bytes() == b"whole"
    assert [p.name for p in folder.iterdir()] == ["model.pt"]
    assert not list(system_temp.iterdir())
    names = {a.path for a in logger.client.list_artifacts(logger.run_id, "checkpoint")}
    assert names == {"checkpoint/model.pt"}  # MLflow sees it as a normal artifact


@pytest.mark.parametrize("name", ["../outside.txt", "/tmp/outside.txt", "a/../../outside.txt"])
def test_artifact_paths_cannot_leave_the_run_folder(logger, name):
    with pytest.raises(MmbenchError, match="outside"):
        logger.log_text("x", name)
