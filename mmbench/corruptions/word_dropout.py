"""Word dropout: a fraction of the words removed (at least one word is always kept)."""

from __future__ import annotations

from mmbench.corruptions._text import TextCorruption
from mmbench.registry import CORRUPTIONS


@CORRUPTIONS.register("word_dropout")
class WordDropoutCorruption(TextCorruption):
    """Text: ``round(level · words)`` words removed at random, never every word
    (level: fraction of words)."""

    unit = "fraction of words"
    high = 1.0
    example_levels = (0.1, 0.5)
    tolerance = 0.05

    def apply(self, x, level, rng, others):
        words = x.split()
        k = min(round(level * len(words)), len(words) - 1)
        if k <= 0:
            return x
        gone = set(rng.choice(len(words), size=k, replace=False).tolist())
        return " ".join(w for i, w in enumerate(words) if i not in gone)

    def measure(self, clean, corrupted) -> float:
        return 1.0 - len(corrupted.split()) / max(1, len(clean.split()))
