import pytest
import torch

from mmbench.encoders.base import ModalityInput
from mmbench.encoders.cnn import CnnEncoder, coord_channels
from mmbench.errors import MmbenchError


def test_grid_becomes_sequence_of_expected_length():
    torch.manual_seed(0)
    enc = CnnEncoder(ModalityInput("image", (3, 30, 20)), dim=8, widths=(4, 8, 8))
    feats, mask = enc(torch.rand(2, 3, 30, 20))
    assert feats.shape == (2, 4 * 3, 8) and mask.all()  # 30→15→8→4, 20→10→5→3


def test_single_channel_small_images_and_batch_norm():
    torch.manual_seed(0)
    enc = CnnEncoder(ModalityInput("image", (1, 8, 8)), dim=8, widths=[4, 8], norm="batch")
    feats, _ = enc(torch.rand(3, 1, 8, 8))
    assert feats.shape == (3, 4, 8)


def test_coordinates_make_tokens_position_aware():
    coords = coord_channels(torch.zeros(1, 1, 3, 4))
    assert torch.equal(coords[0, 1, 0], torch.linspace(-1, 1, 4))  # x varies along width
    assert torch.equal(coords[0, 2, :, 0], torch.linspace(-1, 1, 3))  # y along height
    torch.manual_seed(0)
    enc = CnnEncoder(ModalityInput("image", (3, 16, 16)), dim=8).eval()
    feats, _ = enc(torch.zeros(1, 3, 16, 16))  # a blank image: only position differs
    assert torch.cdist(feats[0], feats[0]).triu(1).gt(1e-4).sum() == 4 * 3 // 2


def test_bad_kwargs_are_user_errors():
    with pytest.raises(MmbenchError, match="norm"):
        CnnEncoder(ModalityInput("image", (3, 8, 8)), norm="layer")
    with pytest.raises(MmbenchError, match="widths"):
        CnnEncoder(ModalityInput("image", (3, 8, 8)), widths=[])
