import torch

from mmbench.fusions.gated import GatedFusion

from ._inputs import dims, inputs


def test_bimodal_unit_matches_the_paper():
    torch.manual_seed(0)
    gmu = GatedFusion(dims(), dim=8)
    feats, masks = inputs()
    x1, x2 = feats["image"].amax(1), feats["text"].amax(1)
    h1, h2 = torch.tanh(gmu.hidden["image"](x1)), torch.tanh(gmu.hidden["text"](x2))
    z = torch.sigmoid(gmu.gate(torch.cat([x1, x2], 1)))
    torch.testing.assert_close(gmu(feats, masks)[0][:, 0], z * h1 + (1 - z) * h2)


def test_multimodal_form_sums_gated_features():
    torch.manual_seed(0)
    names = ("image", "text", "audio")
    gmu = GatedFusion(dims(names), dim=8)
    feats, masks = inputs(names)
    xs = [feats[m].amax(1) for m in names]
    zs = torch.sigmoid(gmu.gate(torch.cat(xs, 1))).chunk(3, 1)
    ref = sum(z * torch.tanh(gmu.hidden[m](x)) for z, m, x in zip(zs, names, xs))
    torch.testing.assert_close(gmu(feats, masks)[0][:, 0], ref)
