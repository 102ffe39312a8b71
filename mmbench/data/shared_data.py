"""Where third-party data sets live: ``$MMBENCH_SHARED_DATA``, else ``<repo>/../shared/data``.

mmbench never needs them (the built-in sets are generated); loaders of real sets take a ``root``
kwarg and default to a folder under this directory. Nothing from there is copied into the project.
"""

from __future__ import annotations

import os
from pathlib import Path

ENV_VAR = "MMBENCH_SHARED_DATA"


def shared_data_dir() -> Path:
    """The folder holding third-party data sets (it may not exist)."""
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser()
    return Path(__file__).resolve().parents[3] / "shared" / "data"


def dataset_root(root: str | None, default_name: str) -> Path:
    """``root`` if given, else ``shared_data_dir() / default_name``."""
    return Path(root).expanduser() if root else shared_data_dir() / default_name
