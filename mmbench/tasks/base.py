"""The task contract: raw examples → tensors, loss, predictions, metrics.

A task is registered in ``TASKS`` by name. It declares the inputs it feeds to encoders (input
name → modality kind), the heads it works with and the metrics it can report. The engine calls:

    task = TaskCls(spec); task.prepare(splits)      # vocabularies etc. from the train split
    task.input_specs() / task.num_outputs()         # what build.py needs for dimensions
    task.tensors(split) -> dict[str, Tensor]        # all examples of a split, first dim N
    task.model_inputs(batch) -> {name: (x, mask)}   # encoder inputs of one batch
    task.forward(model, batch, drop) -> outputs     # training-time outputs (teacher forcing)
    task.loss(outputs, batch) -> scalar Tensor
    task.predict(outputs, batch, model, drop) -> list   # decoded predictions
    task.evaluate(predictions, split, metrics) -> {metric: MetricResult}
"""

from __future__ import annotations

from typing import Any, ClassVar

import torch

from mmbench.corruptions.checks import corruption_problems
from mmbench.data.base import Splits
from mmbench.encoders.base import ModalityInput
from mmbench.metrics.base import MetricResult
from mmbench.registry import DATASETS, ENCODERS, FUSIONS, METRICS, did_you_mean
from mmbench.spec.schema import ExperimentSpec


def article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


