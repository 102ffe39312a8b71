"""Gated multimodal unit (Arevalo et al. 2017): a gate-weighted mix of bounded modality features."""

import torch

from mmbench.fusions.gated import GatedFusion

from ._inputs import dims, inputs


def test_output_is_a_convex_mix_bounded_by_tanh():
    torch.manual_seed(0)
    for names in (("image", "text"), ("image", "text", "audio")):
        feats, masks = inputs(names, batch=4)
        fused = GatedFusion(dims(names), dim=8)(feats, masks)[0]
        assert fused.abs().max() < 1.0  # tanh features mixed with weights in (0, 1)


def test_a_saturated_gate_selects_one_modality():
    torch.manual_seed(0)
    gmu = GatedFusion(dims(), dim=8)
    feats, masks = inputs()
    with torch.no_grad():
        gmu.gate.weight.zero_()
        gmu.gate.bias.fill_(50.0)  # z → 1: the image feature only
    fused = gmu(feats, masks)[0]
    other_text = dict(feats, text=feats["text"] * -3.0)
    torch.testing.assert_close(gmu(other_text, masks)[0], fused)
    other_image = dict(feats, image=feats["image"] * -3.0)
    assert not torch.allclose(gmu(other_image, masks)[0], fused)
