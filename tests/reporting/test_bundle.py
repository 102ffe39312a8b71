"""Report bundles: a report folder remakes itself without the store, keeps no absolute path,
and a broken or foreign bundle is refused with an error naming the file."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from mlflow.tracking import MlflowClient

from mmbench.cli import cli
from mmbench.errors import MmbenchError
from mmbench.reporting import build_report
from mmbench.reporting.bundle import FILES, portable
from tests.reporting.test_report_statistics import N, store
from tests.reporting.views_store import views_store

BUNDLE = set(FILES)


def same_files(a: Path, b: Path) -> list[str]:
    """Names of the files that differ between two report folders (or exist in one only)."""
    names = {p.name for p in a.iterdir()} | {p.name for p in b.iterdir()}
    return sorted(
        n for n in names if not (a / n).is_file() or not (b / n).is_file()
        or (a / n).read_bytes() != (b / n).read_bytes()
    )  # fmt: skip


def strings(frame: pd.DataFrame) -> list[str]:
    return [v for col in frame for v in frame[col] if isinstance(v, str)] + list(frame.columns)


@pytest.mark.parametrize("kind", ["breakdown", "views"])
def test_a_report_remade_from_its_bundle_alone_is_identical(kind, tmp_path):
    db = tmp_path / "store" / "mlflow.db"
    db.parent.mkdir()
    uri = f"sqlite:///{db}"
    if kind == "breakdown":  # per-group scores, prediction records, clusters, a spec baseline
        clusters = (pd.RangeIndex(N) // 4).astype(str).to_numpy()
        store(uri, tmp_path / "art", "exp", baseline="fusion=concat", clusters=clusters)
    else:  # costs, validation curves, an encoder × fusion grid
        views_store(uri, tmp_path / "art", name="exp")
    first = build_report("exp", uri, tmp_path / "a")
    folder = first.path.parent
    assert BUNDLE <= {p.name for p in folder.iterdir()}
    db.unlink()  # the store is gone: the bundle must be enough
    again = build_report(None, None, tmp_path / "b", bundle=folder)
    assert again.path == tmp_path / "b" / "exp" / "leaderboard.md"
    assert same_files(folder, again.path.parent) == []
    if kind == "breakdown":
        assert first.breakdown_path is not None and "▲" in first.breakdown_path.read_text()
    else:
        assert first.views["curves"] is not None and first.views["pareto"] is not None
    in_place = build_report(None, None, tmp_path / "a", bundle=folder)  # into its own folder
    assert in_place.path == first.path and same_files(folder, again.path.parent) == []


def test_results_hold_one_row_per_run_and_example_and_runs_their_metrics(mlflow_uri, tmp_path):
    store(mlflow_uri, tmp_path / "art", "exp", seeds=(0, 1))
    folder = build_report("exp", mlflow_uri, tmp_path / "r").path.parent
    results = pd.read_parquet(folder / "results.parquet")
    assert len(results) == 4 * N  # 2 configurations × 2 seeds × N examples
    assert {"run_id", "configuration", "seed", "artifact", "id", "vqa_acc"} <= set(results)
    assert set(results["configuration"]) == {"fusion=concat", "fusion=film"}
    assert results.groupby("run_id")["id"].nunique().eq(N).all()
    runs = pd.read_parquet(folder / "runs.parquet")
    assert len(runs) == 4 and "metrics.test/vqa_acc" in runs
    mean = results.groupby("run_id")["vqa_acc"].mean()
    assert runs.set_index("run_id")["metrics.test/vqa_acc"].sort_index().tolist() == (
        pytest.approx(mean.sort_index().tolist())
    )
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["experiment"] == "exp" and manifest["runs"] == {"finished": 4, "counted": 4}
    assert manifest["datasets"]["fusion=film"]["test_examples"] == N
    assert "pandas" in manifest["packages"] and manifest["written_by"]["mmbench"]


def test_the_bundle_keeps_no_absolute_path_of_the_machine(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    uri = f"sqlite:///{tmp_path / 'deep' / 'mlflow.db'}"
    (tmp_path / "deep").mkdir()
    client = store(uri, tmp_path / "art", "exp", seeds=(0, 1))
    secret = str(tmp_path / "data" / "images")
    for run in client.search_runs([client.get_experiment_by_name("exp").experiment_id]):
        client.set_tag(run.info.run_id, "mlflow.user", "someone")
        client.log_param(run.info.run_id, "dataset.kwargs.root", secret)
    folder = build_report("exp", uri, tmp_path / "r").path.parent
    texts = [(folder / "manifest.json").read_text()]
    for name in ("runs.parquet", "results.parquet"):
        texts += strings(pd.read_parquet(folder / name))
    assert not [t for t in texts if str(tmp_path) in t]
    runs = pd.read_parquet(folder / "runs.parquet")
    assert set(runs["params.dataset.kwargs.root"]) == {"data/images"}  # relative to the cwd
    assert "tags.mlflow.user" not in runs
    assert json.loads(texts[0])["store"] == "sqlite:///deep/mlflow.db"


def test_portable_rewrites_paths_and_uris_only():
    cwd = "/home/u/proj"
    assert portable("root: /home/u/data/x.wav", cwd) == "root: ../data/x.wav"
    assert portable("file:///home/u/proj/mlruns/1", cwd) == "mlruns/1"
    assert portable("sqlite:////home/u/proj/s.db", cwd) == "s.db"
    for text in ("test/vqa_acc", "scores/test_per_example.csv", "1/2", "and/or", "a /"):
        assert portable(text, cwd) == text


def test_broken_or_foreign_bundles_are_refused_naming_the_file(mlflow_uri, tmp_path):
    store(mlflow_uri, tmp_path / "art", "exp", seeds=(0, 1))
    folder = build_report("exp", mlflow_uri, tmp_path / "r").path.parent
    with pytest.raises(MmbenchError, match="no such folder"):
        build_report(None, None, tmp_path / "x", bundle=tmp_path / "nope")
    with pytest.raises(MmbenchError, match="holds experiment 'exp', not 'other'"):
        build_report("other", None, tmp_path / "x", bundle=folder)
    runs = pd.read_parquet(folder / "runs.parquet")
    runs.loc[0, "metrics.test/vqa_acc"] = 99.0  # an edited number
    runs.to_parquet(folder / "runs.parquet", index=False)
    with pytest.raises(MmbenchError, match=r"runs.parquet does not match the SHA-256"):
        build_report(None, None, tmp_path / "x", bundle=folder)
    manifest = json.loads((folder / "manifest.json").read_text())
    (folder / "manifest.json").write_text(json.dumps({**manifest, "bundle_format": 9}))
    with pytest.raises(MmbenchError, match="bundle_format 9, this mmbench reads 1"):
        build_report(None, None, tmp_path / "x", bundle=folder)
    (folder / "results.parquet").unlink()
    result = CliRunner().invoke(cli, ["report", "--from", str(folder), "--out", str(tmp_path)])
    assert result.exit_code == 2 and "results.parquet missing" in result.output
    assert "Traceback" not in result.output
    result = CliRunner().invoke(cli, ["report"])
    assert result.exit_code == 2 and "--from" in result.output


def test_cli_remakes_a_report_and_a_summary_from_bundles(tmp_path):
    uri = f"sqlite:///{tmp_path / 'mlflow.db'}"
    for name in ("one", "two"):
        views_store(uri, tmp_path / "art" / name, name=name)
        build_report(name, uri, tmp_path / "reports")
    runner = CliRunner()
    out = tmp_path / "again"
    result = runner.invoke(cli, ["report", "--from", str(tmp_path / "reports" / "one"),
                                 "--out", str(out)])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert same_files(tmp_path / "reports" / "one", out / "one") == []
    args = ["report", "--from", str(tmp_path / "reports" / "one"), "--from",
            str(tmp_path / "reports" / "two"), "--summary", "both", "--out", str(out)]  # fmt: skip
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "Friedman" in (out / "both" / "summary.md").read_text()
    assert MlflowClient(uri).get_experiment_by_name("one") is not None  # the store untouched
