import torch

from mmbench.fusions.cross_attention import CrossAttentionFusion


def inputs():
    g = torch.Generator().manual_seed(0)
    feats = {"image": torch.randn(2, 5, 6, generator=g), "text": torch.randn(2, 3, 4, generator=g)}
    return feats, {m: torch.ones(x.shape[:2], dtype=torch.bool) for m, x in feats.items()}


def test_output_concatenates_streams_or_keeps_primary():
    torch.manual_seed(0)
    both = CrossAttentionFusion({"image": 6, "text": 4}, dim=8, heads=2)
    fused, mask = both(*inputs())
    assert fused.shape == (2, 8, 8) and mask.all()
    torch.manual_seed(0)
    text_only = CrossAttentionFusion({"image": 6, "text": 4}, dim=8, heads=2, primary="text")
    assert set(text_only.cross) == {"image_to_text"}
    fused, mask = text_only(*inputs())
    assert fused.shape == (2, 3, 8)


def test_absent_source_equals_fully_masked_source():
    torch.manual_seed(0)
    fusion = CrossAttentionFusion({"image": 6, "text": 4}, dim=8, primary="text").eval()
    feats, masks = inputs()
    masks["image"][:] = False
    masked, _ = fusion(feats, masks)
    absent, _ = fusion({"text": feats["text"]}, {"text": masks["text"]})
    torch.testing.assert_close(masked, absent)


def test_the_source_changes_the_target_stream():
    torch.manual_seed(0)
    fusion = CrossAttentionFusion({"image": 6, "text": 4}, dim=8, primary="text").eval()
    feats, masks = inputs()
    other = dict(feats, image=feats["image"].flip(0))
    assert not torch.allclose(fusion(feats, masks)[0], fusion(other, masks)[0])
