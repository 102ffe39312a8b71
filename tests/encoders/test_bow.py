import torch

from mmbench.encoders.base import ModalityInput
from mmbench.encoders.bow import BowEncoder


def test_is_the_mean_of_valid_word_embeddings_and_ignores_order():
    torch.manual_seed(0)
    enc = BowEncoder(ModalityInput("text", (5,), vocab_size=9, pad_id=0), dim=6)
    ids = torch.tensor([[3, 4, 5, 0, 0], [7, 7, 2, 8, 1], [0, 0, 0, 0, 0]])
    feats, mask = enc(ids)  # mask derived from pad_id
    w = enc.embed.weight
    torch.testing.assert_close(feats[0, 0], w[[3, 4, 5]].mean(0))
    torch.testing.assert_close(feats[1, 0], w[[7, 7, 2, 8, 1]].mean(0))
    assert torch.equal(feats[2, 0], torch.zeros(6))
    assert mask.tolist() == [[True], [True], [False]]
    shuffled, _ = enc(torch.tensor([[5, 3, 4, 0, 0]]))
    torch.testing.assert_close(shuffled[0], feats[0])
