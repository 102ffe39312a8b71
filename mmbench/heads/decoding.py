"""Batched greedy and beam search over any step-wise decoder.

A decoder is anything with two methods (the sequence heads implement them)::

    start(memory (B, T, D), mask (B, T)) -> state     # dict of tensors, each with first dim B
    step(tokens (B,), state) -> (log_probs (B, V), state)

``log_probs`` are the model's log-softmax over the whole vocabulary; tokens listed in ``banned``
(``<pad>``, ``<bos>``) are never emitted, but the scores are not renormalised, so a hypothesis'
``logprob`` is exactly what teacher forcing gives the same sequence. A hypothesis ends at
``<eos>`` (counted in its length) or after ``max_len`` tokens.

Beam search ranks finished hypotheses by ``logprob / lp(length)`` with the GNMT length penalty
``lp(n) = ((5 + n) / 6) ** length_penalty`` (Wu et al. 2016); ``length_penalty = 0`` ranks by
log-probability. Beam search is not monotone in the beam size in general (a wider beam can
prune the path a narrower one kept), so for ``beam_size > 1`` the greedy hypothesis is scored
too and kept where it is better: a beam never returns a worse score than greedy decoding.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import torch

State = dict[str, torch.Tensor]


class StepDecoder(Protocol):
    def start(self, memory: torch.Tensor, mask: torch.Tensor) -> State: ...

    def step(self, tokens: torch.Tensor, state: State) -> tuple[torch.Tensor, State]: ...


@dataclass
class Hypotheses:
    """One decoded sequence per example.

    ``tokens`` (B, L) long, without ``<bos>``, padded with ``pad`` after ``<eos>``; ``logprob``
    (B,) sum of token log-probabilities (``<eos>`` included); ``lengths`` (B,) tokens counted
    (``<eos>`` included); ``score`` (B,) the ranking score ``logprob / lp(length)``.
    """

    tokens: torch.Tensor
    logprob: torch.Tensor
    lengths: torch.Tensor
    score: torch.Tensor


def length_penalty_of(lengths: torch.Tensor, alpha: float) -> torch.Tensor:
    """GNMT length penalty ``((5 + n) / 6) ** alpha`` of lengths (…) → float (…)."""
    return ((5.0 + lengths.float()) / 6.0) ** alpha


def reorder(state: State, index: torch.Tensor) -> State:
    """Rows ``index`` of every tensor of a decoder state (beam expansion and selection)."""
    return {k: v.index_select(0, index) for k, v in state.items()}


def _ban(logp: torch.Tensor, banned: Sequence[int]) -> torch.Tensor:
    if banned:
        logp = logp.clone()
        logp[:, list(banned)] = float("-inf")
    return logp


@torch.no_grad()
def greedy_search(
    decoder: StepDecoder,
    memory: torch.Tensor,
    mask: torch.Tensor,
    *,
    bos: int,
    eos: int,
    pad: int,
    max_len: int,
    length_penalty: float = 0.0,
    banned: Sequence[int] = (),
) -> Hypotheses:
    """The most likely next token at every step, for a batch memory (B, T, D), mask (B, T)."""
    b = memory.shape[0]
    state = decoder.start(memory, mask)
    prev = torch.full((b,), bos, dtype=torch.long, device=memory.device)
    done = torch.zeros(b, dtype=torch.bool, device=memory.device)
    logprob = torch.zeros(b, device=memory.device)
    lengths = torch.zeros(b, dtype=torch.long, device=memory.device)
    out = []
    for _ in range(max_len):
        logp, state = decoder.step(prev, state)
        logp = _ban(logp.float(), banned)  # (B, V)
        nxt = logp.argmax(dim=-1)
        gained = logp.gather(1, nxt[:, None]).squeeze(1)
        nxt = torch.where(done, torch.full_like(nxt, pad), nxt)
        logprob = logprob + torch.where(done, torch.zeros_like(gained), gained)
        lengths = lengths + (~done).long()
        done = done | (nxt == eos)
        out.append(nxt)
        prev = nxt
        if bool(done.all()):
            break
    tokens = torch.stack(out, 1) if out else prev.new_zeros(b, 0)
    return Hypotheses(
        tokens, logprob, lengths, logprob / length_penalty_of(lengths, length_penalty)
    )


@torch.no_grad()
def beam_search(
    decoder: StepDecoder,
    memory: torch.Tensor,
    mask: torch.Tensor,
    *,
    bos: int,
    eos: int,
    pad: int,
    max_len: int,
    beam_size: int,
    length_penalty: float = 0.0,
    banned: Sequence[int] = (),
) -> Hypotheses:
    """Batched beam search: ``beam_size`` hypotheses per example, all examples at once.

    Every step expands each live hypothesis by every token, keeps the ``beam_size`` best
    cumulative log-probabilities per example; a finished hypothesis stays in the beam (extended
    by ``pad`` at no cost) until better ones push it out. The best finished one by score wins.
    """
    b, k = memory.shape[0], beam_size
    dev = memory.device
    state = reorder(decoder.start(memory, mask), torch.arange(b, device=dev).repeat_interleave(k))
    prev = torch.full((b * k,), bos, dtype=torch.long, device=dev)
    cum = torch.zeros(b, k, device=dev)
    cum[:, 1:] = float("-inf")  # the k copies start identical: expand only the first
    done = torch.zeros(b, k, dtype=torch.bool, device=dev)
    lengths = torch.zeros(b, k, dtype=torch.long, device=dev)
    seqs = torch.zeros(b, k, 0, dtype=torch.long, device=dev)
    offsets = (torch.arange(b, device=dev) * k)[:, None]  # (B, 1)
    for _ in range(max_len):
        logp, state = decoder.step(prev, state)
        logp = _ban(logp.float(), banned)
        v = logp.shape[-1]
        logp = logp.view(b, k, v)
        finished_row = torch.full((v,), float("-inf"), device=dev)
        finished_row[pad] = 0.0
        logp = torch.where(done[..., None], finished_row, logp)
        top, idx = (cum[..., None] + logp).view(b, k * v).topk(k, dim=1)  # (B, k)
        src, tok = idx // v, idx % v
        cum = top
        done, lengths = done.gather(1, src), lengths.gather(1, src)
        seqs = seqs.gather(1, src[..., None].expand(-1, -1, seqs.shape[2]))
        lengths = lengths + (~done).long()
        done = done | (tok == eos)
        seqs = torch.cat([seqs, tok[..., None]], 2)
        state = reorder(state, (src + offsets).view(-1))
        prev = tok.view(-1)
        if bool(done.all()):
            break
    score = cum / length_penalty_of(lengths, length_penalty)  # (B, k)
    best = score.argmax(dim=1)  # (B,)
    rows = torch.arange(b, device=dev)
    result = Hypotheses(seqs[rows, best], cum[rows, best], lengths[rows, best], score[rows, best])
    if k > 1:
        g = greedy_search(
            decoder,
            memory,
            mask,
            bos=bos,
            eos=eos,
            pad=pad,
            max_len=max_len,
            length_penalty=length_penalty,
            banned=banned,
        )
        result = _better(result, g, pad)
    return result


def _better(a: Hypotheses, b: Hypotheses, pad: int) -> Hypotheses:
    """Per example the hypothesis with the higher score (``a`` on ties)."""
    width = max(a.tokens.shape[1], b.tokens.shape[1])

    def padded(t: torch.Tensor) -> torch.Tensor:
        return torch.nn.functional.pad(t, (0, width - t.shape[1]), value=pad)

    take_b = b.score > a.score  # (B,)
    return Hypotheses(
        torch.where(take_b[:, None], padded(b.tokens), padded(a.tokens)),
        torch.where(take_b, b.logprob, a.logprob),
        torch.where(take_b, b.lengths, a.lengths),
        torch.where(take_b, b.score, a.score),
    )
