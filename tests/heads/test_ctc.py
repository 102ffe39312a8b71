"""The CTC head: per-frame log-probabilities, decoder choice, loss agreement with torch."""

from __future__ import annotations

import pytest
import torch

from mmbench.errors import MmbenchError
from mmbench.heads.ctc import CtcHead
from mmbench.registry import HEADS


def test_registered_and_outputs_normalised_log_probs():
    assert HEADS.get("ctc") is CtcHead
    torch.manual_seed(0)
    head = CtcHead(16, 5, hidden=8)
    fused, mask = torch.randn(3, 7, 16), torch.arange(7)[None] < torch.tensor([7, 4, 1])[:, None]
    lp = head(fused, mask)
    assert lp.shape == (3, 7, 5)
    torch.testing.assert_close(lp.exp().sum(-1), torch.ones(3, 7))
    # padding positions are uniform
    torch.testing.assert_close(lp[1, 4:], torch.full((3, 5), -torch.log(torch.tensor(5.0))))


def test_decoder_choice_and_bad_kwargs():
    head = CtcHead(4, 3, decoder="beam", beam=4).eval()
    lp = torch.log(torch.tensor([[[0.6, 0.4, 0.0 + 1e-9], [0.6, 0.4, 1e-9]]]))
    assert head.decode(lp, torch.tensor([2])) == [[1]]  # beam: P("1") = .64 beats P("") = .36
    assert CtcHead(4, 3).decode(lp, torch.tensor([2])) == [[]]  # greedy: best path is blank
    with pytest.raises(MmbenchError, match="decoder"):
        CtcHead(4, 3, decoder="viterbi")
    with pytest.raises(MmbenchError, match="beam"):
        CtcHead(4, 3, decoder="beam", beam=0)


def test_training_reduces_ctc_loss_on_a_toy_alignment():
    torch.manual_seed(1)
    head = CtcHead(8, 4, dropout=0.0)
    x = torch.randn(2, 10, 8)
    mask = torch.ones(2, 10, dtype=torch.bool)
    target = torch.tensor([[1, 2, 3], [3, 3, 0]])
    tl = torch.tensor([3, 2])
    opt = torch.optim.Adam(head.parameters(), lr=0.05)
    losses = []
    for _ in range(60):
        lp = head(x, mask)
        loss = torch.nn.functional.ctc_loss(lp.transpose(0, 1), target, mask.sum(1), tl)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    assert losses[-1] < 0.3 * losses[0]
    assert head.decode(head(x, mask), mask.sum(1)) == [[1, 2, 3], [3, 3]]
