"""Speed and agreement of mmbench's CIDEr-D and BLEU against pycocoevalcap 1.2, side by side.

Run: ``.venv/bin/python benchmarks/bench_cider.py [N_IMAGES] [--refs 5] [--repeat R]`` (needs
``java`` for the reference). The captions are seeded and COCO-like: ~8,000 Zipf-distributed
words, 4–20 words, capitals, final periods, commas, clitics, hyphens, brackets and numbers;
each prediction is an edited reference or a fresh caption.

Reference: ``PTBTokenizer`` (Java) on the references and on the predictions (two JVM calls, as
COCOEvalCap does), then ``Cider().compute_score``; ``Bleu(4)`` on the same tokens. Ours:
``cider_d(raw predictions, raw references)`` and ``bleu(...)``, tokenization included, timed

* **cold, first use**: the first call in a fresh process (a subprocess) with an empty
  compiled-rule cache, as on a machine that never ran the tokenizer: the lexer's rules get
  compiled, the chunk memo is empty, no memory has been touched yet;
* **cold**: the same with the rule cache on disk (``mmbench.metrics._ptb.rule_cache``), as in
  every later process on that machine;
* **fresh memo**: rules compiled, chunk memo emptied (a new corpus in a running process);
* **warm**: memo filled by an earlier call (e.g. evaluating again during training).

Cold times start after ``import mmbench.metrics`` (and numpy, pandas, scipy), whose time is
printed apart. Each timing is the best of R interleaved rounds (default 1). Prints the times, the
speed ratios and the largest absolute differences of per-image and corpus scores.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import random
import subprocess
import sys
import tempfile
import time
from itertools import accumulate

import numpy as np
import pandas  # noqa: F401  (imported up front: "cold" times first use, not library imports)
import scipy.sparse  # noqa: F401

SYLLABLES = [c + v for c in "bcdfgklmnprstvz" for v in ("a", "e", "i", "o", "u", "ai", "ou")]
BASE_NOUNS = "man woman person boy girl dog cat horse giraffe elephant train bus car plate pizza "
BASE_NOUNS += "table street kitchen bathroom surfboard frisbee skateboard t-shirt"
DETS = ["a", "a", "a", "the", "two", "an", "three", "some", "several", "A", "The", "Two"]
PREPS = "on in with of at near next to under behind by beside".split()
EXTRAS = ["man's", "it's", "(2)", "don't", "3", "10", "left-hand", "U.S.", "café", "well-known"]


class Captions:
    """Seeded COCO-like caption maker."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.noun = self._zipf(BASE_NOUNS.split() + self._words(5000, ""))
        self.adj = self._zipf(
            "white black red blue small large young old".split() + self._words(1500, "y")
        )
        self.verb = self._zipf(
            "sitting standing riding holding walking eating".split() + self._words(1200, "ing")
        )

    def _words(self, n: int, suffix: str) -> list[str]:
        out: set[str] = set()
        while len(out) < n:
            k = self.rng.randint(1, 3)
            out.add("".join(self.rng.choice(SYLLABLES) for _ in range(k)) + suffix)
        words = sorted(out)
        self.rng.shuffle(words)
        return words

    def _zipf(self, words: list[str]):
        cum = list(accumulate(1.0 / (i + 1) ** 1.1 for i in range(len(words))))
        return lambda: self.rng.choices(words, cum_weights=cum)[0]

    def phrase(self) -> str:
        rng = self.rng
        words = [rng.choice(DETS)] + ([self.adj()] if rng.random() < 0.45 else []) + [self.noun()]
        return " ".join(words)

    def caption(self) -> str:
        rng = self.rng
        parts = [self.phrase(), self.verb()] + ([self.phrase()] if rng.random() < 0.6 else [])
        for _ in range(rng.choice([0, 1, 1, 2])):
            parts += [rng.choice(PREPS), self.phrase()]
        if rng.random() < 0.15:
            parts.insert(rng.randint(1, len(parts)), rng.choice(EXTRAS))
        s = " ".join(parts)
        if rng.random() < 0.08:
            s = s.replace(" ", ", ", 1)
        s = s[0].upper() + s[1:] if rng.random() < 0.8 else s
        return s + rng.choice([".", ".", ".", "", " .", " "])

    def prediction(self, refs: list[str]) -> str:
        rng = self.rng
        if rng.random() < 0.3:
            return self.caption()
        words = rng.choice(refs).split()
        return " ".join(
            w if rng.random() < 0.85 else self.noun() for w in words if rng.random() < 0.9
        )


def corpus(n_images: int, n_refs: int, seed: int = 0) -> tuple[list[str], list[list[str]]]:
    maker = Captions(seed)
    refs = [[maker.caption() for _ in range(n_refs)] for _ in range(n_images)]
    return [maker.prediction(rs) for rs in refs], refs


