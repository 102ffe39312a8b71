"""Dataset builders and loaders: one file per dataset. Importing this package registers them."""

from mmbench.data import (
    asr_manifest,  # noqa: F401  registers "asr_manifest"
    av_digits,  # noqa: F401  registers "av_digits"
    coco_captions,  # noqa: F401  registers "coco_captions"
    easy_vqa,  # noqa: F401  registers "easy_vqa"
    fsdd,  # noqa: F401  registers "fsdd"
    librispeech,  # noqa: F401  registers "librispeech"
    ljspeech,  # noqa: F401  registers "ljspeech"
    scene_summaries,  # noqa: F401  registers "scene_summaries"
    shapes,  # noqa: F401  registers "shapes"
    shapes_captions,  # noqa: F401  registers "shapes_captions"
    shapes_nmn,  # noqa: F401  registers "shapes_nmn"
    speech_commands,  # noqa: F401  registers "speech_commands"
    spoken_digits,  # noqa: F401  registers "spoken_digits"
    summarization_jsonl,  # noqa: F401  registers "summarization_jsonl"
)
