"""Sequence decoder heads: shapes, masking, causality, and what greedy/beam search return."""

from __future__ import annotations

import itertools

import pytest
import torch

from mmbench.heads.decoding import beam_search, greedy_search, length_penalty_of
from mmbench.registry import HEADS

PAD, UNK, BOS, EOS = 0, 1, 2, 3
HEAD_NAMES = ["gru_decoder", "transformer_decoder"]


def make_head(name: str, vocab: int = 12, dim: int = 16, seed: int = 0, **kw):
    torch.manual_seed(seed)
    head = HEADS.get(name)(dim, vocab, **kw)
    # larger output weights: peaked distributions, so search choices matter
    with torch.no_grad():
        head.out.weight.mul_(8.0)
    return head.eval()


def memory(b: int = 4, t: int = 5, d: int = 16, seed: int = 0):
    g = torch.Generator().manual_seed(seed)
    mem = torch.randn(b, t, d, generator=g)
    mask = torch.ones(b, t, dtype=torch.bool)
    mask[1, 3:] = False
    return mem, mask


def teacher_logprob(head, mem, mask, tokens: torch.Tensor) -> torch.Tensor:
    """Sum of log p(token) over each row's tokens up to and including the first <eos>."""
    inp = torch.cat([torch.full((tokens.shape[0], 1), BOS), tokens[:, :-1]], 1)
    inp = inp.masked_fill(inp == PAD, UNK)  # positions after <eos> are not counted anyway
    logp = torch.log_softmax(head(mem, mask, inp).float(), -1)
    picked = logp.gather(2, tokens.clamp(min=0)[..., None]).squeeze(2)  # (B, L)
    ended = torch.cumsum((tokens == EOS).long(), 1)
    counted = (ended - (tokens == EOS).long()) == 0  # up to and including the first <eos>
    counted &= tokens != PAD
    return (picked * counted).sum(1)


@pytest.mark.parametrize("name", HEAD_NAMES)
def test_logits_shape_mask_and_causality(name):
    head = make_head(name)
    mem, mask = memory()
    inp = torch.randint(1, 12, (4, 7))
    logits = head(mem, mask, inp)
    assert logits.shape == (4, 7, 12)
    # masked memory positions do not matter
    mem2 = mem.clone()
    mem2[1, 3:] = 100.0
    assert torch.allclose(head(mem2, mask, inp), logits, atol=1e-5)
    assert not torch.allclose(head(mem2, torch.ones_like(mask), inp)[1], logits[1], atol=1e-3)
    # position t sees inputs up to t only
    inp2 = inp.clone()
    inp2[:, 4:] = (inp2[:, 4:] % 11) + 1
    assert torch.allclose(head(mem, mask, inp2)[:, :4], logits[:, :4], atol=1e-5)
    # a row with no valid memory position (all modalities missing) stays finite
    empty = mask.clone()
    empty[2] = False
    assert torch.isfinite(head(mem, empty, inp)).all()


@pytest.mark.parametrize("name", HEAD_NAMES)
def test_missing_targets_and_bad_options(name):
    head = make_head(name)
    mem, mask = memory()
    with pytest.raises(TypeError, match="teacher forcing"):
        head(mem, mask)
    with pytest.raises(ValueError, match="beam_size"):
        HEADS.get(name)(16, 12, beam_size=0)


@pytest.mark.parametrize("name", HEAD_NAMES)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_beam_one_is_greedy_and_wider_beams_are_never_worse(name, seed):
    head = make_head(name, seed=seed)
    mem, mask = memory(b=6, seed=seed)
    opts = {"bos": BOS, "eos": EOS, "pad": PAD, "max_len": 8, "banned": (PAD, BOS)}
    g = greedy_search(head, mem, mask, **opts)
    b1 = beam_search(head, mem, mask, beam_size=1, **opts)
    assert torch.equal(g.tokens, b1.tokens)
    assert torch.allclose(g.logprob, b1.logprob)
    # reported log-probabilities are the model's own (teacher forcing on the same tokens)
    assert torch.allclose(teacher_logprob(head, mem, mask, g.tokens), g.logprob, atol=1e-4)
    for k in (2, 3, 5):
        bk = beam_search(head, mem, mask, beam_size=k, **opts)
        assert (bk.logprob >= g.logprob - 1e-5).all()
        tf = teacher_logprob(head, mem, mask, bk.tokens)
        assert torch.allclose(tf, bk.logprob, atol=1e-4)
    assert (g.lengths >= 1).all() and (g.lengths <= 8).all()


@pytest.mark.parametrize("name", HEAD_NAMES)
def test_exhaustive_beam_finds_the_most_likely_sequence(name):
    """With a beam wider than the number of sequences, beam search is exact: compare with
    brute-force enumeration of every sequence over {<unk>, <eos>, a, b} up to length 3."""
    head = make_head(name, vocab=6, seed=3)
    mem, mask = memory(b=3, seed=3)
    words = [UNK, EOS, 4, 5]
    seqs = []
    for n in (1, 2, 3):
        for combo in itertools.product(words, repeat=n):
            if EOS in combo[:-1] or (n < 3 and combo[-1] != EOS):
                continue  # ends at <eos>, or is cut at max_len
            seqs.append(list(combo) + [PAD] * (3 - n))
    tokens = torch.tensor(seqs)  # (S, 3)
    best = []
    for i in range(3):
        lp = teacher_logprob(
            head,
            mem[i : i + 1].expand(len(seqs), -1, -1),
            mask[i : i + 1].expand(len(seqs), -1),
            tokens,
        )
        best.append(lp.max())
    opts = {"bos": BOS, "eos": EOS, "pad": PAD, "max_len": 3, "banned": (PAD, BOS)}
    res = beam_search(head, mem, mask, beam_size=64, **opts)
    assert torch.allclose(res.logprob, torch.stack(best), atol=1e-4)


def test_length_penalty_ranks_by_normalised_score():
    head = make_head("gru_decoder", seed=4)
    mem, mask = memory(b=5, seed=4)
    opts = {"bos": BOS, "eos": EOS, "pad": PAD, "max_len": 8, "banned": (PAD, BOS)}
    res = beam_search(head, mem, mask, beam_size=3, length_penalty=1.0, **opts)
    assert torch.allclose(res.score, res.logprob / length_penalty_of(res.lengths, 1.0))
    plain = beam_search(head, mem, mask, beam_size=3, length_penalty=0.0, **opts)
    assert (plain.logprob >= res.logprob - 1e-5).all() or (res.lengths >= plain.lengths).all()


@pytest.mark.parametrize("name", HEAD_NAMES)
def test_generate_uses_head_options(name):
    head = make_head(name, beam_size=3, max_len=5)
    mem, mask = memory()
    out = head.generate(mem, mask, bos=BOS, eos=EOS, pad=PAD)
    assert out.tokens.shape[0] == 4 and out.tokens.shape[1] <= 5
    assert not ((out.tokens == BOS).any())
    greedy = head.generate(mem, mask, bos=BOS, eos=EOS, pad=PAD, beam_size=1)
    assert (out.score >= greedy.score - 1e-5).all()
