"""Building blocks shared by encoders, fusions and heads: masked pooling, transformer blocks.

Every component family imports these from here, never from another family's internals.
"""

from mmbench.layers.attention import AttentionBlock, sinusoidal
from mmbench.layers.pooling import masked_max, masked_mean

__all__ = ["AttentionBlock", "masked_max", "masked_mean", "sinusoidal"]
