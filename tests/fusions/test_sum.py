import torch

from mmbench.fusions.sum import SumFusion

from ._inputs import dims, inputs


def test_is_mlp_of_the_sum_of_projections_and_missing_adds_nothing():
    torch.manual_seed(0)
    fusion = SumFusion(dims(), dim=8).eval()
    feats, masks = inputs()
    p = {m: fusion.proj[m](feats[m].amax(1)) for m in feats}
    fused, mask = fusion(feats, masks)
    assert fused.shape == (2, 1, 8) and mask.all()
    torch.testing.assert_close(fused[:, 0], fusion.mlp(p["image"] + p["text"]))
    absent, _ = fusion({"image": feats["image"]}, {"image": masks["image"]})
    torch.testing.assert_close(absent[:, 0], fusion.mlp(p["image"]))
