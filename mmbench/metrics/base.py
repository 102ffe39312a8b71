"""What every metric returns: corpus scores, per-example scores, and a fingerprint.

The fingerprint (metric, implementation version, normaliser, tokenizer) is logged with the
score, so a leaderboard never mixes numbers computed in incompatible ways.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class Fingerprint:
    metric: str  # e.g. "cider"
    version: str  # implementation version, bumped whenever numbers could change
    reference: str  # what it agrees with, e.g. "pycocoevalcap==1.2"
    normalizer: str = "none"
    tokenizer: str = "none"

    def as_tag(self) -> str:
        return (
            f"{self.metric}/{self.version} ref={self.reference} "
            f"norm={self.normalizer} tok={self.tokenizer}"
        )


@dataclass
class MetricResult:
    """Corpus-level scores (``scores``) and aligned per-example scores (``per_example``).

    ``scores`` keys are metric keys (``cider``, ``bleu4``, ``vqa_acc``, ``rougeL`` …);
    ``per_example`` maps (some of) the same keys to a float array of length N.
    ``breakdown`` holds grouped scores (e.g. VQA accuracy per answer type).
    """

    scores: dict[str, float]
    per_example: dict[str, np.ndarray]
    fingerprint: Fingerprint
    breakdown: dict[str, dict[str, float]] = field(default_factory=dict)
    ci: dict[str, tuple[float, float]] = field(default_factory=dict)

    def __getitem__(self, key: str) -> float:
        return self.scores[key]
