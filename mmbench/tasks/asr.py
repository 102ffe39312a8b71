"""Speech recognition: audio (optionally with images) → text, CTC over characters.

Examples are dicts ``{"id", "audio": float32 waveform at meta["sample_rate"], "text": str}``
plus optional ``"image"`` (float32 (C, H, W) in [0, 1]) and ``"speaker"``; with
``dataset.kwargs.lazy`` the audio is an :class:`mmbench.data.lazy_audio.AudioRef`, read per
batch. The task computes log-mel features (per-utterance normalised), trains a CTC head over the
characters of the training transcripts (index 0 = blank), decodes greedily or by prefix beam
search (the head's ``decoder``), and scores WER/MER/WIL and CER with the jiwer-exact metrics.

CTC emits one symbol per frame of the fused sequence, so the fusion must keep the audio time
axis: the spec must name a fusion that takes ``primary`` and set ``primary: audio``.
"""

from __future__ import annotations

import inspect
import logging
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F

from mmbench.audio.augment import spec_augment
from mmbench.audio.features import LogMel, UtteranceFeatures, pad_stack
from mmbench.data.lazy_audio import AudioRef, LazyAudio
from mmbench.data.lazy_column import all_refs
from mmbench.encoders.base import ModalityInput
from mmbench.errors import MmbenchError
from mmbench.registry import ENCODERS, FUSIONS, TASKS
from mmbench.tasks.base import Task

log = logging.getLogger(__name__)
BLANK = "<blank>"


def axis_keeping_fusions() -> list[str]:
    """Registered fusions that accept ``primary`` (can keep one modality's time axis)."""
    return [n for n in FUSIONS.names() if "primary" in inspect.signature(FUSIONS.get(n)).parameters]


