import torch

from mmbench.fusions.bilinear import BilinearFusion

from ._inputs import dims, inputs


def test_sum_pooled_hadamard_product_and_normalisation():
    torch.manual_seed(0)
    fusion = BilinearFusion(dims(), dim=4, factors=3, dropout=0.0, normalize=False)
    feats, masks = inputs()
    u = fusion.proj["image"](feats["image"].amax(1))
    v = fusion.proj["text"](feats["text"].amax(1))
    ref = (u * v).view(2, 4, 3).sum(-1)
    torch.testing.assert_close(fusion(feats, masks)[0][:, 0], ref)
    fusion.normalize = True
    out = fusion(feats, masks)[0][:, 0]
    torch.testing.assert_close(out.norm(dim=1), torch.ones(2))
    torch.testing.assert_close(out, torch.nn.functional.normalize(ref.sign() * ref.abs().sqrt()))


def test_missing_modality_passes_the_other_through():
    torch.manual_seed(0)
    fusion = BilinearFusion(dims(), dim=4, factors=2, dropout=0.0, normalize=False)
    feats, masks = inputs()
    masks["text"][1] = False
    out = fusion(feats, masks)[0][1, 0]
    u = fusion.proj["image"](feats["image"][1].amax(0))
    torch.testing.assert_close(out, u.view(4, 2).sum(-1))
