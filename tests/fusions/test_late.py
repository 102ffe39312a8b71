import torch
from torch import nn

from mmbench.fusions.late import LateFusion

from ._inputs import dims, inputs


def test_linear_head_on_output_equals_mean_of_per_modality_logits():
    torch.manual_seed(0)
    fusion = LateFusion(dims(), dim=8).eval()
    head = nn.Linear(8, 3)
    feats, masks = inputs()
    fused, mask = fusion(feats, masks)
    assert fused.shape == (2, 1, 8) and mask.all()
    per_modality = [head(fusion.branches[m](feats[m].amax(1))) for m in feats]
    torch.testing.assert_close(head(fused[:, 0]), torch.stack(per_modality).mean(0))


def test_missing_modality_drops_out_and_learned_weights_normalise():
    torch.manual_seed(0)
    fusion = LateFusion(dims(), dim=8, weights="learned").eval()
    with torch.no_grad():
        fusion.logits.copy_(torch.tensor([1.0, -1.0]))
    feats, masks = inputs()
    w = torch.softmax(torch.tensor([1.0, -1.0]), 0)
    z = {m: fusion.branches[m](feats[m].amax(1)) for m in feats}
    torch.testing.assert_close(fusion(feats, masks)[0][:, 0], w[0] * z["image"] + w[1] * z["text"])
    masks["text"][0] = False
    torch.testing.assert_close(fusion(feats, masks)[0][0, 0], z["image"][0])
