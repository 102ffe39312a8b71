"""Heads: one file per head, registered by its file stem."""

from mmbench.heads import (  # noqa: F401
    classifier,
    ctc,
    gru_decoder,
    transformer_decoder,
)
