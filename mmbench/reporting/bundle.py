"""A report folder that stands alone: ``results.parquet``, ``runs.parquet``, ``manifest.json``.

Written beside every report from what the report read out of the MLflow store
(:class:`mmbench.reporting.source.StoreSource` remembers it), so that
``mmbench report --from reports/<exp>/`` regenerates every table and plot without the store:

- ``results.parquet``: one row per run and test example of every per-example score file the
  report read (``scores/<split>_per_example.csv``, and one per corruption level):
  ``run_id``, ``configuration``, ``seed``, ``artifact`` (which file), then the file's columns
  (``id``, ``group`` — the example's cluster —, one per metric, and for WER/CER the counts).
- ``runs.parquet``: one row per finished run of the experiment (``run_id``, ``tags.*``,
  ``metrics.*`` — final scores and costs —, ``params.*``), the learning curves the report read
  (``curve:<key>``: JSON ``[[step, value], …]``) and the other small files it read
  (``file:<name>``: per-group breakdowns, the reference run's prediction records).
- ``trials.parquet`` (tuned experiments only): one row per tuning trial run that ended, pruned
  and failed ones too (``run_id``, ``status``, ``tags.*``, ``metrics.*``, ``params.*``), for
  the report's tuning view (:mod:`mmbench.reporting.tuning`). Bundles written before it
  existed hold only the finished trials, in ``runs.parquet``.
- ``manifest.json``: the mmbench version and git commit that wrote it, package versions, the
  runs' git commits, metric fingerprints and task versions, where the runs were trained (CPU
  model, torch version and threads, CUDA device: ``mmbench.env.*`` tags), per configuration
  the dataset parameters and a SHA-256 of its test example ids, the resolved specs, and the
  store as the report names it.

No absolute path of the machine is kept: absolute paths in any text become relative to the
working directory, and tags naming the machine or user (``mlflow.user``,
``mmbench.owner.*``) are left out.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import platform
import re
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import pandas as pd

import mmbench
from mmbench.errors import MmbenchError
from mmbench.files import atomic_path, atomic_write_text
from mmbench.tracking import schema

FORMAT = 1
FILES = ("results.parquet", "runs.parquet", "manifest.json")
TRIALS = "trials.parquet"  # only in a tuned experiment's bundle (listed in its manifest)
PER_EXAMPLE = "_per_example.csv"
URI_PREFIX = "bundle:"  # a bundled run's artifact_uri: bundle:<run id>
RESULT_KEYS = ["run_id", "configuration", "seed", "artifact"]
DROPPED_TAGS = ("tags.mlflow.user", "tags.mmbench.owner.")
PACKAGES = ("torch", "mlflow", "numpy", "pandas", "scipy", "pyarrow", "matplotlib", "jiwer",
            "rouge-score", "pycocoevalcap", "transformers")  # fmt: skip
_ABS = re.compile(r"(?<![\w.~/-])(?:file://|sqlite:///)?(/(?:[\w.@+=-]+/)*[\w.@+=-]+)")


def portable(text: str, cwd: str | None = None) -> str:
    """``text`` with every absolute path (also as a ``file://`` or ``sqlite:///`` URI) made
    relative to ``cwd`` (default: the working directory)."""
    if "/" not in text:
        return text
    cwd = cwd or os.getcwd()
    return _ABS.sub(lambda m: os.path.relpath(m.group(1), cwd), text)


def _portable_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """``portable`` on every string cell (each distinct value once)."""
    frame = frame.copy()
    for col in frame.columns:
        if frame[col].dtype == object or pd.api.types.is_string_dtype(frame[col]):
            texts = {v for v in frame[col].dropna().unique() if isinstance(v, str) and "/" in v}
            changed = {v: p for v in texts if (p := portable(v)) != v}
            if changed:
                frame[col] = frame[col].replace(changed)
    return frame


def _read_csv(text: str) -> pd.DataFrame:
    frame = pd.read_csv(io.StringIO(text), dtype={"id": str, "group": str})
    for col in frame.columns:  # ints stay ints where other files lack the column
        if pd.api.types.is_integer_dtype(frame[col]):
            frame[col] = frame[col].astype("Int64")
    return frame


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return out


def _unique(frame: pd.DataFrame, column: str) -> list[str]:
    return sorted(set(frame[column].dropna().astype(str))) if column in frame else []


def _datasets(configs: pd.DataFrame, results: pd.DataFrame, artifact: str) -> dict:
    """Per configuration: its dataset params and a SHA-256 of its sorted test example ids."""
    out = {}
    for label, g in configs.groupby("_config", sort=False):
        params = {
            c[len("params.") :]: str(g[c].dropna().iloc[0])
            for c in g.columns
            if c.startswith("params.dataset.") and g[c].notna().any()
        }
        entry: dict[str, object] = {"params": {k: portable(v) for k, v in sorted(params.items())}}
        rows = results[(results["configuration"] == str(label)) & (results["artifact"] == artifact)]
        if len(rows) and "id" in rows:
            first = rows[rows["run_id"] == rows["run_id"].iloc[0]]
            ids = "\n".join(sorted(first["id"].astype(str)))
            entry["test_examples"] = int(len(first))
            entry["test_ids_sha256"] = hashlib.sha256(ids.encode()).hexdigest()
        out[str(label)] = entry
    return out


def write_bundle(
    out_dir: Path, experiment: str, source, configs: pd.DataFrame, options: dict, command: str
) -> list[Path]:
    """Write the bundle of the report just made from ``source`` (a ``StoreSource``) into
    ``out_dir``; ``configs``: the report's counted runs (``_config`` labels); ``options``: the
    report's ``against``, ``baseline`` and ``split`` as given, which ``--from`` reuses."""
    split = options["split"]
    from mmbench.reporting.seed_stats import artifact_name
    from mmbench.tracking.environment import git_commit

    runs = source.runs(experiment)
    runs = runs.drop(columns=[c for c in runs if c.startswith(DROPPED_TAGS)])
    label_of = dict(zip(configs["run_id"], configs["_config"].astype(str)))
    seed_col = f"tags.{schema.SEED}"
    seed_of = dict(zip(runs["run_id"], runs.get(seed_col, pd.Series(index=runs.index))))
    parts, others = [], {}
    for (run_id, name), text in sorted(source.files.items()):
        if name.endswith(PER_EXAMPLE):
            frame = _read_csv(text)
            clash = [c for c in RESULT_KEYS if c in frame]
            if clash:
                raise MmbenchError(f"{name} of run {run_id}: column {clash[0]} is reserved")
            keys = [run_id, label_of.get(run_id), seed_of.get(run_id), name]
            parts.append(frame.assign(**dict(zip(RESULT_KEYS, keys)))[RESULT_KEYS + list(frame)])
        else:
            others[(run_id, name)] = text
    results = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=RESULT_KEYS)
    results = _portable_frame(results)
    runs = runs.drop(columns=["artifact_uri"]).set_index("run_id", drop=False)
    for (run_id, name), text in others.items():
        runs.loc[run_id, f"file:{name}"] = portable(text)
    for curves in source.curve_frames:  # a curve read twice is kept once
        for (run_id, key), g in curves.groupby(["run_id", "key"], sort=False):
            pairs = [[int(s), float(v)] for s, v in zip(g["step"], g["value"])]
            runs.loc[run_id, f"curve:{key}"] = json.dumps(pairs)
    runs = _portable_frame(runs.reset_index(drop=True))
    trials = source.trials(experiment)
    trials = trials.drop(columns=[c for c in trials if c.startswith(DROPPED_TAGS)])
    trials = _portable_frame(trials.drop(columns=["artifact_uri"], errors="ignore"))
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    frames = [("results.parquet", results), ("runs.parquet", runs)]
    if len(trials):
        frames.append((TRIALS, trials))
    else:  # an untuned report leaves no trials of an earlier one in its folder
        (out_dir / TRIALS).unlink(missing_ok=True)
    for name, frame in frames:
        with atomic_path(out_dir / name) as tmp:
            frame.to_parquet(tmp, index=False)
        written.append(out_dir / name)
    specs = {
        label: portable(text)
        for (run_id, name), text in sorted(others.items())
        if name == "spec.yaml" and (label := label_of.get(run_id)) is not None
    }
    prefix = f"tags.{schema.METRIC_FINGERPRINT}"
    manifest = {
        "bundle_format": FORMAT,
        "experiment": experiment,
        "store": source.shown,
        "command": portable(command),
        "options": options,
        "written_by": {"mmbench": mmbench.__version__, "git_commit": git_commit()},
        "packages": _versions(),
        "runs": {
            "finished": int(len(runs)),
            "counted": int(len(configs)),
            **({"trials": int(len(trials))} if len(trials) else {}),
        },
        "runs_git_commits": _unique(configs, f"tags.{schema.GIT_COMMIT}"),
        "task_versions": _unique(configs, f"tags.{schema.TASK_VERSION}"),
        "trained_on": {
            "cpu": _unique(configs, f"tags.{schema.ENV_CPU}"),
            "torch": _unique(configs, f"tags.{schema.ENV_TORCH}"),
            "threads": _unique(configs, f"tags.{schema.ENV_THREADS}"),
            "libraries": _unique(configs, f"tags.{schema.ENV_PACKAGES}"),
            "cuda": _unique(configs, f"tags.{schema.ENV_CUDA}"),
        },
        "metric_fingerprints": {
            c[len(prefix) :]: _unique(configs, c) for c in sorted(configs) if c.startswith(prefix)
        },
        "datasets": _datasets(configs, results, artifact_name(split)),
        "specs": dict(sorted(specs.items())),
        "sha256": {p.name: _sha256(p) for p in written},
    }
    path = atomic_write_text(out_dir / "manifest.json", json.dumps(manifest, indent=1) + "\n")
    return [*written, path]


