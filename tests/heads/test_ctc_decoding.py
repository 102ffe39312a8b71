"""CTC decoding on constructed log-probabilities, checked against exhaustive path enumeration."""

from __future__ import annotations

import itertools
import math
from collections import defaultdict

import numpy as np
import pytest
import torch

from mmbench.heads.ctc_decoding import (
    beam_decode,
    collapse,
    greedy_decode,
    prefix_beam_search,
)


def brute_force_labelling_probs(probs: np.ndarray) -> dict[tuple[int, ...], float]:
    """P(labelling) = sum over every frame path that collapses to it (the CTC definition)."""
    t, v = probs.shape
    out: dict[tuple[int, ...], float] = defaultdict(float)
    for path in itertools.product(range(v), repeat=t):
        out[tuple(collapse(list(path)))] += float(np.prod(probs[np.arange(t), path]))
    return out


def test_collapse_merges_repeats_then_drops_blanks():
    assert collapse([1, 1, 0, 1, 2, 2, 0, 0, 3]) == [1, 1, 2, 3]
    assert collapse([0, 0]) == [] and collapse([]) == []


def test_greedy_on_constructed_logits_respects_lengths():
    # frames: a a _ a b b | c (the last frame is padding for row 0)
    seq = [1, 1, 0, 1, 2, 2, 3]
    lp = torch.full((2, 7, 4), -10.0)
    for t, s in enumerate(seq):
        lp[0, t, s] = 0.0
        lp[1, t, [0, 3, 0, 3, 3, 0, 0][t]] = 0.0
    out = greedy_decode(lp.log_softmax(-1), torch.tensor([6, 7]))
    assert out == [[1, 1, 2], [3, 3]]


def test_prefix_beam_finds_the_labelling_greedy_misses():
    # Best path is "_ _" (0.6·0.6 = .36) but P("a") = .4·.4 + .4·.6 + .6·.4 = .64 > P("") = .36
    probs = np.array([[0.6, 0.4], [0.6, 0.4]])
    lp = np.log(probs)
    assert greedy_decode(torch.tensor(lp)[None], torch.tensor([2])) == [[]]
    assert prefix_beam_search(lp, beam=4) == [1]


@pytest.mark.parametrize("seed", range(6))
def test_prefix_beam_equals_exhaustive_search(seed):
    rng = np.random.default_rng(seed)
    t, v = int(rng.integers(2, 6)), int(rng.integers(2, 4))
    probs = rng.dirichlet(np.full(v, 0.7), size=t)
    exact = brute_force_labelling_probs(probs)
    best = max(exact, key=exact.get)
    got = tuple(prefix_beam_search(np.log(probs), beam=64))
    assert math.isclose(exact[got], exact[best], rel_tol=1e-9)
    assert abs(sum(exact.values()) - 1.0) < 1e-9  # the enumeration is complete


def test_beam_decode_batches_with_lengths_and_width_one_is_greedy_like():
    rng = np.random.default_rng(9)
    lp = torch.log(torch.tensor(rng.dirichlet(np.ones(4), size=(3, 8)), dtype=torch.float32))
    lengths = torch.tensor([8, 5, 1])
    wide = beam_decode(lp, lengths, beam=16)
    for i, n in enumerate(lengths.tolist()):
        assert wide[i] == prefix_beam_search(lp[i, :n].numpy(), beam=16)
    # the most probable labelling is at least as probable as greedy's labelling
    for i, n in enumerate(lengths.tolist()):
        exact = brute_force_labelling_probs(lp[i, : min(n, 5)].exp().double().numpy())
        g = tuple(greedy_decode(lp[i : i + 1, : min(n, 5)], torch.tensor([min(n, 5)]))[0])
        b = tuple(prefix_beam_search(lp[i, : min(n, 5)].numpy(), beam=64))
        assert exact[b] >= exact[g] - 1e-9
