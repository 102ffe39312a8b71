"""What the text corruptions share: a probe sentence and an edit distance to measure typos."""

from __future__ import annotations

import numpy as np

from mmbench.corruptions.base import Corruption

_WORDS = (
    "what color is the small shape left of the large red circle near the corner "
    "how many squares are there in this picture and which one is blue"
).split()


class TextCorruption(Corruption):
    """Text as a ``str``; word-level corruptions split on whitespace and join with one space."""

    kind = "text"

    def probe(self, rng: np.random.Generator) -> tuple[str, list]:
        return " ".join(_WORDS * 4), []


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance (substitutions, insertions, deletions each cost 1)."""
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]
