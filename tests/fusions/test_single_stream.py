import torch

from mmbench.fusions.single_stream import SingleStreamFusion

from ._inputs import dims, inputs


def test_full_sequence_and_primary_span_agree():
    torch.manual_seed(0)
    full = SingleStreamFusion(dims(), dim=8, heads=2).eval()
    torch.manual_seed(0)
    text = SingleStreamFusion(dims(), dim=8, heads=2, primary="text").eval()
    feats, masks = inputs()
    fused, mask = full(feats, masks)
    assert fused.shape == (2, 1 + 5 + 3, 8) and mask.all()
    span, _ = text(feats, masks)
    torch.testing.assert_close(span, fused[:, 6:9])


def test_tokens_see_other_modalities_from_the_first_layer():
    torch.manual_seed(0)
    fusion = SingleStreamFusion(dims(), dim=8, heads=2, layers=1, primary="text").eval()
    feats, masks = inputs()
    other = dict(feats, image=feats["image"].flip(0))
    assert not torch.allclose(fusion(feats, masks)[0], fusion(other, masks)[0])
