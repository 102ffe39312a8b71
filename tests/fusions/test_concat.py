"""Concat fusion: pooled projections concatenated, then an MLP; properties, not a re-computation."""

import torch

from mmbench.fusions.concat import ConcatFusion

from ._inputs import dims, inputs


def _fusion():
    torch.manual_seed(0)
    return ConcatFusion(dims(), dim=4, dropout=0.0).eval()


def test_rows_are_independent_and_time_order_does_not_matter():
    fusion = _fusion()
    feats, masks = inputs(batch=3)
    fused, mask = fusion(feats, masks)
    assert fused.shape == (3, 1, 4) and mask.all()
    # Max pooling over time: permuting the time steps changes nothing.
    shuffled = {m: x[:, torch.randperm(x.shape[1])] for m, x in feats.items()}
    torch.testing.assert_close(fusion(shuffled, masks)[0], fused)
    # One row alone gives the same as in the batch.
    one = fusion({m: x[1:2] for m, x in feats.items()}, {m: v[1:2] for m, v in masks.items()})
    torch.testing.assert_close(one[0][0], fused[1])


def test_both_modalities_count_and_a_missing_one_equals_a_fully_masked_one():
    fusion = _fusion()
    feats, masks = inputs()
    fused, _ = fusion(feats, masks)
    for m in feats:
        other = dict(feats, **{m: feats[m] + 1.0})
        assert not torch.allclose(fusion(other, masks)[0], fused), f"{m} is ignored"
    masked = dict(masks, text=torch.zeros_like(masks["text"]))
    absent, _ = fusion({"image": feats["image"]}, {"image": masks["image"]})
    torch.testing.assert_close(absent, fusion(feats, masked)[0])
