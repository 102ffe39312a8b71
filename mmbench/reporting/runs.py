"""Read an experiment's runs back from MLflow into a pandas DataFrame."""

from __future__ import annotations

import pandas as pd
from mlflow.tracking import MlflowClient

from mmbench.errors import MmbenchError
from mmbench.registry import did_you_mean
from mmbench.tracking import schema


def runs_frame(client: MlflowClient, experiment: str) -> pd.DataFrame:
    """One row per finished run: ids, ``artifact_uri``, ``tags.*``, ``metrics.*``, ``params.*``."""
    exp = client.get_experiment_by_name(experiment)
    if exp is None:
        names = [e.name for e in client.search_experiments(max_results=1000)]
        raise MmbenchError(
            f"experiment '{experiment}' not found in the MLflow store"
            f"{did_you_mean(experiment, names)} (experiments: {', '.join(sorted(names)) or 'none'})"
        )
    runs = client.search_runs(
        [exp.experiment_id], "attributes.status = 'FINISHED'", max_results=50000
    )
    return _frame(runs)


def trials_frame(client: MlflowClient, experiment: str) -> pd.DataFrame:
    """One row per tuning trial run that ended (finished, pruned or failed), as ``runs_frame``
    gives a run plus its ``status``; empty when the experiment has none."""
    exp = client.get_experiment_by_name(experiment)
    if exp is None:
        return pd.DataFrame()
    where = f"tags.`{schema.STAGE}` = '{schema.STAGE_TRIAL}'"
    runs = client.search_runs([exp.experiment_id], where, max_results=50000)
    runs = [r for r in runs if r.info.status in ("FINISHED", "KILLED", "FAILED")]
    frame = _frame(runs)
    if not frame.empty:
        frame.insert(1, "status", [r.info.status for r in runs])
    return frame


def _frame(runs: list) -> pd.DataFrame:
    rows = []
    for r in runs:
        row = {
            "run_id": r.info.run_id,
            "run_name": r.info.run_name,
            "start_time": r.info.start_time,
            "artifact_uri": r.info.artifact_uri,
        }
        row.update({f"tags.{k}": v for k, v in r.data.tags.items()})
        row.update({f"metrics.{k}": v for k, v in r.data.metrics.items()})
        row.update({f"params.{k}": v for k, v in r.data.params.items()})
        rows.append(row)
    return pd.DataFrame(rows)
