"""A target-side word vocabulary for decoders: ``<pad>``, ``<unk>``, ``<bos>``, ``<eos>``.

Built from the training split's reference texts (words seen ``min_count`` times or more); the
ids of the four specials are fixed (0–3) so a saved word list decodes the same way later.
Tokenisation is :func:`mmbench.data.text_vocab.tokenize` (lowercase words and punctuation).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

import torch

from mmbench.data.text_vocab import tokenize

PAD, UNK, BOS, EOS = "<pad>", "<unk>", "<bos>", "<eos>"
SPECIALS = (PAD, UNK, BOS, EOS)


class SeqVocab:
    """id ↔ word for generated text; ids 0..3 are ``<pad> <unk> <bos> <eos>``."""

    pad_id, unk_id, bos_id, eos_id = 0, 1, 2, 3

    def __init__(self, words: list[str]):
        if tuple(words[:4]) != SPECIALS:
            raise ValueError(f"a SeqVocab word list starts with {SPECIALS}, got {words[:4]}")
        self.words = list(words)
        self.index = {w: i for i, w in enumerate(self.words)}

    @classmethod
    def build(cls, texts: Iterable[str], min_count: int = 1) -> SeqVocab:
        """Words of ``texts`` seen at least ``min_count`` times, sorted (deterministic ids)."""
        counts = Counter(tok for text in texts for tok in tokenize(text))
        kept = sorted(w for w, c in counts.items() if c >= min_count and w not in SPECIALS)
        return cls([*SPECIALS, *kept])

    def __len__(self) -> int:
        return len(self.words)

    def encode(self, text: str) -> list[int]:
        return [self.index.get(tok, self.unk_id) for tok in tokenize(text)]

    def targets(self, texts: list[str], max_len: int) -> tuple[torch.Tensor, torch.Tensor]:
        """Teacher-forcing pairs of N texts: inputs ``<bos> w1 … wk``, outputs ``w1 … wk <eos>``.

        Texts are cut to ``max_len - 1`` words so that ``<eos>`` always fits. Both are (N, L)
        long tensors padded with ``<pad>``; L = 1 + the longest (cut) text.
        """
        ids = [self.encode(t)[: max_len - 1] for t in texts]
        width = max((len(x) for x in ids), default=0) + 1
        inp = torch.full((len(ids), width), self.pad_id, dtype=torch.long)
        out = torch.full((len(ids), width), self.pad_id, dtype=torch.long)
        for i, row in enumerate(ids):
            k = len(row)
            inp[i, 0] = self.bos_id
            if k:
                t = torch.tensor(row, dtype=torch.long)
                inp[i, 1 : k + 1] = t
                out[i, :k] = t
            out[i, k] = self.eos_id
        return inp, out

    def decode(self, ids: Iterable[int]) -> str:
        """Words up to the first ``<eos>``, specials other than ``<unk>`` left out."""
        words = []
        for i in ids:
            i = int(i)
            if i == self.eos_id:
                break
            if i in (self.pad_id, self.bos_id):
                continue
            words.append(self.words[i] if 0 <= i < len(self.words) else UNK)
        return " ".join(words)
