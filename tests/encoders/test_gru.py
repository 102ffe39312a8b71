import torch

from mmbench.encoders.base import ModalityInput
from mmbench.encoders.gru import GruEncoder


def test_matches_an_unpadded_run_of_each_row():
    torch.manual_seed(0)
    enc = GruEncoder(ModalityInput("text", (6,), vocab_size=12, pad_id=0), dim=8)
    ids = torch.tensor([[3, 4, 5, 6, 7, 8], [2, 9, 0, 0, 0, 0], [11, 0, 0, 0, 0, 0]])
    feats, mask = enc(ids, ids != 0)
    assert feats.shape == (3, 6, 8) and torch.equal(mask, ids != 0)
    for row in range(3):
        n = int(mask[row].sum())
        ref, _ = enc.gru(enc.embed(ids[row : row + 1, :n]))  # plain run, no padding at all
        torch.testing.assert_close(feats[row, :n], ref[0], atol=1e-6, rtol=1e-5)
        assert feats[row, n:].abs().sum() == 0


def test_odd_dim_is_projected_and_empty_rows_are_finite():
    torch.manual_seed(0)
    enc = GruEncoder(ModalityInput("text", (4,), vocab_size=5), dim=7, embed_dim=3, layers=2)
    feats, mask = enc(torch.tensor([[1, 2, 0, 0], [0, 0, 0, 0]]))
    assert feats.shape == (2, 4, 7) and torch.isfinite(feats).all()
    assert not mask[1].any() and feats[1].abs().sum() == 0
