"""Built-in ``av_digits``: spoken digit sequences paired with handwritten images of the same digits.

The audio is ``spoken_digits`` (espeak-ng, same kwargs); the image is a strip of 8×8
handwritten digits from scikit-learn's bundled ``load_digits`` (1,797 images, offline), one
per spoken digit, left to right, padded with blank cells to ``max_digits`` cells:
float32 (1, 8, 8·max_digits) in [0, 1]. The handwritten images are split disjointly between
train/val/test (60/15/25 %), so test images were never seen in training. In the spirit of
AV-MNIST: with clean audio the image adds little; with heavy noise it carries the identities.
"""

from __future__ import annotations

import numpy as np

from mmbench.data.asr_common import asr_meta
from mmbench.data.base import SPLITS, Splits
from mmbench.data.spoken_digits import add_split_noise, digit_utterances
from mmbench.errors import MmbenchError
from mmbench.kwarg_checks import N_EXAMPLES, SAMPLE_RATE, SEED, ranges
from mmbench.registry import DATASETS

IMAGE_FRACTIONS = {"train": 0.60, "val": 0.15, "test": 0.25}


def digit_pools(seed: int) -> tuple[np.ndarray, dict[str, dict[int, np.ndarray]]]:
    """load_digits images (N, 8, 8) in [0, 1], and per split, digit → indices of its images."""
    try:
        from sklearn.datasets import load_digits
    except ImportError as exc:
        raise MmbenchError("av_digits needs scikit-learn (pip install scikit-learn)") from exc
    data = load_digits()
    images = (data.images / 16.0).astype(np.float32)  # (1797, 8, 8)
    order = np.random.default_rng([seed, 104729]).permutation(len(images))
    pools, start = {}, 0
    for s in SPLITS:
        stop = len(order) if s == "test" else start + int(IMAGE_FRACTIONS[s] * len(order))
        idx = order[start:stop]
        pools[s] = {d: idx[data.target[idx] == d] for d in range(10)}
        start = stop
    return images, pools


@DATASETS.register("av_digits")
@ranges(
    n_train=N_EXAMPLES,
    n_val=N_EXAMPLES,
    n_test=N_EXAMPLES,
    min_digits=(1, 20),
    max_digits=(1, 20),
    rate=(80, 450),
    pitch=(0, 99),
    snr_db=(-20.0, 100.0),
    sample_rate=SAMPLE_RATE,
    seed=SEED,
)
def av_digits(
    *,
    task: str,
    n_train: int = 800,
    n_val: int = 100,
    n_test: int = 200,
    min_digits: int = 1,
    max_digits: int = 4,
    voices: list[str] | None = None,
    test_voices: list[str] | None = None,
    rate: tuple[int, int] = (130, 230),
    pitch: tuple[int, int] = (25, 75),
    snr_db: float | None = 20.0,
    sample_rate: int = 16000,
    spec_augment: bool | dict | None = None,
    seed: int = 0,
) -> Splits:
    """``spoken_digits`` audio (same kwargs) + an image strip of the same handwritten digits."""
    n = {"train": n_train, "val": n_val, "test": n_test}
    examples = digit_utterances(
        n, seed=seed, sample_rate=sample_rate, min_digits=min_digits, max_digits=max_digits,
        voices=voices, test_voices=test_voices, rate=tuple(rate), pitch=tuple(pitch),
    )  # fmt: skip
    add_split_noise(examples, snr_db, seed)
    images, pools = digit_pools(seed)
    for k, s in enumerate(SPLITS):
        rng = np.random.default_rng([seed, 15485863, k])
        for ex in examples[s]:
            strip = np.zeros((1, 8, 8 * max_digits), np.float32)
            for j, d in enumerate(ex["digits"]):
                strip[0, :, 8 * j : 8 * j + 8] = images[rng.choice(pools[s][d])]
            ex["image"] = strip
    meta = asr_meta(sample_rate, spec_augment, source="espeak-ng + sklearn digits", snr_db=snr_db)
    return Splits(examples["train"], examples["val"], examples["test"], meta)


av_digits.tasks = ("asr",)