@dataclass
class Bundle:
    runs: pd.DataFrame  # as ``runs_frame`` gives it, artifact_uri = bundle:<run id>
    results: pd.DataFrame
    curves: dict[tuple[str, str], list]  # (run id, key) → [[step, value], …]
    manifest: dict
    _files: dict[tuple[str, str], str]
    trials: pd.DataFrame | None = None  # ``trials.parquet``; None in bundles without it
    _rows: dict | None = None  # (run id, artifact) → row positions in ``results``
    _present: pd.DataFrame | None = None  # (run id, artifact) → which columns the file had

    def file(self, artifact_uri: str, name: str) -> str | None:
        """The text of ``name`` of the run whose bundled ``artifact_uri`` is given."""
        if name.endswith(PER_EXAMPLE):
            frame = self.frame(artifact_uri, name)
            return None if frame is None else frame.to_csv(index=False)
        return self._files.get((artifact_uri.removeprefix(URI_PREFIX), name))

    def frame(self, artifact_uri: str, name: str) -> pd.DataFrame | None:
        """The per-example score file ``name`` of that run, as it was logged (its columns)."""
        if self._rows is None:  # one pass over results.parquet, then a lookup per run
            keys = [self.results["run_id"], self.results["artifact"]]
            values = self.results.drop(columns=RESULT_KEYS)
            self._rows = values.groupby(keys, sort=False).indices
            self._present = values.notna().groupby(keys, sort=False).any()
        key = (artifact_uri.removeprefix(URI_PREFIX), name)
        rows = self._rows.get(key)
        if rows is None:
            return None
        present = self._present.loc[key]
        return pd.DataFrame(
            {c: self.results[c].array.take(rows) for c in present.index[present.to_numpy()]}
        )


