import torch

from mmbench.fusions.low_rank_tensor import LowRankTensorFusion

from ._inputs import dims, inputs


def test_equals_a_tensor_fusion_with_the_rank_r_weight_tensor():
    torch.manual_seed(0)
    names = ("image", "text", "audio")
    fusion = LowRankTensorFusion(dims(names), dim=8, rank=3)
    feats, masks = inputs(names)
    z = [torch.cat([feats[m].amax(1), torch.ones(2, 1)], 1) for m in names]
    product = torch.einsum("bi,bj,bk->bijk", *z)  # the TFN tensor
    f = [fusion.factors[m] for m in names]  # (r, Dₘ + 1, D)
    weight = torch.einsum("r,rio,rjo,rko->ijko", fusion.rank_weights[0], *f)  # full W
    ref = torch.einsum("bijk,ijko->bo", product, weight) + fusion.bias
    torch.testing.assert_close(fusion(feats, masks)[0][:, 0], ref, atol=1e-5, rtol=1e-4)
