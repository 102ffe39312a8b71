import pytest
import torch

from mmbench.encoders.base import ModalityInput
from mmbench.encoders.vit import VitEncoder
from mmbench.errors import MmbenchError


def test_one_token_per_patch_and_tokens_know_their_position():
    torch.manual_seed(0)
    enc = VitEncoder(ModalityInput("image", (3, 16, 12)), dim=8, patch=4, heads=2).eval()
    feats, mask = enc(torch.zeros(2, 3, 16, 12))
    assert feats.shape == (2, 4 * 3, 8) and mask.all()
    # a blank image: every patch has the same pixels, only the position embedding differs
    assert torch.cdist(feats[0], feats[0]).triu(1).gt(1e-4).sum() == 12 * 11 // 2


def test_patch_must_divide_the_image():
    with pytest.raises(MmbenchError, match="patch"):
        VitEncoder(ModalityInput("image", (3, 10, 10)), patch=4)
