"""Sum fusion: a missing modality adds nothing, and the sum does not depend on modality order."""

import torch

from mmbench.fusions.sum import SumFusion

from ._inputs import dims, inputs


def test_missing_modality_equals_fully_masked_and_every_modality_counts():
    torch.manual_seed(0)
    fusion = SumFusion(dims(), dim=8).eval()
    feats, masks = inputs()
    fused, mask = fusion(feats, masks)
    assert fused.shape == (2, 1, 8) and mask.all()
    absent, _ = fusion({"image": feats["image"]}, {"image": masks["image"]})
    masked = dict(masks, text=torch.zeros_like(masks["text"]))
    torch.testing.assert_close(absent, fusion(feats, masked)[0])
    assert not torch.allclose(absent, fused), "text must change the fused vector"


def test_dict_order_does_not_matter():
    torch.manual_seed(0)
    fusion = SumFusion(dims(), dim=8).eval()
    feats, masks = inputs()
    reordered = {m: feats[m] for m in reversed(list(feats))}
    torch.testing.assert_close(fusion(reordered, masks)[0], fusion(feats, masks)[0])
