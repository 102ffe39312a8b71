"""Tiny randomly initialised transformers models, saved with ``save_pretrained`` (offline, fast).

Each is written once per test session into a temporary folder and then loaded by the encoders
through their real loading code (``AutoModel`` / ``AutoTokenizer`` / … ``from_pretrained``).
"""

from __future__ import annotations

import functools
import tempfile
from pathlib import Path

WORDS = (
    "what colour is the small red square left of a circle how many shape blue green big "
    "triangle right there"
).split()


@functools.cache
def tiny(kind: str, seed: int = 0) -> str:
    """Folder of a tiny model: ``bert``, ``vit``, ``resnet``, ``convnext``, ``clip``,
    ``dinov2``, ``wav2vec2``, ``hubert``, ``whisper``."""
    import torch
    import transformers as tf

    torch.manual_seed(seed)
    out = Path(tempfile.mkdtemp(prefix=f"mmbench-hf-{kind}-"))
    small = dict(num_hidden_layers=2, num_attention_heads=2, intermediate_size=64)
    if kind == "bert":
        words = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *WORDS]
        tf.BertTokenizer(vocab={w: i for i, w in enumerate(words)}).save_pretrained(out)
        model = tf.BertModel(tf.BertConfig(vocab_size=len(WORDS) + 5, hidden_size=32, **small))
    elif kind in ("vit", "dinov2"):
        cfg_cls, model_cls = (
            (tf.ViTConfig, tf.ViTModel) if kind == "vit" else (tf.Dinov2Config, tf.Dinov2Model)
        )
        model = model_cls(cfg_cls(hidden_size=32, image_size=32, patch_size=8, **small))
        tf.ViTImageProcessor(size={"height": 32, "width": 32}).save_pretrained(out)
    elif kind == "clip":
        model = tf.CLIPModel(
            tf.CLIPConfig(
                text_config=dict(
                    hidden_size=32, vocab_size=50, bos_token_id=0, eos_token_id=1, **small
                ),
                vision_config=dict(hidden_size=32, image_size=32, patch_size=8, **small),
                projection_dim=16,
            )
        )
        tf.CLIPImageProcessor(size={"shortest_edge": 32}, crop_size=32).save_pretrained(out)
    elif kind in ("resnet", "convnext"):
        cfg_cls, model_cls = (
            (tf.ResNetConfig, tf.ResNetModel)
            if kind == "resnet"
            else (tf.ConvNextConfig, tf.ConvNextModel)
        )
        kw = dict(hidden_sizes=[8, 16], depths=[1, 1], num_stages=2)
        if kind == "resnet":
            kw["embedding_size"] = 8
        model = model_cls(cfg_cls(**kw))
        tf.ConvNextImageProcessor(size={"shortest_edge": 32}, crop_pct=1.0).save_pretrained(out)
    elif kind in ("wav2vec2", "hubert"):
        cfg_cls, model_cls = (
            (tf.Wav2Vec2Config, tf.Wav2Vec2Model)
            if kind == "wav2vec2"
            else (tf.HubertConfig, tf.HubertModel)
        )
        cfg = cfg_cls(
            hidden_size=32,
            conv_dim=(16, 16),
            conv_stride=(5, 4),
            conv_kernel=(10, 8),
            num_conv_pos_embeddings=16,
            num_conv_pos_embedding_groups=2,
            feat_extract_norm="layer",
            **small,
        )
        model = model_cls(cfg)
        tf.Wav2Vec2FeatureExtractor(return_attention_mask=True).save_pretrained(out)
    elif kind == "whisper":
        model = tf.WhisperModel(
            tf.WhisperConfig(
                d_model=32,
                encoder_layers=1,
                decoder_layers=1,
                encoder_attention_heads=2,
                decoder_attention_heads=2,
                encoder_ffn_dim=64,
                decoder_ffn_dim=64,
                vocab_size=64,
                pad_token_id=0,
                bos_token_id=1,
                eos_token_id=2,
                decoder_start_token_id=1,
            )
        )
        tf.WhisperFeatureExtractor().save_pretrained(out)
    else:
        raise ValueError(kind)
    model.save_pretrained(out)
    return str(out)


CONTRACT = {"hf_text": "bert", "hf_image": "resnet", "hf_audio": "wav2vec2"}
