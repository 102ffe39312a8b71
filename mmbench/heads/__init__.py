"""Heads: one file per head, registered by its file stem."""

from mmbench.heads import classifier  # noqa: F401
