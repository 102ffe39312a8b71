"""Speed and agreement of ``vqa_accuracy`` against the literal transcription of the rules.

Run: ``.venv/bin/python benchmarks/bench_vqa.py [N] [--repeat R]`` (default N = 20,000 questions
× 10 answers). The real ``vqaEval.py`` cannot be fetched at run time (no network), so the
reference is our own straightforward transcription in ``tests/metrics/vqa_reference_impl.py``.

"Cold": the normalisation caches are emptied first, so every distinct string is cleaned and
normalised once inside the timed call; "warm": a second call on the same data. Each timing is
the best of R interleaved rounds (default 1), so a busy machine slows both sides alike.
"""

from __future__ import annotations

import argparse
import importlib.util
import random
import time
from pathlib import Path

import numpy as np

from mmbench.metrics.vqa import vqa_accuracy
from mmbench.metrics.vqa_normalize import clear_caches


def _load_reference():
    path = Path(__file__).resolve().parents[1] / "tests" / "metrics" / "vqa_reference_impl.py"
    spec = importlib.util.spec_from_file_location("vqa_reference_impl", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def zipf_dataset(ref, n: int, seed: int = 0):
    """VQA-like repetition: answers drawn from a Zipf-distributed vocabulary of 3,000 strings."""
    rng = random.Random(seed)
    vocab = [ref.random_answer(rng) for _ in range(3000)]
    weights = [1.0 / (rank + 1) for rank in range(len(vocab))]
    preds, refs = [], []
    for _ in range(n):
        pool = rng.choices(vocab, weights, k=3)
        refs.append([rng.choice(pool) if rng.random() < 0.4 else pool[0] for _ in range(10)])
        preds.append(rng.choice(pool))
    return preds, refs, ["other"] * n, ["what is"] * n


def run(name: str, ref, preds, refs, atypes, qtypes, repeat: int) -> None:
    n = len(preds)
    t_ref = t_cold = t_warm = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        expected = ref.evaluate(preds, refs, atypes, qtypes)
        t_ref = min(t_ref, time.perf_counter() - t0)

        clear_caches()  # cold: no normalised strings cached yet
        t0 = time.perf_counter()
        ours = vqa_accuracy(preds, refs, answer_types=atypes, question_types=qtypes)
        t_cold = min(t_cold, time.perf_counter() - t0)

        t0 = time.perf_counter()
        vqa_accuracy(preds, refs, answer_types=atypes, question_types=qtypes)
        t_warm = min(t_warm, time.perf_counter() - t0)

    diff = np.abs(ours.per_example["vqa_acc"] - np.array(expected["per_question"])).max()
    unique = len(set(preds) | {a for answers in refs for a in answers})
    print(f"== {name}: {n} questions x 10 answers, {unique} distinct strings")
    print(f"reference transcription: {t_ref:.3f} s")
    print(f"mmbench vqa_accuracy:     {t_cold:.3f} s cold cache, {t_warm:.3f} s warm cache")
    print(f"speed-up: {t_ref / t_cold:.1f}x cold, {t_ref / t_warm:.1f}x warm")
    print(f"overall: ours {ours['vqa_acc']} reference {expected['overall']}")
    print(f"max |per-question difference|: {diff}")
    print(f"breakdown equal: {ours.breakdown['answer_type'] == expected['per_answer_type']}")


def main(n: int = 20_000, repeat: int = 1) -> None:
    ref = _load_reference()
    run("random tricky answers", ref, *ref.random_dataset(n, seed=0), repeat)
    run("Zipf vocabulary (VQA-like repetition)", ref, *zipf_dataset(ref, n), repeat)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", nargs="?", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    main(args.n, args.repeat)
