"""Speed and agreement of ``wer``/``cer`` against jiwer 4.0.0 on 20,000 sentence pairs.

Run: ``.venv/bin/python benchmarks/bench_wer.py [N]``.
"""

from __future__ import annotations

import random
import sys
import time

import jiwer

from mmbench.metrics.wer import cer, wer


def make_pairs(n: int, seed: int = 0) -> tuple[list[str], list[str]]:
    """LibriSpeech-like lengths (5–35 words), hypotheses with ~15 % word errors."""
    rng = random.Random(seed)
    syllables = ["ka", "to", "ri", "men", "sa", "lo", "the", "an", "is", "pre", "ing", "ed"]
    vocab = ["".join(rng.choices(syllables, k=rng.randint(1, 4))) for _ in range(4000)]
    refs, hyps = [], []
    for _ in range(n):
        ref = [rng.choice(vocab) for _ in range(rng.randint(5, 35))]
        hyp = []
        for w in ref:
            r = rng.random()
            if r < 0.05:
                continue  # deletion
            hyp.append(rng.choice(vocab) if r < 0.10 else w)
            if r > 0.95:
                hyp.append(rng.choice(vocab))  # insertion
        refs.append(" ".join(ref))
        hyps.append(" ".join(hyp))
    return hyps, refs


def best_of(fn, repeat: int = 3) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return min(times), out


def main(n: int = 20_000) -> None:
    hyps, refs = make_pairs(n)
    t_jw, jw = best_of(lambda: jiwer.process_words(refs, hyps))
    t_ours, ours = best_of(lambda: wer(hyps, refs))
    t_jc, jc = best_of(lambda: jiwer.cer(refs, hyps))
    t_oc, oc = best_of(lambda: cer(hyps, refs))
    print(f"pairs: {n} (best of 3)")
    print(f"WER  jiwer {t_jw:.3f} s  mmbench {t_ours:.3f} s  ratio {t_jw / t_ours:.2f}x")
    print(f"CER  jiwer {t_jc:.3f} s  mmbench {t_oc:.3f} s  ratio {t_jc / t_oc:.2f}x")
    print(
        f"WER {ours['wer']:.6f} vs {jw.wer:.6f} | MER {ours['mer']:.6f} vs {jw.mer:.6f} | "
        f"WIL {ours['wil']:.6f} vs {jw.wil:.6f} | CER {oc['cer']:.6f} vs {jc:.6f}"
    )
    diff = max(
        abs(ours["wer"] - jw.wer), abs(ours["mer"] - jw.mer), abs(ours["wil"] - jw.wil),
        abs(oc["cer"] - jc),
    )  # fmt: skip
    print(f"max abs difference: {diff:.3g}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20_000)
