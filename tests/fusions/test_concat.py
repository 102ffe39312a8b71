import torch

from mmbench.fusions.concat import ConcatFusion
from mmbench.layers.pooling import masked_max


def test_matches_manual_computation_and_missing_equals_zero_vector():
    torch.manual_seed(0)
    fusion = ConcatFusion({"image": 5, "text": 3}, dim=4, dropout=0.0)
    img, txt = torch.randn(2, 6, 5), torch.randn(2, 4, 3)
    m_img = torch.ones(2, 6, dtype=torch.bool)
    m_txt = torch.tensor([[1, 1, 0, 0], [0, 0, 0, 0]], dtype=torch.bool)
    fused, mask = fusion({"image": img, "text": txt}, {"image": m_img, "text": m_txt})
    assert fused.shape == (2, 1, 4) and mask.all()
    p_txt = fusion.proj["text"](masked_max(txt, m_txt))
    p_txt[1] = 0  # row 1 has no text: its projected vector is zero, not the bias
    ref = fusion.mlp(torch.cat([fusion.proj["image"](img.amax(1)), p_txt], dim=1))
    torch.testing.assert_close(fused[:, 0], ref)
    absent, _ = fusion({"image": img[1:]}, {"image": m_img[1:]})
    torch.testing.assert_close(absent[0], fused[1])
