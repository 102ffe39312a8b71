"""Word shuffle within a window: words permuted inside consecutive windows of ``level`` words."""

from __future__ import annotations

from mmbench.corruptions._text import TextCorruption
from mmbench.registry import CORRUPTIONS


@CORRUPTIONS.register("word_shuffle")
class WordShuffleCorruption(TextCorruption):
    """Text: each run of ``level`` consecutive words is permuted at random, so no word moves
    ``level`` places or more (level: window in words; 1 = unchanged)."""

    unit = "window in words"
    clean_level = 1.0
    low = 1.0
    high = 1000.0
    integer = True
    example_levels = (2.0, 4.0)

    def apply(self, x, level, rng, others):
        words, w = x.split(), int(level)
        out = []
        for start in range(0, len(words), w):
            chunk = words[start : start + w]
            out += [chunk[i] for i in rng.permutation(len(chunk))]
        return " ".join(out)

    def measure(self, clean, corrupted) -> float:
        """Largest displacement of a word plus one (the smallest window that explains the
        permutation); ``inf`` if the words differ. Needs distinct words to be exact, so the
        measure pairs the i-th occurrence of a word in both texts."""
        a, b = clean.split(), corrupted.split()
        if sorted(a) != sorted(b):
            return float("inf")
        seen: dict[str, list[int]] = {}
        for i, word in enumerate(b):
            seen.setdefault(word, []).append(i)
        taken: dict[str, int] = {}
        moved = 0
        for i, word in enumerate(a):
            j = seen[word][taken.get(word, 0)]
            taken[word] = taken.get(word, 0) + 1
            moved = max(moved, abs(i - j))
        return float(moved + 1)

    def agrees(self, measured, level) -> bool:
        return 1.0 < measured <= level  # something moved, nothing moved a window or more
