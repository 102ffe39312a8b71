"""Dataset builders and loaders: one file per dataset. Importing this package registers them."""

from mmbench.data import (
    easy_vqa,  # noqa: F401  registers "easy_vqa"
    shapes,  # noqa: F401  registers "shapes"
    shapes_nmn,  # noqa: F401  registers "shapes_nmn"
)
