import pytest
import torch

from mmbench.errors import MmbenchError
from mmbench.fusions.bottleneck import BottleneckFusion

from ._inputs import dims, inputs


def run(fusion_layer, image):
    torch.manual_seed(0)
    fusion = BottleneckFusion(
        dims(), dim=8, heads=2, primary="text", layers=2, fusion_layer=fusion_layer
    ).eval()
    feats, masks = inputs()
    return fusion(dict(feats, image=image(feats["image"])), masks)[0]


def test_information_crosses_only_through_the_bottleneck_layers():
    same, flip = (lambda x: x), (lambda x: x.flip(0))
    # one fusion layer: text and image update the shared tokens in parallel, so the text
    # stream cannot yet read what the image wrote; with two fusion layers it can
    torch.testing.assert_close(run(1, same), run(1, flip))
    assert not torch.allclose(run(0, same), run(0, flip))


def test_needs_at_least_one_fusion_layer():
    with pytest.raises(MmbenchError, match="fusion_layer"):
        BottleneckFusion(dims(), dim=8, heads=2, layers=2, fusion_layer=2)


def test_output_layout_without_primary():
    torch.manual_seed(0)
    fusion = BottleneckFusion(dims(), dim=8, heads=2, bottlenecks=3)
    fused, mask = fusion(*inputs())
    assert fused.shape == (2, 3 + 5 + 3, 8) and mask.all()
