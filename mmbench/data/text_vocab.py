"""A word-level vocabulary built from a training split (min count, ``<pad>``, ``<unk>``)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

import torch

PAD, UNK = "<pad>", "<unk>"
_TOKEN = re.compile(r"[a-z0-9]+|[^\sa-z0-9]")


def tokenize(text: str) -> list[str]:
    """Lowercased words and single punctuation marks."""
    return _TOKEN.findall(text.lower())


class Vocab:
    """id ↔ word; id 0 is ``<pad>``, id 1 is ``<unk>``."""

    def __init__(self, words: list[str]):
        self.words = words
        self.index = {w: i for i, w in enumerate(words)}

    @classmethod
    def build(cls, texts: Iterable[str], min_count: int = 1) -> Vocab:
        counts = Counter(tok for text in texts for tok in tokenize(text))
        kept = sorted(w for w, c in counts.items() if c >= min_count)
        return cls([PAD, UNK, *kept])

    def __len__(self) -> int:
        return len(self.words)

    @property
    def pad_id(self) -> int:
        return 0

    def encode(self, text: str) -> list[int]:
        return [self.index.get(tok, 1) for tok in tokenize(text)]

    def encode_batch(self, texts: list[str], max_len: int | None = None) -> torch.Tensor:
        """(N, L) long tensor padded with 0; L = longest (capped at ``max_len``)."""
        ids = [self.encode(t)[:max_len] if max_len else self.encode(t) for t in texts]
        width = max((len(x) for x in ids), default=1) or 1
        out = torch.zeros(len(ids), width, dtype=torch.long)
        for i, row in enumerate(ids):
            out[i, : len(row)] = torch.tensor(row, dtype=torch.long)
        return out
