"""Reading image files for loaders: RGB, resized to a square, as (S, S, 3) uint8 arrays."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from mmbench.errors import MmbenchError


def load_image(path: Path, size: int, where: str) -> np.ndarray:
    """The image at ``path`` as RGB (size, size, 3) uint8 (bilinear resize, aspect not kept).

    ``where`` names the file and entry that refer to the image, for the error message.
    """
    from PIL import Image, UnidentifiedImageError

    if not path.is_file():
        raise MmbenchError(f"{where}: image file {path} does not exist")
    try:
        with Image.open(path) as img:
            img = img.convert("RGB").resize((size, size), Image.Resampling.BILINEAR)
            return np.asarray(img, dtype=np.uint8).copy()
    except (UnidentifiedImageError, OSError) as exc:
        raise MmbenchError(f"{where}: cannot read image {path} ({exc})") from exc