def timed(fn):
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def reference(preds: list[str], refs: list[list[str]]):
    """pycocoevalcap as COCOEvalCap runs it: two PTBTokenizer calls, then the scorers."""
    from pycocoevalcap.bleu.bleu import Bleu
    from pycocoevalcap.cider.cider import Cider
    from pycocoevalcap.tokenizer.ptbtokenizer import PTBTokenizer

    t0 = time.perf_counter()
    tok = PTBTokenizer()
    gts = tok.tokenize({i: [{"caption": r} for r in rs] for i, rs in enumerate(refs)})
    res = tok.tokenize({i: [{"caption": p}] for i, p in enumerate(preds)})
    t1 = time.perf_counter()
    cider = Cider().compute_score(gts, res)
    t2 = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        bleu_ = Bleu(4).compute_score(gts, res)
    t3 = time.perf_counter()
    return {"ptb": t1 - t0, "cider": t2 - t1, "bleu": t3 - t2}, cider, bleu_


def cold_only(args: argparse.Namespace) -> None:
    """Subprocess: import, then time the first ``cider_d`` call; prints ``import_s first_s``."""
    preds, refs = corpus(args.n_images, args.refs)
    t = time.perf_counter()
    from mmbench.metrics import cider_d

    t_import = time.perf_counter() - t
    t_first, _ = timed(lambda: cider_d(preds, refs))
    print(f"{t_import:.6f} {t_first:.6f}")


def cold_runs(args: argparse.Namespace, cache: str) -> tuple[float, float]:
    """(import, first call) seconds of a fresh process whose rule cache is the folder ``cache``."""
    cmd = [sys.executable, __file__, str(args.n_images), "--refs", str(args.refs), "--cold-only"]
    env = {**os.environ, "MMBENCH_CACHE_DIR": cache, "MMBENCH_PTB_RULE_CACHE": "1"}
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True).stdout
    t_import, t_first = map(float, out.split()[-2:])
    return t_import, t_first


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("n_images", nargs="?", type=int, default=5000)
    ap.add_argument("--refs", type=int, default=5)
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--cold-only", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.cold_only:
        return cold_only(args)
    from mmbench.metrics import bleu, cider_d
    from mmbench.metrics._ptb.tokenizer import clear_cache

    preds, refs = corpus(args.n_images, args.refs)
    print(f"{args.n_images} images × {args.refs} refs; e.g. {refs[0][0]!r} / {preds[0]!r}")

    best: dict[str, float] = {}
    for _ in range(args.repeat):  # interleaved, so that a busy machine slows both sides alike
        with tempfile.TemporaryDirectory() as cache:
            now = dict(zip(("import", "first_use"), cold_runs(args, cache)))
            now["cold"] = cold_runs(args, cache)[1]  # the rule cache is on disk now
        clear_cache()
        now["fresh"] = timed(lambda: cider_d(preds, refs))[0]
        now["warm"], ours = timed(lambda: cider_d(preds, refs))
        now["bleu"], ours_bleu = timed(lambda: bleu(preds, refs))
        ref_times, (c_score, c_per), (b_score, b_per) = reference(preds, refs)
        now.update({f"ref_{k}": v for k, v in ref_times.items()})
        best = {k: min(v, best.get(k, v)) for k, v in now.items()}
    t_bleu = best["bleu"]
    times = {k: best[f"ref_{k}"] for k in ("ptb", "cider", "bleu")}

    ref_cider = times["ptb"] + times["cider"]
    print(
        f"pycocoevalcap: PTBTokenizer (Java, 2 calls) {times['ptb']:.3f} s + Cider "
        f"{times['cider']:.3f} s = {ref_cider:.3f} s; Bleu(4) {times['bleu']:.3f} s"
    )
    print(f"(import mmbench.metrics in a fresh process: {best['import']:.3f} s, not counted)")
    labels = {
        "first_use": "cold, 1st use",
        "cold": "cold",
        "fresh": "fresh memo",
        "warm": "warm",
    }
    for key, name in labels.items():
        secs = best[key]
        print(
            f"mmbench cider_d incl. tokenization, {name:13s} {secs:.3f} s  "
            f"→ {ref_cider / secs:5.1f}× faster"
        )
    print(
        f"mmbench bleu incl. tokenization (warm) {t_bleu:.3f} s → "
        f"{(times['ptb'] + times['bleu']) / t_bleu:.1f}× faster than PTB + Bleu(4), "
        f"{times['bleu'] / t_bleu:.1f}× faster than Bleu(4) alone"
    )
    per = np.abs(ours.per_example["cider"] - np.asarray(c_per)).max()
    print(
        f"CIDEr-D: corpus {ours['cider']:.12f} vs {c_score:.12f} (|Δ| = "
        f"{abs(ours['cider'] - c_score):.2e}); max |Δ| per image {per:.2e}"
    )
    for k in range(4):
        key = f"bleu{k + 1}"
        per = np.abs(ours_bleu.per_example[key] - np.asarray(b_per[k])).max()
        print(
            f"BLEU-{k + 1}: corpus {ours_bleu[key]:.12f} vs {b_score[k]:.12f} (|Δ| = "
            f"{abs(ours_bleu[key] - b_score[k]):.2e}); max |Δ| per image {per:.2e}"
        )


if __name__ == "__main__":
    main()
