import torch

from mmbench.fusions.attention_sum import AttentionSumFusion

from ._inputs import dims, inputs


def test_weights_are_a_softmax_over_present_modalities():
    torch.manual_seed(0)
    fusion = AttentionSumFusion(dims(("image", "text", "audio")), dim=8).eval()
    feats, masks = inputs(("image", "text", "audio"), batch=3)
    masks["audio"][1] = False
    for m in masks:
        masks[m][2] = False  # nothing present in row 2
    fused, _ = fusion(feats, masks)
    alpha = fusion.attention_weights
    torch.testing.assert_close(alpha.sum(1), torch.ones(3))
    assert alpha[1, 2] == 0 and (alpha[0] > 0).all()
    c = torch.stack([torch.tanh(fusion.proj[m](feats[m].amax(1))) for m in feats], 1)
    ref = fusion.mlp((alpha[:2].unsqueeze(-1) * c[:2]).sum(1) - alpha[1:2, 2:3] * c[1:2, 2])
    torch.testing.assert_close(fused[:2, 0], ref)
    torch.testing.assert_close(fused[2, 0], fusion.mlp(torch.zeros(8)))  # nothing: zero input
