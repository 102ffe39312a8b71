"""Encoders: one file per encoder, registered by its file stem.

Importing this package registers them; adding an encoder adds one import line here.
``minilm`` and ``hf_*`` register always but imports its optional dependencies only when built.
"""

from mmbench.encoders import (  # noqa: F401  # noqa: F401  audio
    bow,
    cnn,
    conformer,
    gru,
    hf_audio,
    hf_image,
    hf_text,
    mel_cnn,
    mel_gru,
    minilm,
    mlp,
    transformer,
    vit,
)
