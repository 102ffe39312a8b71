"""Time of the report views (LaTeX, HTML, Pareto, curves, ablation) and of the whole report,
from the store and from its bundle (issue 15 goals: ≤ 10 s and ≤ 5 s on 2 cores).

An experiment of 200 finished runs (50 configurations: 10 fusions × 5 image encoders, 4 seeds),
each with 1,000 per-example test scores, costs and a 10-point validation curve, is logged to a
SQLite store; ``build_report`` is timed (from the store, writing the bundle too; then
``--from`` the bundle alone), then each view on the same in-memory objects.

Run: ``OMP_NUM_THREADS=1 nice -n 10 python benchmarks/bench_report_views.py [--store DIR]``
(the store is made once in DIR, default a temporary folder). Result of 2026-12-03 on the 2-core
machine with other jobs paused, 3 repetitions: the whole report from the store 7.3–9.5 s, from
its bundle 3.2–4.4 s (README, "Timings"); before the bundle's per-example frames, vectorised
score reading and fewer plot labels, 11.8–12.4 s and 5.3–7.3 s.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from mlflow.entities import Metric, Param, RunTag
from mlflow.tracking import MlflowClient

FUSIONS = [f"f{i}" for i in range(10)]
IMAGES = [f"e{i}" for i in range(5)]
SEEDS, N, NAME = 4, 1000, "bench_views"


def make_store(folder: Path) -> str:
    from mmbench.tracking.store import get_or_create_experiment

    uri = f"sqlite:///{folder / 'mlflow.db'}"
    client = MlflowClient(uri)
    if client.get_experiment_by_name(NAME) is not None:
        return uri
    exp_id = get_or_create_experiment(client, NAME, uri)
    rng = np.random.default_rng(0)
    for fi, fusion in enumerate(FUSIONS):
        for ei, image in enumerate(IMAGES):
            label = f"fusion={fusion}, image={image}"
            for seed in range(SEEDS):
                scores = (rng.random(N) < 0.4 + 0.01 * fi + 0.02 * ei).astype(float) * 100
                tags = {"mmbench.group": label, "mmbench.label": label, "mmbench.task": "vqa",
                        "mmbench.primary_metric": "vqa_acc"}  # fmt: skip
                rid = client.create_run(exp_id, run_name=label, tags=tags).info.run_id
                final = float(scores.mean())
                metrics = [Metric("test/vqa_acc", final, 0, 100)]
                for cost, value in (("params_total", 1e5 * (1 + ei)), ("train_seconds", 10 + fi),
                                    ("flops_per_example", 1e6 * (1 + ei + fi)),
                                    ("latency_ms_per_example", 1 + 0.1 * fi)):  # fmt: skip
                    metrics.append(Metric(f"cost/{cost}", value, 0, 100))
                metrics += [Metric("val/vqa_acc", final * s / 10, 0, 10 * s) for s in range(1, 11)]
                params = [Param("model.fusion.name", fusion), Param("train.seed", str(seed)),
                          Param("model.encoders.image.name", image),
                          Param("report.baseline", "fusion=f0, image=e0")]  # fmt: skip
                client.log_batch(rid, metrics=metrics, params=params, tags=[RunTag("s", "1")])
                csv = folder / "test_per_example.csv"
                frame = pd.DataFrame({"index": range(N), "vqa_acc": scores, "id": range(N)})
                frame.to_csv(csv, index=False)
                client.log_artifact(rid, str(csv), "scores")
                client.set_terminated(rid)
    return uri


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--store", type=Path, default=None)
    args = parser.parse_args()
    folder = args.store or Path(tempfile.mkdtemp(prefix="bench-views-"))
    folder.mkdir(parents=True, exist_ok=True)
    t = time.perf_counter()
    uri = make_store(folder)
    print(f"store ready in {time.perf_counter() - t:.1f} s")

    from mmbench.reporting import build_report
    from mmbench.reporting.ablation import write_ablation
    from mmbench.reporting.curves_plot import write_curves
    from mmbench.reporting.html_report import write_html
    from mmbench.reporting.latex import write_latex
    from mmbench.reporting.leaderboard import configurations
    from mmbench.reporting.pareto import write_pareto
    from mmbench.reporting.source import StoreSource

    out = folder / "reports"
    t = time.perf_counter()
    report = build_report(NAME, uri, out)
    rows = [("build_report from the store (everything, bundle included)", time.perf_counter() - t)]
    board, out_dir = report.board, report.path.parent
    t = time.perf_counter()
    build_report(None, None, folder / "again", bundle=out_dir)
    rows.append(("build_report --from the bundle (everything)", time.perf_counter() - t))
    origin = StoreSource(uri)
    configs = configurations(origin.runs(NAME))
    metric = board.metrics[0]
    steps = {
        "leaderboard.tex": lambda: write_latex(board, NAME, out_dir),
        "pareto.md + .png": lambda: write_pareto(configs, metric, True, out_dir),
        "curves: fetch histories": lambda: origin.curves(list(configs["run_id"]), ["val/vqa_acc"]),
        "ablation.md": lambda: write_ablation(board, configs, board.stats.against, out_dir),
        "report.html": lambda: write_html(
            board, NAME, out_dir, uri, "vqa", [(report.path.with_suffix(".png"), "x")]
        ),
    }
    curves = None
    for name, fn in steps.items():
        t = time.perf_counter()
        result = fn()
        rows.append((name, time.perf_counter() - t))
        if name.startswith("curves"):
            curves = result
    t = time.perf_counter()
    write_curves(curves, configs, "val/vqa_acc", out_dir, list(board.table["label"]))
    rows.append(("curves.png", time.perf_counter() - t))
    print("| step | seconds |\n| --- | --- |")
    for name, seconds in rows:
        print(f"| {name} | {seconds:.2f} |")


if __name__ == "__main__":
    main()
