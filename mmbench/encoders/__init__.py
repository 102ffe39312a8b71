"""Encoders: one file per encoder, registered by its file stem.

Importing this package registers them; adding an encoder adds one import line here.
``minilm`` registers always but imports its optional dependencies only when built.
"""

from mmbench.encoders import bow, cnn, gru, minilm, mlp, transformer, vit  # noqa: F401
from mmbench.encoders import conformer, mel_cnn, mel_gru  # noqa: F401  audio
