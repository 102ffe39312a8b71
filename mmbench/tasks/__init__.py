"""Tasks: data → tensors, loss, decoding, metrics. One file per task."""

from mmbench.tasks import vqa  # noqa: F401
