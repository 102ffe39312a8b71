import pytest
import torch

from mmbench.encoders.base import ModalityInput
from mmbench.encoders.mlp import MlpEncoder
from mmbench.errors import MmbenchError


def test_flattened_pixels_to_one_vector():
    torch.manual_seed(0)
    enc = MlpEncoder(ModalityInput("image", (1, 8, 8)), dim=5, hidden=7)
    feats, mask = enc(torch.rand(3, 1, 8, 8))
    assert feats.shape == (3, 1, 5) and mask.shape == (3, 1) and mask.all()
    assert enc.net[1].in_features == 64


def test_needs_an_image_shape():
    with pytest.raises(MmbenchError, match=r"\(C, H, W\)"):
        MlpEncoder(ModalityInput("image", (64,)))
