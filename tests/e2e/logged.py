"""Reading back what a run logged, for the end-to-end tests."""

from __future__ import annotations

import json

import pandas as pd
from mlflow.tracking import MlflowClient


def per_example_and_predictions(
    client: MlflowClient, run_id: str, folder
) -> tuple[pd.DataFrame, list[dict]]:
    """The run's ``scores/test_per_example.csv`` and ``predictions/test.jsonl`` rows."""
    scores = client.download_artifacts(run_id, "scores/test_per_example.csv", str(folder))
    preds = client.download_artifacts(run_id, "predictions/test.jsonl", str(folder))
    with open(preds, encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    return pd.read_csv(scores, dtype={"group": str, "id": str}), rows