def _bad(folder: Path, what: str) -> MmbenchError:
    return MmbenchError(
        f"--from {folder}: {what}; a report bundle is the folder a report was written to "
        f"({', '.join(FILES)})"
    )


def read_bundle(folder: Path) -> Bundle:
    """Read and check a bundle (format, file hashes); clear errors name the file."""
    if not folder.is_dir():
        raise _bad(folder, "no such folder")
    missing = [n for n in FILES if not (folder / n).is_file()]
    if missing:
        raise _bad(folder, f"{', '.join(missing)} missing")
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise _bad(folder, f"manifest.json is not JSON ({exc})") from None
    if not isinstance(manifest, dict) or manifest.get("bundle_format") != FORMAT:
        found = manifest.get("bundle_format") if isinstance(manifest, dict) else type(manifest)
        raise _bad(folder, f"manifest.json: bundle_format {found!r}, this mmbench reads {FORMAT}")
    if not isinstance(manifest.get("experiment"), str):
        raise _bad(folder, "manifest.json names no experiment")
    hashed = manifest.get("sha256") or {}
    if TRIALS in hashed and not (folder / TRIALS).is_file():
        raise _bad(folder, f"{TRIALS} missing (manifest.json lists it)")
    for name, digest in hashed.items():
        if name in (*FILES, TRIALS) and _sha256(folder / name) != digest:
            raise _bad(folder, f"{name} does not match the SHA-256 in manifest.json (changed?)")
    try:
        runs = pd.read_parquet(folder / "runs.parquet")
        results = pd.read_parquet(folder / "results.parquet")
        trials = pd.read_parquet(folder / TRIALS) if TRIALS in hashed else None
    except (OSError, ValueError) as exc:
        raise _bad(folder, f"unreadable parquet ({exc})") from None
    if "run_id" not in runs or any(c not in results for c in RESULT_KEYS):
        raise _bad(folder, "runs.parquet or results.parquet lacks its key columns")
    files: dict[tuple[str, str], str] = {}
    curves: dict[tuple[str, str], list] = {}
    for col in [c for c in runs if c.startswith(("file:", "curve:"))]:
        for run_id, value in zip(runs["run_id"], runs[col]):
            if not isinstance(value, str):
                continue
            if col.startswith("file:"):
                files[(str(run_id), col[len("file:") :])] = value
            else:
                curves[(str(run_id), col[len("curve:") :])] = json.loads(value)
    runs = runs.drop(columns=[c for c in runs if c.startswith(("file:", "curve:"))])
    runs.insert(3 if len(runs.columns) >= 3 else 0, "artifact_uri", URI_PREFIX + runs["run_id"])
    if trials is not None:
        trials.insert(min(3, len(trials.columns)), "artifact_uri", URI_PREFIX + trials["run_id"])
    return Bundle(runs, results, curves, manifest, files, trials=trials)


def copy_bundle(folder: Path, out_dir: Path) -> Path:
    """Copy a bundle read ``--from`` one folder beside the report written to another."""
    out_dir.mkdir(parents=True, exist_ok=True)
    names = [*FILES, TRIALS] if (folder / TRIALS).is_file() else FILES
    if TRIALS not in names:
        (out_dir / TRIALS).unlink(missing_ok=True)
    for name in names:
        with atomic_path(out_dir / name) as tmp:
            tmp.write_bytes((folder / name).read_bytes())
    return out_dir / FILES[0]
