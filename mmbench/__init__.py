"""mmbench: multimodal fusion benchmarks with official metrics, MLflow tracking and leaderboards."""

__version__ = "0.1.0"
