"""Feature cache on vs off: 6 fusions × 3 seeds on shapes VQA with frozen encoders.

Encoders: the question through frozen all-MiniLM-L6-v2 (``hf_text``, bundled weights) and the
image through a frozen CNN warm-started from one checkpoint file (``init: {path}``), so both
encoders' weights are the same at every sweep point and seed. Every run trains the fusion and
head and evaluates on test (``mmbench.engine.run.execute``, no MLflow), first with
``train.feature_cache: off`` for all 18 runs, then with ``auto`` against an empty cache. The
test scores are compared run by run. Run:
``nice -n 10 .venv/bin/python benchmarks/bench_feature_cache.py`` (needs ``mmbench[hf,minilm]``).

Measured on the 2-core machine, idle, 2026-12-07 (both sides in one run, ``nice -n 10``):

- ``--n-train 1000 --n-eval 200 --epochs 3``: off 598.4 s, auto 80.0 s, **7.5x**; 15 of 18
  runs identical, largest test/vqa_acc difference below 0.005 against a seed std of 2.41.
- ``--n-train 300 --n-eval 100 --epochs 2``: off 142.4 s, auto 29.1 s, 4.9x; 14 of 18 identical,
  largest difference below 0.005 (seed std 0.03: at this size the models barely learn).

The goal (>= 5x) holds at 1,000 questions and 3 epochs, and not at the smallest setting, where
each run's fixed cost (building the model and loading MiniLM; 29.1 s / 18 = 1.6 s per run with
the cache) is most of what is left. The ratio grows with the data and the epochs, because only
the cache-off side pays for the encoders in every epoch. An earlier measurement of the small
setting under load (2026-12-02, load ~16) read 15.5x (off 1738.8 s, auto 112.5 s): the load
inflated the encoder-heavy side most, so that figure overstated the idle-machine ratio.

Why (investigated 2026-12-02): the live all-MiniLM-L6-v2 features are not a function of the
example alone. ``hf_text`` pads each batch to its longest question, and the same question
padded to a different length comes out of the transformer different in the last bits (max
|diff| 2.1e-6 for one question alone vs beside a longer one: tokenize one
question alone and with a longer one, compare ``last_hidden_state``). Training batches are
shuffled, so without the cache a question's features change by ~1e-6 from epoch to epoch; the
cache computes each once. Training amplifies such differences (on 128 questions, 2 epochs:
concat, sum, low-rank tensor and cross-attention identical, FiLM and gated differing in the
7th digit of the loss). The frozen-CNN unit test
(tests/engine/test_feature_cache.py::test_cache_on_and_off_give_identical_runs) is identical
because a CNN's output does not depend on the batch. So bitwise identity with a padded text
encoder is not the right check: this script now prints how many runs agree exactly and the
largest score difference next to the spread over seeds; a cache bug would show as differences
of the size of the seed spread or larger, a rounding difference far below it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

import torch

FUSIONS = ["concat", "sum", "film", "gated", "low_rank_tensor", "cross_attention"]

SPEC = """
name: bench_feature_cache
task: vqa
dataset: {{name: shapes, kwargs: {{n_train: {n}, n_val: {nv}, n_test: {nv}, seed: 0}}}}
model:
  dim: 64
  encoders:
    image: {{name: cnn, frozen: true, init: {{path: {ckpt}}}}}
    text: {{name: hf_text, frozen: true}}
  fusion: {{name: concat}}
  head: {{name: classifier, kwargs: {{hidden: 64}}}}
train: {{epochs: {epochs}, batch_size: 64, lr: 0.002, seed: 0, device: cpu}}
"""


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n-train", type=int, default=1000)
    ap.add_argument("--n-eval", type=int, default=200, help="val and test questions each")
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--seeds", type=int, default=3)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-fc-"))
    os.environ["MMBENCH_FEATURE_CACHE_DIR"] = str(tmp / "features")
    from mmbench.build import build_dataset, build_model, build_task
    from mmbench.engine.run import execute
    from mmbench.spec import load_plan

    torch.set_num_threads(1)
    # the "pretrained" image CNN: one fixed checkpoint (any earlier run's encoder would do)
    spec_path = tmp / "spec.yaml"
    plain = SPEC.replace(", init: {{path: {ckpt}}}", "")
    spec_path.write_text(
        plain.format(n=args.n_train, nv=args.n_eval, epochs=args.epochs), encoding="utf-8"
    )
    spec = load_plan(spec_path).specs[0]
    task = build_task(spec)
    task.prepare(build_dataset(spec))
    torch.manual_seed(123)
    torch.save(build_model(spec, task).encoders["image"].state_dict(), tmp / "cnn.pt")
    spec_path.write_text(
        SPEC.format(n=args.n_train, nv=args.n_eval, epochs=args.epochs, ckpt=tmp / "cnn.pt"),
        encoding="utf-8",
    )
    points = [(f, s) for f in FUSIONS for s in range(args.seeds)]
    results, times = {}, {}
    for mode in ("off", "auto"):
        t0 = time.perf_counter()
        for fusion, seed in points:
            sets = [
                f"model.fusion.name={fusion}",
                f"train.seed={seed}",
                f"train.feature_cache={mode}",
            ]
            spec = load_plan(spec_path, sets).specs[0]
            results[mode, fusion, seed] = execute(spec).test
        times[mode] = time.perf_counter() - t0
        print(f"feature_cache={mode}: {len(points)} runs in {times[mode]:.1f} s", flush=True)
    same = sum(results["off", f, s] == results["auto", f, s] for f, s in points)
    first = results[("off", *points[0])]
    key = next(k for k in first if not k.endswith("loss"))
    diffs = [abs(results["off", f, s][key] - results["auto", f, s][key]) for f, s in points]
    spread = statistics.mean(
        statistics.stdev(results["off", f, s][key] for s in range(args.seeds)) for f in FUSIONS
    ) if args.seeds > 1 else float("nan")  # fmt: skip
    print(
        f"{key}: {same}/{len(points)} runs identical; largest |difference| {max(diffs):.2f}, "
        f"mean |difference| {statistics.mean(diffs):.2f}, mean std over seeds {spread:.2f}"
    )
    print(
        f"speed-up {times['off'] / times['auto']:.1f}x "
        f"(off {times['off']:.1f} s, auto {times['auto']:.1f} s, n_train {args.n_train}, "
        f"epochs {args.epochs})"
    )


if __name__ == "__main__":
    main()
