"""Built-in ``spoken_digits``: digit sequences spoken by espeak-ng in varied voices, plus noise.

Every utterance is 1–4 digit words ("three one four") synthesised offline with the espeak-ng
library shipped by ``espeakng-loader`` (pinned; see :mod:`mmbench.audio.tts`), with a voice,
speaking rate and pitch drawn per utterance, a random lead-in silence and gain, resampled to the
common rate, then (optionally) white noise at ``snr_db``. Everything is drawn from ``seed``.
The clean audio is cached under ``datasets/.cache/spoken_digits/`` keyed by the parameters that
shape it, so a repeated run or a sweep synthesises nothing; noise is added after the cache.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from pathlib import Path

import numpy as np

from mmbench.audio.augment import add_noise
from mmbench.audio.io import resample
from mmbench.audio.tts import PINNED_VERSION, synthesize
from mmbench.data.asr_common import asr_meta
from mmbench.data.base import SPLITS, Splits
from mmbench.errors import MmbenchError
from mmbench.kwarg_checks import N_EXAMPLES, SAMPLE_RATE, SEED, ranges
from mmbench.registry import DATASETS

log = logging.getLogger(__name__)
WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
VOICES = ("en", "en-us", "en-us+f3", "en+klatt4", "en+m3", "en-gb-x-rp", "en-gb-scotland", "en-029")
GENERATOR_VERSION = "1"  # bump when the synthesis recipe changes (invalidates the cache)


def cache_root() -> Path:
    """``$MMBENCH_CACHE_DIR`` if set, else ``<repo>/datasets/.cache`` (gitignored)."""
    env = os.environ.get("MMBENCH_CACHE_DIR")
    return Path(env) if env else Path(__file__).resolve().parents[2] / "datasets" / ".cache"


def _plan(
    n: int, rng: np.random.Generator, voices, min_digits, max_digits, rate, pitch
) -> list[dict]:
    plan = []
    for _ in range(n):
        digits = rng.integers(0, 10, int(rng.integers(min_digits, max_digits + 1))).tolist()
        plan.append(
            {
                "digits": digits,
                "voice": str(voices[int(rng.integers(len(voices)))]),
                "rate": int(rng.integers(rate[0], rate[1] + 1)),
                "pitch": int(rng.integers(pitch[0], pitch[1] + 1)),
                "pause": bool(rng.random() < 0.5),  # commas make espeak pause between digits
                "lead_ms": float(rng.uniform(0, 150)),
                "gain": float(rng.uniform(0.5, 1.0)),
            }
        )
    return plan


def _render(item: dict, sample_rate: int) -> np.ndarray:
    text = (", " if item["pause"] else " ").join(WORDS[d] for d in item["digits"])
    wave, sr = synthesize(text, item["voice"], item["rate"], item["pitch"])
    wave = resample(wave, sr, sample_rate)
    peak = float(np.abs(wave).max()) or 1.0
    lead = np.zeros(int(sample_rate * item["lead_ms"] / 1000), np.float32)
    return np.concatenate([lead, wave * (item["gain"] / peak)]).astype(np.float32)


def _load_or_render(key: str, plans: dict[str, list[dict]], sample_rate: int) -> dict[str, list]:
    path = cache_root() / "spoken_digits" / f"{key}.npz"
    if path.exists():
        data = np.load(path)
        return {
            s: [
                w.astype(np.float32) / 32767.0
                for w in np.split(data[s], data[f"{s}_offsets"][1:-1])
            ][: len(plans[s])]  # an empty split splits into one empty piece
            for s in plans
        }
    t0 = time.perf_counter()
    waves = {s: [_render(item, sample_rate) for item in plan] for s, plan in plans.items()}
    log.info(
        "spoken_digits: synthesised %d utterances in %.1f s",
        sum(map(len, waves.values())),
        time.perf_counter() - t0,
    )
    arrays = {}
    for s, ws in waves.items():
        pcm = [np.round(np.clip(w, -1, 1) * 32767).astype(np.int16) for w in ws]
        arrays[s] = np.concatenate(pcm) if pcm else np.zeros(0, np.int16)  # 16-bit: half the size
        arrays[f"{s}_offsets"] = np.cumsum([0] + [len(w) for w in ws])
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{key}.{os.getpid()}.tmp.npz")  # one per process
    np.savez(tmp, **arrays)
    tmp.replace(path)  # atomic: parallel sweep workers never read a half-written file
    return {
        s: [np.round(np.clip(w, -1, 1) * 32767).astype(np.float32) / 32767.0 for w in ws]
        for s, ws in waves.items()
    }  # the same values as a later cache hit


def digit_utterances(
    n: dict[str, int],
    *,
    seed: int,
    sample_rate: int,
    min_digits: int,
    max_digits: int,
    voices: list[str] | None,
    test_voices: list[str] | None,
    rate: tuple[int, int],
    pitch: tuple[int, int],
) -> dict[str, list[dict]]:
    """Clean utterances per split: dicts with id, audio, text, digits, voice (speaker)."""
    if not 1 <= min_digits <= max_digits:
        raise MmbenchError(
            f"dataset kwargs: need 1 ≤ min_digits ≤ max_digits, got {min_digits}, {max_digits}"
        )
    voices = list(voices or VOICES)
    held = list(test_voices or [])
    seen = [v for v in voices if v not in held] or voices
    rng = np.random.default_rng(seed)
    plans = {
        s: _plan(
            n[s], rng, held if (s == "test" and held) else seen, min_digits, max_digits, rate, pitch
        )
        for s in SPLITS
    }
    params = {
        "plans": plans, "sample_rate": sample_rate, "espeakng_loader": PINNED_VERSION,
        "generator": GENERATOR_VERSION,
    }  # fmt: skip
    key = hashlib.sha256(json.dumps(params, sort_keys=True).encode()).hexdigest()[:16]
    waves = _load_or_render(key, plans, sample_rate)
    return {
        s: [
            {
                "id": f"{s}-{i:05d}",
                "audio": w,
                "text": " ".join(WORDS[d] for d in item["digits"]),
                "digits": item["digits"],
                "speaker": item["voice"],
            }
            for i, (item, w) in enumerate(zip(plans[s], waves[s]))
        ]
        for s in SPLITS
    }


def add_split_noise(examples: dict[str, list[dict]], snr_db: float | None, seed: int) -> None:
    """Add white noise at ``snr_db`` to every utterance, in place, deterministically from seed."""
    if snr_db is None:
        return
    for k, s in enumerate(SPLITS):
        rng = np.random.default_rng([seed, 7919, k])
        for ex in examples[s]:
            ex["audio"] = add_noise(ex["audio"], snr_db, rng)


@DATASETS.register("spoken_digits")
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
def spoken_digits(
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
    """Spoken digit sequences synthesised with espeak-ng (see the module docstring).

    ``voices`` espeak-ng voice names to draw from (default: 8 English voices); ``test_voices``
    voices used only in the test split (held-out speakers); ``rate`` words/minute and ``pitch``
    (0–100) ranges; ``snr_db`` white-noise level for all splits (null = clean);
    ``spec_augment`` SpecAugment in training (true or a dict of its settings).
    """
    n = {"train": n_train, "val": n_val, "test": n_test}
    examples = digit_utterances(
        n, seed=seed, sample_rate=sample_rate, min_digits=min_digits, max_digits=max_digits,
        voices=voices, test_voices=test_voices, rate=tuple(rate), pitch=tuple(pitch),
    )  # fmt: skip
    add_split_noise(examples, snr_db, seed)
    meta = asr_meta(sample_rate, spec_augment, source="espeak-ng", snr_db=snr_db)
    return Splits(examples["train"], examples["val"], examples["test"], meta)


spoken_digits.tasks = ("asr",)
