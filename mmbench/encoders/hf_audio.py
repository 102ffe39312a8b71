"""Audio encoder: any Hugging Face transformers speech model (extra ``mmbench[hf]``)."""

from __future__ import annotations

import math

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from mmbench.encoders import _hf
from mmbench.encoders.base import Encoder, ModalityInput
from mmbench.kwarg_checks import ranges
from mmbench.registry import ENCODERS


@ENCODERS.register("hf_audio")
@ranges(dim=(0, 8192), layer=(-1000, 1000))  # dim 0: no projection
class HfAudioEncoder(Encoder):
    """A pretrained speech encoder from ``transformers``, with its own feature extractor.

    wav2vec 2.0 (Baevski et al. 2020, NeurIPS), HuBERT (Hsu et al. 2021, TASLP) and Whisper's
    encoder (Radford et al. 2023, ICML; encoder-decoder checkpoints keep the encoder):
    whatever ``AutoModel`` loads from ``model`` (a ``save_pretrained`` folder or a hub id in
    the local cache).

    Unlike the log-mel encoders it reads **waveforms** (``input_form = "waveform"``): x (B, S)
    or (B, S, 1) samples at ``inp.extra["sample_rate"]`` Hz with mask (B, S). Each row's valid
    samples are resampled (linear interpolation) to the extractor's rate and given to the
    extractor (normalisation for wav2vec2, 30 s log-mel for Whisper). States of ``layer``
    (B, T', H) with the frames that cover real audio marked valid → ``pooling`` → Linear →
    (B, T', D); ``dim: 0`` keeps the width. ``frozen: true`` freezes the model.
    """

    kind = "audio"
    input_form = "waveform"
    pretrained = True

    def __init__(
        self,
        inp: ModalityInput,
        dim: int = 128,
        model: str | None = None,
        pooling: str = "none",
        layer: int = -1,
    ):
        super().__init__()
        _hf.check_options("hf_audio", pooling, layer)
        self.extractor, self.net, self.source = _hf.load("hf_audio", model)
        self.in_rate = int(inp.extra.get("sample_rate", self.extractor.sampling_rate))
        self.rate = int(self.extractor.sampling_rate)
        self.pooling, self.layer = pooling, layer
        width = int(getattr(self.net.config, "hidden_size", 0) or self.net.config.d_model)
        self.proj = nn.Linear(width, dim) if dim else nn.Identity()
        self.out_dim = dim or width
        self.preprocessing = {"extractor": self.extractor.to_dict(), "in_rate": self.in_rate}

    def _resample(self, wave: torch.Tensor) -> torch.Tensor:
        if self.in_rate == self.rate or wave.numel() < 2:
            return wave
        n = max(2, round(wave.numel() * self.rate / self.in_rate))
        return F.interpolate(wave.view(1, 1, -1), size=n, mode="linear", align_corners=True)[0, 0]

    def forward(
        self, x: torch.Tensor, mask: torch.Tensor | None = None
    ) -> tuple[torch.Tensor, torch.Tensor]:
        x = x.squeeze(-1) if x.dim() == 3 else x  # (B, S)
        mask = torch.ones_like(x, dtype=torch.bool) if mask is None else mask.bool()
        lengths = mask.sum(1).tolist()
        # an empty row (a missing recording) is given 25 ms of silence; its mask stays empty
        waves = [
            self._resample(row[: int(n)].float().cpu()).numpy() if n else np.zeros(self.rate // 40)
            for row, n in zip(x, lengths)
        ]
        key = self.extractor.model_input_names[0]  # input_values | input_features
        feats = self.extractor(
            waves,
            sampling_rate=self.rate,
            # Whisper's encoder takes exactly 30 s of log-mel frames; wav2vec2 the longest row
            padding="max_length" if key == "input_features" else True,
            return_attention_mask=True,
            return_tensors="pt",
        )
        values = feats[key].to(x.device)
        kwargs = {}
        if "attention_mask" in feats and key == "input_values":
            kwargs["attention_mask"] = feats["attention_mask"].to(x.device)
        trainable = any(p.requires_grad for p in self.net.parameters())
        with torch.set_grad_enabled(trainable and torch.is_grad_enabled()):
            out = self.net(values, output_hidden_states=self.layer != -1, **kwargs)
        h = _hf.states(out, self.layer)  # (B, T', H)
        seen = values.shape[-1] * (1 if key == "input_values" else self.extractor.hop_length)
        valid = [
            min(h.shape[1], max(1, math.ceil(h.shape[1] * len(w) / max(seen, 1)))) if n else 0
            for w, n in zip(waves, lengths)
        ]
        frame_mask = torch.arange(h.shape[1], device=x.device) < torch.tensor(
            valid, device=x.device
        ).unsqueeze(1)
        h, out_mask = _hf.pool(h, frame_mask, self.pooling, out)
        return self.proj(h).masked_fill(~out_mask.unsqueeze(-1), 0.0), out_mask
