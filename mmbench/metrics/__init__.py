"""Official metrics, exact and fast: functional forms, accumulating classes, bootstrap CIs.

Every functional metric takes ``predictions: list[str]`` and ``references`` (``list[str]`` or
``list[list[str]]``) and returns a :class:`~mmbench.metrics.base.MetricResult`.
"""

from mmbench.metrics.base import Fingerprint, MetricResult
from mmbench.metrics.bootstrap import bootstrap_ci
from mmbench.metrics.rouge import rouge  # registers "rouge"
from mmbench.metrics.vqa import vqa_accuracy  # registers "vqa_acc"
from mmbench.metrics.wer import cer, wer  # registers "wer", "cer" (shadows the module name)

__all__ = ["Fingerprint", "MetricResult", "bootstrap_ci", "rouge", "vqa_accuracy", "wer", "cer"]
