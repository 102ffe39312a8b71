import torch

from mmbench.fusions.gated_cross_attention import GatedCrossAttentionFusion

from ._inputs import dims, inputs


def test_zero_initialised_gates_ignore_the_context_until_opened():
    torch.manual_seed(0)
    fusion = GatedCrossAttentionFusion(dims(), dim=8, heads=2).eval()
    assert fusion.primary == "text"  # the language stream by default
    feats, masks = inputs()
    other = dict(feats, image=feats["image"].flip(0))
    fused, mask = fusion(feats, masks)
    assert fused.shape == (2, 3, 8) and torch.equal(mask, masks["text"])
    torch.testing.assert_close(fused, fusion(other, masks)[0])
    with torch.no_grad():
        fusion.xattn[0].attn_gate.fill_(1.0)
    assert not torch.allclose(fusion(feats, masks)[0], fusion(other, masks)[0])
