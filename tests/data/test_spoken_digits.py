"""Built-in spoken_digits / av_digits: deterministic, cached, consistent text, audio and images."""

from __future__ import annotations

import numpy as np
import pytest

import mmbench.data.spoken_digits as sd
from mmbench.data.av_digits import av_digits
from mmbench.data.spoken_digits import WORDS, spoken_digits

pytest.importorskip("espeakng_loader")
SMALL = {"n_train": 6, "n_val": 2, "n_test": 3, "max_digits": 3, "sample_rate": 8000}


@pytest.fixture(autouse=True)
def cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("MMBENCH_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_deterministic_cached_and_noise_applied_after_the_cache(cache_dir, monkeypatch):
    a = spoken_digits(task="asr", seed=4, snr_db=None, **SMALL)
    assert len(list((cache_dir / "spoken_digits").glob("*.npz"))) == 1
    calls = []
    monkeypatch.setattr(sd, "synthesize", lambda *a, **k: calls.append(a))
    b = spoken_digits(task="asr", seed=4, snr_db=None, **SMALL)  # a cache hit: no synthesis
    assert not calls
    for x, y in zip(a.train + a.test, b.train + b.test):
        assert x["text"] == y["text"] and np.array_equal(x["audio"], y["audio"])
    noisy = spoken_digits(task="asr", seed=4, snr_db=0.0, **SMALL)
    assert not calls
    x, y = a.train[0]["audio"], noisy.train[0]["audio"]
    snr = 10 * np.log10(np.mean(x.astype(float) ** 2) / np.mean((y - x).astype(float) ** 2))
    assert snr == pytest.approx(0.0, abs=0.5)
    assert a.meta["sample_rate"] == 8000 and noisy.meta["snr_db"] == 0.0


def test_texts_are_digit_words_and_audio_is_speech_like():
    s = spoken_digits(task="asr", seed=1, snr_db=None, **SMALL)
    assert [len(s.train), len(s.val), len(s.test)] == [6, 2, 3]
    for ex in s.train + s.val + s.test:
        assert ex["text"] == " ".join(WORDS[d] for d in ex["digits"])
        assert 1 <= len(ex["digits"]) <= 3
        seconds = len(ex["audio"]) / 8000
        assert 0.2 * len(ex["digits"]) < seconds < 1.5 * len(ex["digits"]) + 0.5
        assert ex["audio"].dtype == np.float32 and np.abs(ex["audio"]).max() <= 1.0
    other = spoken_digits(task="asr", seed=2, snr_db=None, **SMALL)
    assert [e["text"] for e in other.train] != [e["text"] for e in s.train]


def test_held_out_test_voices():
    s = spoken_digits(task="asr", seed=0, snr_db=None, test_voices=["en-us+f3"], **SMALL)
    assert {e["speaker"] for e in s.test} == {"en-us+f3"}
    assert "en-us+f3" not in {e["speaker"] for e in s.train + s.val}


def test_av_digits_images_show_the_spoken_digits():
    from sklearn.datasets import load_digits

    data = load_digits()
    images = data.images / 16.0
    s = av_digits(task="asr", seed=0, snr_db=None, **SMALL)
    used = {}
    for split in ("train", "val", "test"):
        for ex in s.get(split):
            strip = ex["image"]
            assert strip.shape == (1, 8, 24) and strip.dtype == np.float32
            for j in range(3):
                cell = strip[0, :, 8 * j : 8 * j + 8]
                if j >= len(ex["digits"]):
                    assert not cell.any()
                    continue
                match = np.flatnonzero(np.abs(images - cell).reshape(len(images), -1).max(1) < 1e-6)
                assert len(match) and data.target[match[0]] == ex["digits"][j]
                used.setdefault(split, set()).update(match.tolist())
    # the handwritten images of different splits are disjoint
    assert not (used["train"] & used.get("test", set()))