@TASKS.register("asr")
class AsrTask(Task):
    """Speech recognition with a CTC head over characters, scored by WER and CER."""

    name = "asr"
    inputs = {"audio": "audio", "image": "image"}
    input_fields = {"audio": "audio", "image": "image"}
    image_layouts = {"image": "CHW"}  # float32 (C, H, W) in [0, 1]
    heads = ("ctc",)
    metrics = ("wer", "cer")
    default_metrics = ("wer", "cer")
    primary_metric = "wer"
    group_keys = ("speaker",)

    @classmethod
    def spec_problems(cls, spec) -> list[str]:
        problems = super().spec_problems(spec)
        if spec.model.encoders and "audio" not in spec.model.encoders:
            problems.append("model.encoders.audio: task 'asr' needs an audio encoder")
        fusion = spec.model.fusion
        if fusion.name in FUSIONS:
            keeping = axis_keeping_fusions()
            if fusion.name not in keeping:
                problems.append(
                    f"model.fusion.name: fusion '{fusion.name}' cannot keep the audio time axis "
                    f"that CTC needs (fusions that can: {', '.join(keeping)}; "
                    f"set kwargs: {{primary: audio}})"
                )
            elif fusion.kwargs.get("primary") != "audio":
                problems.append(
                    f"model.fusion.kwargs.primary: task 'asr' needs the fused sequence on the "
                    f"audio time axis; found {fusion.kwargs.get('primary')!r}, "
                    f"set model.fusion.kwargs.primary: audio"
                )
        return problems

    # ---- data ------------------------------------------------------------------------------
    def prepare(self, splits) -> None:
        super().prepare(splits)
        meta = splits.meta
        if "sample_rate" not in meta:
            raise MmbenchError("dataset: an ASR dataset must state meta['sample_rate']")
        self.sample_rate = int(meta["sample_rate"])
        self.n_mels = int(meta.get("n_mels", 40))
        self.augment = meta.get("spec_augment")  # kwargs of spec_augment, or None
        self.featurizer = LogMel(self.sample_rate, self.n_mels)
        # encoders with input_form "waveform" (hf_audio) read samples, not log-mel frames
        audio_enc = self.spec.model.encoders.get("audio")
        self.waveform = audio_enc is not None and (
            getattr(ENCODERS.get(audio_enc.name), "input_form", "") == "waveform"
        )
        self.features = UtteranceFeatures(self.featurizer, self.waveform)
        chars = sorted({c for ex in splits.train for c in ex["text"]})
        self.alphabet = [BLANK, *chars]
        self.char_index = {c: i for i, c in enumerate(self.alphabet)}
        self.use_image = "image" in self.spec.model.encoders
        if self.use_image and "image" not in splits.train[0]:
            raise MmbenchError(
                f"model.encoders.image: dataset '{self.spec.dataset.name}' has no images "
                "(use av_digits, or set model.encoders.image: null)"
            )
        self.image_shape = tuple(splits.train[0]["image"].shape) if self.use_image else ()
        self._cache: dict[str, dict[str, torch.Tensor]] = {}

    def input_specs(self) -> dict[str, ModalityInput]:
        if self.waveform:
            audio = ModalityInput("audio", shape=(1,), extra={"sample_rate": self.sample_rate})
        else:
            audio = ModalityInput("audio", shape=(self.n_mels,))
        specs = {"audio": audio}
        if self.use_image:
            specs["image"] = ModalityInput("image", shape=self.image_shape)
        return specs

    def num_outputs(self) -> int:
        return len(self.alphabet)

    def encode_text(self, text: str) -> list[int]:
        """Character ids of ``text``; characters unseen in training are dropped."""
        return [self.char_index[c] for c in text if c in self.char_index]

    def tensors(self, split: str) -> dict[str, torch.Tensor]:
        if split in self._cache:
            return self._cache[split]
        exs = self.examples(split)
        if not exs:
            raise MmbenchError(f"dataset: split '{split}' is empty")
        ids = [torch.tensor(self.encode_text(e["text"]), dtype=torch.long) for e in exs]
        unknown = sum(len(e["text"]) - len(i) for e, i in zip(exs, ids))
        if unknown:
            log.warning(
                "%s: %d characters not in the training alphabet were dropped", split, unknown
            )
        target, target_len = pad_stack(
            [i if len(i) else torch.zeros(0, dtype=torch.long) for i in ids]
        )
        out = {
            **self.input_tensors(exs),
            "target": target,  # (N, S) ids, 0-padded
            "target_len": target_len,
            "index": torch.arange(len(exs)),
        }
        self._cache[split] = out
        return out

    def input_tensors(self, examples: list[dict]) -> dict[str, torch.Tensor | LazyAudio]:
        """``audio`` (N, T, F) frames or (N, S) samples, zero-padded, and ``audio_len`` (N,);
        ``audio`` is a :class:`LazyAudio` column when every example refers to its file
        (``dataset.kwargs.lazy``): its batches equal this tensor's after ``model_inputs``."""
        waves = [e["audio"] for e in examples]
        if all_refs(waves, AudioRef):
            column = LazyAudio(waves, self.features)
            out = {"audio": column, "audio_len": column.lengths}
        else:  # in memory (also a lazy split's corrupted copies: every wave already read)
            audio, audio_len = self.features.stack([np.asarray(w) for w in waves])
            out = {"audio": audio, "audio_len": audio_len}
        if self.use_image:
            out["image"] = torch.stack([torch.as_tensor(e["image"]) for e in examples]).float()
        return out

    def model_inputs(self, batch: dict[str, torch.Tensor]) -> dict[str, tuple]:
        t = int(batch["audio_len"].max())
        x = batch["audio"][:, :t]  # (B, T, F): trim the split-wide padding
        mask = torch.arange(t, device=x.device) < batch["audio_len"][:, None]
        inputs = {"audio": (x, mask)}
        if self.use_image:
            inputs["image"] = (batch["image"], None)
        return inputs

    # ---- learning and evaluation -------------------------------------------------------------
    def forward(self, model, batch, drop=frozenset()) -> dict[str, torch.Tensor]:
        inputs = self.model_inputs(batch)
        if model.training and self.augment and not self.waveform:
            x, mask = inputs["audio"]
            inputs["audio"] = (spec_augment(x, mask.sum(1), **self.augment), mask)
        fused, mask = model.fuse(inputs, drop)
        return {"log_probs": model.head(fused, mask), "lengths": mask.sum(1)}  # (B, T, V), (B,)

    def loss(
        self, outputs: dict[str, torch.Tensor], batch: dict[str, torch.Tensor]
    ) -> torch.Tensor:
        lp = outputs["log_probs"]
        return F.ctc_loss(
            lp.transpose(0, 1),  # (T, B, V)
            batch["target"],
            outputs["lengths"],
            batch["target_len"],
            blank=0,
            reduction="mean",
            zero_infinity=True,
        )

    def predict(self, outputs, batch, model=None, drop=frozenset()) -> list[str]:
        head = getattr(model, "head", None)
        if head is not None and hasattr(head, "decode"):
            seqs = head.decode(outputs["log_probs"], outputs["lengths"])
        else:
            from mmbench.heads.ctc_decoding import greedy_decode

            seqs = greedy_decode(outputs["log_probs"], outputs["lengths"])
        return [" ".join("".join(self.alphabet[i] for i in s).split()) for s in seqs]

    def metric_references(self, split: str) -> list[Any]:
        return [e["text"] for e in self.examples(split)]

    def prediction_records(self, predictions: list[Any], split: str) -> list[dict]:
        return [
            {"id": e["id"], "prediction": p, "reference": e["text"], "speaker": e.get("speaker")}
            for e, p in zip(self.examples(split), predictions)
        ]

    def state(self) -> dict[str, Any]:
        return {"alphabet": self.alphabet, "sample_rate": self.sample_rate, "n_mels": self.n_mels}

    def restore(self, state: dict[str, Any]) -> None:
        """The trained alphabet decodes; the audio must be featurised as in training."""
        for key in ("sample_rate", "n_mels"):
            if int(state[key]) != int(getattr(self, key)):
                raise MmbenchError(
                    f"dataset '{self.spec.dataset.name}': {key} is {getattr(self, key)}, but the "
                    f"run was trained with {key} {state[key]}; set the dataset's {key} to "
                    f"{state[key]} (e.g. --set dataset.kwargs.{key}={state[key]})"
                )
        self.alphabet = list(state["alphabet"])
        self.char_index = {c: i for i, c in enumerate(self.alphabet)}
        self._cache = {}
