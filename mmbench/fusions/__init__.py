"""Fusion methods: one file per method, registered by its file stem.

Importing this package registers them; adding a fusion adds one import line here.
"""

from mmbench.fusions import (  # noqa: F401
    attention_sum,
    bilinear,
    bottleneck,
    concat,
    cross_attention,
    film,
    gated,
    gated_cross_attention,
    late,
    low_rank_tensor,
    single_stream,
    sum,
    tensor,
)
