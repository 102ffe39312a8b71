"""Accumulating (torchmetrics) forms of the text metrics: ``update`` / ``compute`` / ``reset``.

Each class keeps the raw strings of every ``update`` in list states and calls the functional form
once in ``compute``, so the result is *identical* to one functional call on all the data, whatever
the batch split (corpus metrics such as CIDEr-D, BLEU and WER cannot be averaged over batches).
``compute`` returns a :class:`~mmbench.metrics.base.MetricResult`, not a tensor.

Distributed: when ``torch.distributed`` is initialised, ``compute`` gathers the string states of
all ranks with ``torch.distributed.all_gather_object`` (tensors cannot hold strings), rank 0's
examples first, then rank 1's, …; the order only affects per-example order (and floating-point
summation order in the last bits). A ``DistributedSampler`` that pads the last batch duplicates a
few examples: drop them before ``update`` for exact numbers.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

import torch.distributed as dist
from torch.nn import Module
from torchmetrics import Metric

from mmbench.metrics.base import MetricResult

_STRING_STATES = ("preds", "refs")


class _TextMetric(Metric):
    """Base: ``update(preds, refs)`` appends strings; ``compute`` runs the functional metric."""

    is_differentiable = False
    full_state_update = False
    refs_are_lists = False  # True: each reference is a list of strings (VQA, CIDEr-D, BLEU)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.add_state("preds", default=[], dist_reduce_fx="cat")
        self.add_state("refs", default=[], dist_reduce_fx="cat")

    def update(self, preds: Sequence[str] | str, refs: Sequence[Any]) -> None:  # type: ignore[override]
        """Append a batch: B predictions and B references (str, or list of str per example).

        A single example may be given as ``update(pred, ref_or_refs)``.
        """
        if isinstance(preds, str):
            preds, refs = [preds], [refs]
        preds, refs = list(preds), list(refs)
        if len(preds) != len(refs):
            raise ValueError(
                f"{type(self).__name__}.update: {len(preds)} predictions but {len(refs)} references"
            )
        for i, p in enumerate(preds):
            if not isinstance(p, str):
                raise TypeError(f"{type(self).__name__}.update: prediction {i} is not a str")
        self.preds.extend(preds)
        if self.refs_are_lists:
            self.refs.extend([r] if isinstance(r, str) else list(r) for r in refs)
        else:
            self.refs.extend(r if isinstance(r, str) else list(r) for r in refs)

    def _functional(self) -> Callable[..., MetricResult]:
        raise NotImplementedError

    def compute(self) -> MetricResult:  # type: ignore[override]
        return self._functional()(list(self.preds), list(self.refs))

    # ---- strings are not tensors: keep them out of device moves and tensor gathering ----------
    def _wrap_compute(self, compute: Callable) -> Callable:
        # torchmetrics' wrapper walks the result with apply_to_collection, which rejects the
        # frozen Fingerprint dataclass; ours keeps its caching and sync/unsync, nothing else.
        @functools.wraps(compute)
        def wrapped() -> MetricResult:
            if self._computed is None:
                with self.sync_context(
                    dist_sync_fn=self.dist_sync_fn,
                    should_sync=self._to_sync,
                    should_unsync=self._should_unsync,
                ):
                    value = compute()
                if not self.compute_with_cache:
                    return value
                self._computed = value
            return self._computed

        return wrapped

    def _apply(self, fn: Callable, exclude_state: Sequence[str] = "") -> Module:
        return super()._apply(fn, exclude_state=tuple(exclude_state) + _STRING_STATES)

    def _sync_dist(self, dist_sync_fn: Callable | None = None, process_group: Any = None) -> None:
        group = process_group or self.process_group
        world = dist.get_world_size(group)
        for attr in _STRING_STATES:
            gathered: list[list[Any] | None] = [None] * world
            dist.all_gather_object(gathered, list(getattr(self, attr)), group=group)
            setattr(self, attr, [item for part in gathered for item in (part or [])])


class VQAAccuracy(_TextMetric):
    """Official VQA accuracy (percent); refs: a list of (10) answers per question."""

    higher_is_better = True
    refs_are_lists = True

    def _functional(self) -> Callable[..., MetricResult]:
        from mmbench.metrics.vqa import vqa_accuracy

        return vqa_accuracy


class WordErrorRate(_TextMetric):
    """WER (+ MER, WIL) as jiwer 4.0.0; refs: one string per utterance."""

    higher_is_better = False

    def __init__(self, normalizer: str = "none", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.normalizer = normalizer

    def _functional(self) -> Callable[..., MetricResult]:
        from mmbench.metrics.wer import wer

        return lambda p, r: wer(p, r, normalizer=self.normalizer)


class CharErrorRate(WordErrorRate):
    """CER as jiwer 4.0.0; refs: one string per utterance."""

    def _functional(self) -> Callable[..., MetricResult]:
        from mmbench.metrics.wer import cer

        return lambda p, r: cer(p, r, normalizer=self.normalizer)


class CIDErD(_TextMetric):
    """CIDEr-D as pycocoevalcap (document frequencies from all accumulated references)."""

    higher_is_better = True
    refs_are_lists = True

    def __init__(self, tokenizer: str = "python", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.tokenizer = tokenizer

    def _functional(self) -> Callable[..., MetricResult]:
        from mmbench.metrics.cider import cider_d

        return lambda p, r: cider_d(p, r, tokenizer=self.tokenizer)


class BLEU(CIDErD):
    """Corpus BLEU-1..4 as pycocoevalcap; refs: a list of references per example."""

    def _functional(self) -> Callable[..., MetricResult]:
        from mmbench.metrics.bleu import bleu

        return lambda p, r: bleu(p, r, tokenizer=self.tokenizer)


class ROUGE(_TextMetric):
    """ROUGE-1/2/L/Lsum as rouge-score 0.1.2; refs: a string or a list of strings per example."""

    higher_is_better = True

    def __init__(self, use_stemmer: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.use_stemmer = use_stemmer

    def _functional(self) -> Callable[..., MetricResult]:
        from mmbench.metrics.rouge import rouge

        return lambda p, r: rouge(p, r, use_stemmer=self.use_stemmer)
