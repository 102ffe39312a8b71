import torch

from mmbench.encoders.base import ModalityInput
from mmbench.encoders.transformer import TransformerEncoder


def test_word_order_matters_and_padding_is_zero():
    torch.manual_seed(0)
    enc = TransformerEncoder(ModalityInput("text", (5,), vocab_size=9), dim=8, heads=2).eval()
    ids = torch.tensor([[3, 4, 5, 0, 0], [5, 4, 3, 0, 0], [0, 0, 0, 0, 0]])
    feats, mask = enc(ids)
    assert feats.shape == (3, 5, 8) and torch.equal(mask, ids != 0)
    assert feats[:, 3:].abs().sum() == 0 and feats[2].abs().sum() == 0
    # the same bag of words in another order gives other features (unlike ``bow``)
    assert not torch.allclose(feats[0].sum(0), feats[1].sum(0))
