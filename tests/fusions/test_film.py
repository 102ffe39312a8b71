import torch

from mmbench.fusions.film import FilmFusion


def inputs(seed):
    g = torch.Generator().manual_seed(seed)
    feats = {"text": torch.randn(2, 3, 4, generator=g), "image": torch.randn(2, 9, 6, generator=g)}
    return feats, {m: torch.ones(x.shape[:2], dtype=torch.bool) for m, x in feats.items()}


def test_default_primary_is_image_and_the_question_modulates_it():
    torch.manual_seed(0)
    fusion = FilmFusion({"text": 4, "image": 6}, dim=8).eval()
    assert fusion.primary == "image"
    feats, masks = inputs(0)
    fused, mask = fusion(feats, masks)
    assert fused.shape == (2, 9, 8) and torch.equal(mask, masks["image"])
    other = dict(feats, text=inputs(1)[0]["text"])
    assert not torch.allclose(fusion(other, masks)[0], fused)


def test_gamma_beta_act_per_channel_and_one_modality_works():
    torch.manual_seed(0)
    fusion = FilmFusion({"image": 6}, dim=8, blocks=1)
    feats, masks = inputs(0)
    fused, _ = fusion({"image": feats["image"]}, {"image": masks["image"]})
    # no conditioning modality: Δγ, β come from the bias alone, identical for every row
    block = fusion.blocks[0]
    x = fusion.proj(feats["image"])
    h = block.norm(block.fc2(torch.relu(block.fc1(x))))
    d_gamma, beta = block.film.bias.chunk(2)
    torch.testing.assert_close(fused, x + torch.relu((1 + d_gamma) * h + beta))
