"""Classifier head: pooling respects the mask, bad options are user errors."""

from __future__ import annotations

import pytest
import torch

from mmbench.errors import MmbenchError
from mmbench.heads.classifier import ClassifierHead


@pytest.mark.parametrize("pool", ["mean", "max"])
def test_padding_does_not_change_logits(pool):
    torch.manual_seed(0)
    head = ClassifierHead(8, 5, hidden=16, dropout=0.0, pool=pool).eval()
    x = torch.randn(3, 4, 8)
    mask = torch.tensor([[1, 1, 0, 0], [1, 1, 1, 1], [1, 0, 0, 0]], dtype=torch.bool)
    noisy = x.clone()
    noisy[~mask] = 1e4  # garbage at padded positions
    assert torch.allclose(head(x, mask), head(noisy, mask))
    assert head(x, mask).shape == (3, 5)


def test_max_pool_picks_the_strongest_position():
    head = ClassifierHead(2, 2, pool="max")
    x = torch.tensor([[[1.0, -5.0], [3.0, 0.0], [9.0, 9.0]]])
    mask = torch.tensor([[True, True, False]])
    captured = {}
    head.net.register_forward_pre_hook(lambda m, args: captured.setdefault("x", args[0]))
    head(x, mask)
    assert captured["x"].tolist() == [[3.0, 0.0]]


def test_empty_row_gives_finite_logits():
    head = ClassifierHead(4, 3, pool="max")
    out = head(torch.randn(2, 3, 4), torch.zeros(2, 3, dtype=torch.bool))
    assert torch.isfinite(out).all()


def test_unknown_pool_is_a_user_error():
    with pytest.raises(MmbenchError, match="model.head.kwargs.pool: 'sum'"):
        ClassifierHead(4, 3, pool="sum")
