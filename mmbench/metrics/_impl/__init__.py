"""Private machinery behind the public metrics: bit-parallel LCS, Porter stems, n-gram tables,
the COCO input pipeline and the allocator priming. Import the metrics from ``mmbench.metrics``.
"""
