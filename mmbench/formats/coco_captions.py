"""The COCO caption annotation file (``captions_*.json``): the one reader, used by the
``coco_captions`` dataset loader and by ``mmbench eval captioning``.

Layout::

    {"images": [{"id", "file_name", …}], "annotations": [{"image_id", "caption", "id"?}], …}

Problems name the file and the positions of the offending records, in the style of
:mod:`mmbench.formats.readers`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mmbench.formats.readers import ID, expect_key_list, field_errors


def captions_by_image(data: Any, path: str | Path) -> dict[Any, list[str]]:
    """Reference captions per ``image_id``, in file order."""
    anns = expect_key_list(data, "annotations", path, "captions")
    field_errors(anns, path, {"image_id": ID, "caption": str})
    refs: dict[Any, list[str]] = {}
    for a in anns:
        refs.setdefault(a["image_id"], []).append(a["caption"])
    return refs


def images(data: Any, path: str | Path) -> list[dict]:
    """The ``images`` list, each entry with an ``id`` and a ``file_name``."""
    entries = expect_key_list(data, "images", path, "images")
    field_errors(entries, path, {"id": ID, "file_name": str})
    return entries
