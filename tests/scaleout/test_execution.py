"""Where points run (``execution``) is not part of a configuration; ``--workers auto``."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from mmbench.cli import cli
from mmbench.errors import MmbenchError
from mmbench.spec import load_plan, spec_hash
from mmbench.sweeps.workers import available_cores, resolve_workers
from tests.spec.helpers import BASE


def test_execution_settings_do_not_change_the_configuration(write):
    local = load_plan(write(BASE))
    ray = load_plan(
        write(BASE + "execution: {backend: ray, resources: {cpus: 2}, max_retries: 0}\n", "r.yaml")
    )
    assert ray.specs[0].execution.backend == "ray"
    assert ray.specs[0].execution.resources.cpus == 2
    assert spec_hash(ray.specs[0]) == spec_hash(local.specs[0])
    faster = load_plan(write(BASE), ["train.lr=0.5"])
    assert spec_hash(faster.specs[0]) != spec_hash(local.specs[0])


def test_unknown_backend_is_one_error_naming_the_key(write):
    with pytest.raises(MmbenchError) as err:
        load_plan(write(BASE + "execution: {backend: dask}\n"))
    text = str(err.value)
    assert "execution.backend" in text and "dask" in text and "ray" in text


def test_workers_auto_is_one_per_core_at_most_one_per_point():
    cores = available_cores()
    assert resolve_workers("auto", 1) == 1
    assert resolve_workers("auto", 100) == cores
    assert resolve_workers(3, 100) == 3
    with pytest.raises(MmbenchError, match="auto"):
        resolve_workers("many", 4)


def test_cli_refuses_a_bad_workers_value(write):
    result = CliRunner().invoke(cli, ["run", str(write(BASE)), "--workers", "many"])
    assert result.exit_code == 2 and "'many' is neither a number from 1 to 64 nor 'auto'" in (
        result.output
    )
