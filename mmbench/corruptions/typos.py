"""Character typos: a fraction of the letters each substituted, deleted or given a stray one."""

from __future__ import annotations

import string

from mmbench.corruptions._text import TextCorruption, edit_distance
from mmbench.registry import CORRUPTIONS

LETTERS = string.ascii_lowercase


@CORRUPTIONS.register("typos")
class TyposCorruption(TextCorruption):
    """Text: ``round(level · letters)`` distinct letters get one edit each — a different
    letter, deleted, or a random letter inserted after it (level: rate per letter)."""

    unit = "typos per letter"
    high = 1.0
    example_levels = (0.05, 0.2)
    tolerance = 0.2

    def apply(self, x, level, rng, others):
        chars = list(x)
        letters = [i for i, c in enumerate(chars) if c.isalpha()]
        k = round(level * len(letters))
        if k == 0:
            return x
        picked = sorted(rng.choice(letters, size=k, replace=False).tolist(), reverse=True)
        for i in picked:  # right to left: earlier indices stay valid
            op = int(rng.integers(0, 3))
            if op == 0:
                choices = [c for c in LETTERS if c != chars[i].lower()]
                chars[i] = choices[int(rng.integers(0, len(choices)))]
            elif op == 1:
                del chars[i]
            else:
                chars.insert(i + 1, LETTERS[int(rng.integers(0, len(LETTERS)))])
        return "".join(chars)

    def measure(self, clean, corrupted) -> float:
        return edit_distance(clean, corrupted) / max(1, sum(c.isalpha() for c in clean))
