"""Official metrics, exact and fast: functional forms, accumulating classes, bootstrap CIs.

Every functional metric takes ``predictions: list[str]`` and ``references`` (``list[str]`` or
``list[list[str]]``) and returns a :class:`~mmbench.metrics.base.MetricResult`.
"""

from mmbench.metrics.base import Fingerprint, MetricResult
from mmbench.metrics.bleu import bleu  # registers "bleu" (shadows the module name)
from mmbench.metrics.bootstrap import bootstrap_ci
from mmbench.metrics.cider import cider_d  # registers "cider"
from mmbench.metrics.coco_rouge_l import coco_rouge_l  # registers "coco_rouge_l"
from mmbench.metrics.meteor import meteor  # registers "meteor" (Java)
from mmbench.metrics.rouge import rouge  # registers "rouge"
from mmbench.metrics.vqa import vqa_accuracy  # registers "vqa_acc"
from mmbench.metrics.wer import cer, wer  # registers "wer", "cer" (shadows the module name)

__all__ = [
    "Fingerprint",
    "MetricResult",
    "bootstrap_ci",
    "bleu",
    "cider_d",
    "coco_rouge_l",
    "meteor",
    "rouge",
    "vqa_accuracy",
    "wer",
    "cer",
]