class Task:
    name: ClassVar[str] = ""
    inputs: ClassVar[dict[str, str]] = {}  # input name → modality kind
    # input name → the example key holding its raw value (what corruptions change)
    input_fields: ClassVar[dict[str, str]] = {}
    # image input → layout of its raw array: "HWC" uint8 (default) or "CHW" float in [0, 1]
    image_layouts: ClassVar[dict[str, str]] = {}
    heads: ClassVar[tuple[str, ...]] = ()
    metrics: ClassVar[tuple[str, ...]] = ()
    default_metrics: ClassVar[tuple[str, ...]] = ()
    primary_metric: ClassVar[str] = ""
    # metric → fixed keyword arguments the task passes it (e.g. the tokenizer captions use)
    metric_options: ClassVar[dict[str, dict[str, Any]]] = {}
    version: ClassVar[str] = "1"
    # example keys that name the cluster an example belongs to (first one present is used):
    # examples of one cluster (questions about one image, utterances of one speaker) are not
    # independent, and the report's statistics resample clusters rather than examples
    group_keys: ClassVar[tuple[str, ...]] = ()
    id_key: ClassVar[str] = "id"  # the example key that identifies it in artifacts

    def __init__(self, spec: ExperimentSpec):
        self.spec = spec
        self.splits: Splits | None = None

    # ---- validation (no data access) ---------------------------------------------------
    @classmethod
    def spec_problems(cls, spec: ExperimentSpec) -> list[str]:
        problems: list[str] = []
        if not spec.model.encoders:
            problems.append(
                f"model.encoders: at least one encoder is needed (inputs of task "
                f"'{cls.name}': {', '.join(cls.inputs)})"
            )
        for inp, enc in spec.model.encoders.items():
            key = f"model.encoders.{inp}"
            if inp not in cls.inputs:
                problems.append(
                    f"{key}: task '{cls.name}' has no input '{inp}'"
                    f"{did_you_mean(inp, list(cls.inputs))} (inputs: {', '.join(cls.inputs)})"
                )
                continue
            if enc.name in ENCODERS:
                kind = getattr(ENCODERS.get(enc.name), "kind", "")
                want = cls.inputs[inp]
                if kind != want:
                    fitting = [
                        n for n in ENCODERS.names() if getattr(ENCODERS.get(n), "kind", "") == want
                    ]
                    problems.append(
                        f"{key}.name: '{enc.name}' is {article(kind)} {kind} encoder but "
                        f"input '{inp}' is {want} "
                        f"({want} encoders: {', '.join(fitting)})"
                    )
        if spec.model.fusion.name in FUSIONS:
            fusion = FUSIONS.get(spec.model.fusion.name)
            n = len(spec.model.encoders)
            lo = getattr(fusion, "min_modalities", 1)
            hi = getattr(fusion, "max_modalities", None)
            if n and (n < lo or (hi is not None and n > hi)):
                span = f"{lo}–{hi}" if hi is not None else f"at least {lo}"
                problems.append(
                    f"model.fusion.name: fusion '{spec.model.fusion.name}' takes {span} "
                    f"modalities; the spec has {n} ({', '.join(spec.model.encoders)})"
                )
        if cls.heads and spec.model.head.name not in cls.heads:
            problems.append(
                f"model.head.name: head '{spec.model.head.name}' does not fit task '{cls.name}'"
                f"{did_you_mean(spec.model.head.name, list(cls.heads))} "
                f"(allowed: {', '.join(cls.heads)})"
            )
        for i, metric in enumerate(spec.eval.metrics):
            if metric not in cls.metrics:
                problems.append(
                    f"eval.metrics[{i}]: task '{cls.name}' does not report '{metric}'"
                    f"{did_you_mean(metric, list(cls.metrics))} "
                    f"(available: {', '.join(cls.metrics)})"
                )
        problems += _missing_problems(spec)
        problems += corruption_problems(spec, cls.inputs, cls.name)
        if spec.dataset.name in DATASETS:
            served = getattr(DATASETS.get(spec.dataset.name), "tasks", ())
            if served and cls.name not in served:
                problems.append(
                    f"dataset.name: dataset '{spec.dataset.name}' serves {', '.join(served)}, "
                    f"not task '{cls.name}'"
                )
        return problems

    # ---- data ----------------------------------------------------------------------------
    def prepare(self, splits: Splits) -> None:
        self.splits = splits

    def examples(self, split: str) -> list[dict]:
        assert self.splits is not None, "prepare() first"
        return self.splits.get(split)

    def example_ids(self, split: str) -> list[Any]:
        """Each example's id (``id_key``; its position where an example has none), as the
        predictions and per-example artifacts name it."""
        return [e.get(self.id_key, i) for i, e in enumerate(self.examples(split))]

    def groups(self, split: str) -> list[str] | None:
        """The cluster id of each example of ``split`` (see ``group_keys``), or None when the
        task has none or some example lacks one (an empty value counts as lacking)."""
        out = []
        for example in self.examples(split):
            key = next((k for k in self.group_keys if example.get(k) not in (None, "")), None)
            if key is None:
                return None
            out.append(str(example[key]))
        return out or None

    def input_specs(self) -> dict[str, ModalityInput]:
        raise NotImplementedError

    def num_outputs(self) -> int:
        raise NotImplementedError

    def tensors(self, split: str) -> dict[str, torch.Tensor]:
        raise NotImplementedError

    def input_tensors(self, examples: list[dict]) -> dict[str, torch.Tensor]:
        """The encoder-input entries of ``tensors`` for ``examples`` (first dim N), so that
        corrupted examples can replace them in a split or a batch."""
        raise NotImplementedError

    def model_inputs(self, batch: dict[str, torch.Tensor]) -> dict[str, tuple]:
        raise NotImplementedError

    # ---- learning and evaluation --------------------------------------------------------------
    def forward(
        self,
        model: torch.nn.Module,
        batch: dict[str, torch.Tensor],
        drop: frozenset[str] = frozenset(),
    ) -> torch.Tensor:
        """Outputs the loss is computed on; generative tasks feed targets to the head here."""
        return model(self.model_inputs(batch), drop=drop)

    def loss(self, outputs: torch.Tensor, batch: dict[str, torch.Tensor]) -> torch.Tensor:
        raise NotImplementedError

    def predict(
        self,
        outputs: torch.Tensor,
        batch: dict[str, torch.Tensor],
        model: torch.nn.Module | None = None,
        drop: frozenset[str] = frozenset(),
    ) -> list[Any]:
        """Decoded predictions of one batch (generative tasks decode with ``model``)."""
        raise NotImplementedError

    def metric_references(self, split: str) -> list[Any]:
        """The references of a split in the form the task's metrics take (one per example)."""
        raise NotImplementedError

    def metric_predictions(self, predictions: list[Any]) -> list[Any]:
        """Predictions in the form the metrics take (default: as decoded)."""
        return list(predictions)

    def metric_kwargs(self, metric: str, split: str) -> dict[str, Any]:
        """Keyword arguments this task passes to ``metric`` (default: :attr:`metric_options`)."""
        return dict(self.metric_options.get(metric, {}))

    def evaluate(
        self, predictions: list[Any], split: str, metrics: list[str]
    ) -> dict[str, MetricResult]:
        """Every metric the spec asks for (validated against :attr:`metrics`), each computed by
        the registered metric on this task's predictions and references."""
        preds = self.metric_predictions(predictions)
        refs = self.metric_references(split)
        return {
            name: METRICS.get(name, "eval.metrics")(preds, refs, **self.metric_kwargs(name, split))
            for name in metrics
        }

    def prediction_records(self, predictions: list[Any], split: str) -> list[dict]:
        """Rows for the predictions artifact (ids, prediction, references)."""
        raise NotImplementedError

    def state(self) -> dict[str, Any]:
        """What a checkpoint must carry to decode the same way later (vocabularies)."""
        return {}

    def restore(self, state: dict[str, Any]) -> None:
        """After :meth:`prepare` on another dataset: take the trained run's :meth:`state`
        (its vocabularies, answer set, image statistics) instead of the ones fitted on this
        dataset's training split, so the checkpoint's weights mean the same thing."""
        if state:
            raise NotImplementedError(f"task '{self.name}' cannot restore a checkpoint's state")


def _missing_problems(spec: ExperimentSpec) -> list[str]:
    """``eval.missing`` and ``train.modality_dropout`` may name only inputs the model encodes,
    each leaving another one."""
    encoded = list(spec.model.encoders)
    problems = []
    keys = [f"eval.missing[{i}]" for i in range(len(spec.eval.missing))]
    keys += [f"train.modality_dropout.{name}" for name in spec.train.modality_dropout]
    names = [*spec.eval.missing, *spec.train.modality_dropout]
    for key, name in zip(keys, names):
        if name not in encoded:
            problems.append(
                f"{key}: '{name}' is not an input the model encodes"
                f"{did_you_mean(name, encoded)} (encoded inputs: {', '.join(encoded) or 'none'})"
            )
        elif len(encoded) < 2:
            problems.append(
                f"{key}: without '{name}' the model has no input left (it encodes only '{name}')"
            )
    return problems
