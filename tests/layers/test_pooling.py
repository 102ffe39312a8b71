"""Masked pooling: invalid positions never matter, empty rows give zeros."""

from __future__ import annotations

import torch

from mmbench.layers import masked_max, masked_mean


def _batch(seed: int = 0):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(4, 6, 3, generator=g)
    mask = torch.rand(4, 6, generator=g) > 0.4
    mask[0] = True
    mask[1] = False  # an empty row
    return x, mask


def test_invalid_positions_do_not_change_the_result() -> None:
    x, mask = _batch()
    noisy = torch.where(mask.unsqueeze(-1), x, torch.full_like(x, 1e6))
    for pool in (masked_mean, masked_max):
        torch.testing.assert_close(pool(noisy, mask), pool(x, mask))


def test_empty_rows_are_zero_and_full_rows_match_plain_pooling() -> None:
    x, mask = _batch(1)
    assert masked_mean(x, mask)[1].eq(0).all() and masked_max(x, mask)[1].eq(0).all()
    torch.testing.assert_close(masked_mean(x, mask)[0], x[0].mean(0))
    torch.testing.assert_close(masked_max(x, mask)[0], x[0].amax(0))


def test_max_is_at_least_the_mean_on_rows_with_a_valid_position() -> None:
    x, mask = _batch(2)
    rows = mask.any(1)
    assert (masked_max(x, mask)[rows] >= masked_mean(x, mask)[rows] - 1e-6).all()
