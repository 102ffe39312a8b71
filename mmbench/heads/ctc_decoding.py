"""CTC decoding: greedy (best path) and prefix beam search (Hannun et al. 2014), blank = 0.

Both map per-frame log-probabilities to label sequences (lists of symbol ids, blank removed).
Greedy picks the best frame-wise path and collapses it (repeats merged, then blanks dropped); the
prefix beam search keeps the ``beam`` most probable *labellings*, summing the probabilities of
all paths that collapse to each, which can differ from the collapse of the best path.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import torch

NEG_INF = float("-inf")


def collapse(path: list[int], blank: int = 0) -> list[int]:
    """Merge repeated symbols, then drop blanks: [1, 1, 0, 1, 2, 2] → [1, 1, 2]."""
    out, prev = [], None
    for s in path:
        if s != prev and s != blank:
            out.append(s)
        prev = s
    return out


def greedy_decode(
    log_probs: torch.Tensor, lengths: torch.Tensor, blank: int = 0
) -> list[list[int]]:
    """Best-path decoding of (B, T, V) log-probs with valid lengths (B,) → B label lists."""
    best = log_probs.argmax(-1).tolist()  # (B, T)
    return [collapse(row[: int(n)], blank) for row, n in zip(best, lengths.tolist())]


def _lse(a: float, b: float) -> float:
    if a == NEG_INF:
        return b
    if b == NEG_INF:
        return a
    m = max(a, b)
    return m + float(np.log1p(np.exp(-abs(a - b))))


def prefix_beam_search(log_probs: np.ndarray, beam: int = 8, blank: int = 0) -> list[int]:
    """Most probable labelling of one utterance's (T, V) log-probs, keeping ``beam`` prefixes.

    For each prefix it tracks log P(prefix, path ends in blank) and log P(prefix, ends in a
    symbol); a repeated symbol extends the prefix only after a blank. With ``beam`` large
    enough it returns the exact most probable labelling.
    """
    lp = np.asarray(log_probs, dtype=np.float64)
    beams: dict[tuple[int, ...], tuple[float, float]] = {(): (0.0, NEG_INF)}
    for t in range(lp.shape[0]):
        row = lp[t]
        nxt: dict[tuple[int, ...], list[float]] = defaultdict(lambda: [NEG_INF, NEG_INF])
        for prefix, (pb, pnb) in beams.items():
            total = _lse(pb, pnb)
            entry = nxt[prefix]  # stay: blank, or repeat the last symbol without a blank
            entry[0] = _lse(entry[0], total + row[blank])
            if prefix:
                entry[1] = _lse(entry[1], pnb + row[prefix[-1]])
            for s in range(lp.shape[1]):
                if s == blank:
                    continue
                ext = nxt[prefix + (s,)]
                # after a symbol s, a new s needs a blank in between
                src = pb if prefix and prefix[-1] == s else total
                ext[1] = _lse(ext[1], src + row[s])
        ranked = sorted(nxt.items(), key=lambda kv: _lse(*kv[1]), reverse=True)[:beam]
        beams = {k: (v[0], v[1]) for k, v in ranked}
    return list(max(beams.items(), key=lambda kv: _lse(*kv[1]))[0])


def beam_decode(
    log_probs: torch.Tensor, lengths: torch.Tensor, beam: int = 8, blank: int = 0
) -> list[list[int]]:
    """Prefix beam search over a batch of (B, T, V) log-probs with valid lengths (B,)."""
    lp = log_probs.detach().float().cpu().numpy()
    return [
        prefix_beam_search(lp[i, : int(n)], beam, blank) for i, n in enumerate(lengths.tolist())
    ]
