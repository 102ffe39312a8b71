"""Corruptions of raw test (or training) inputs, one file each, registered in ``CORRUPTIONS``.

Image: ``gaussian_noise``, ``occlusion``, ``blur``, ``brightness``, ``contrast``. Text:
``typos``, ``word_dropout``, ``word_shuffle``. Audio: ``white_noise``, ``babble_noise``,
``time_mask``, ``freq_mask``, ``resample``. Adding one: a file with a ``Corruption`` subclass
registered by its file stem, one import line here; the contract tests then cover it.
"""

from mmbench.corruptions import (  # noqa: F401  (imports register the corruptions)
    babble_noise,
    blur,
    brightness,
    contrast,
    freq_mask,
    gaussian_noise,
    occlusion,
    resample,
    time_mask,
    typos,
    white_noise,
    word_dropout,
    word_shuffle,
)
from mmbench.corruptions.base import Corruption, format_level, seed_of

__all__ = ["Corruption", "format_level", "seed_of"]
