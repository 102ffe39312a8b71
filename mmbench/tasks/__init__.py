"""Tasks: data → tensors, loss, decoding, metrics. One file per task."""

from mmbench.tasks import asr, captioning, summarization, vqa  # noqa: F401
