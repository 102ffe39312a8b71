"""Audio loading (soundfile), resampling, and the handling of corrupt files."""

from __future__ import annotations

import numpy as np
import pytest
import soundfile as sf

from mmbench.audio.io import AudioReader, audio_length, load_audio, resample, resampled_length
from mmbench.errors import MmbenchError


def sine(freq, sr, seconds=0.5, phase=0.0):
    t = np.arange(int(sr * seconds)) / sr
    return np.sin(2 * np.pi * freq * t + phase).astype(np.float32)


@pytest.mark.parametrize(("sr_in", "sr_out"), [(22050, 16000), (8000, 16000), (44100, 8000)])
def test_resample_matches_the_analytic_sine(sr_in, sr_out):
    freq = 440.0
    out = resample(sine(freq, sr_in), sr_in, sr_out)
    assert abs(len(out) - len(sine(freq, sr_out))) <= 1
    ref = sine(freq, sr_out)[: len(out)]
    inner = slice(200, len(ref) - 200)  # the filter's edge effects
    assert np.max(np.abs(out[inner] - ref[inner])) < 0.02


def test_resample_removes_content_above_the_new_nyquist():
    out = resample(sine(6000.0, 16000), 16000, 8000)  # 6 kHz cannot exist at 8 kHz
    assert np.sqrt(np.mean(out[100:-100] ** 2)) < 0.02


def test_resample_identity_and_bad_rates():
    x = sine(100, 8000)
    assert resample(x, 8000, 8000) is not None and np.array_equal(resample(x, 8000, 8000), x)
    with pytest.raises(ValueError):
        resample(x, 0, 8000)


@pytest.mark.parametrize("sr_in", [8000, 11025, 16000, 22050, 44100, 12345])
@pytest.mark.parametrize("sr_out", [8000, 16000, 24000])
def test_resampled_length_is_the_length_resample_makes(sr_in, sr_out):
    for n in (1, 2, 7, 160, 1601, 3333, 44101):
        assert len(resample(np.full(n, 0.1, np.float32), sr_in, sr_out)) == resampled_length(
            n, sr_in, sr_out
        )


def test_audio_length_from_the_header_equals_the_loaded_length(tmp_path):
    sf.write(tmp_path / "a.wav", np.stack([sine(300, 22050, 0.31)] * 2, 1), 22050)
    sf.write(tmp_path / "b.flac", sine(300, 8000, 0.17), 8000, format="FLAC")
    for name in ("a.wav", "b.flac"):
        for rate in (None, 8000, 16000):
            assert audio_length(tmp_path / name, rate) == len(load_audio(tmp_path / name, rate)[0])
    with pytest.raises(MmbenchError, match="missing.wav: cannot read audio"):
        audio_length(tmp_path / "missing.wav")


def test_load_wav_and_flac_to_mono_at_a_common_rate(tmp_path):
    left, right = sine(300, 8000), sine(300, 8000, phase=0.3)
    sf.write(tmp_path / "a.wav", np.stack([left, right], 1), 8000, subtype="PCM_16")
    sf.write(tmp_path / "b.flac", left, 8000)
    wave, sr = load_audio(tmp_path / "a.wav")
    assert sr == 8000 and wave.shape == left.shape
    np.testing.assert_allclose(wave, (left + right) / 2, atol=1e-3)  # 16-bit quantisation
    wave, sr = load_audio(tmp_path / "b.flac", sample_rate=16000)
    assert sr == 16000 and abs(len(wave) - 2 * len(left)) <= 1 and wave.dtype == np.float32


@pytest.mark.parametrize("content", [b"", b"RIFF\x00\x00garbage-not-audio" * 4])
def test_corrupt_audio_raises_naming_the_file(tmp_path, content):
    bad = tmp_path / "broken.wav"
    bad.write_bytes(content)
    with pytest.raises(MmbenchError, match="broken.wav"):
        load_audio(bad)


def test_missing_file_raises_naming_the_file(tmp_path):
    missing = tmp_path / "missing.wav"
    assert not missing.exists()
    with pytest.raises(MmbenchError, match=r"missing\.wav: cannot read audio"):
        load_audio(missing)


def test_empty_audio_is_an_error(tmp_path):
    sf.write(tmp_path / "empty.wav", np.zeros(0, np.float32), 8000)
    with pytest.raises(MmbenchError, match="empty.wav"):
        load_audio(tmp_path / "empty.wav")


def test_reader_raises_or_skips_and_counts(tmp_path):
    sf.write(tmp_path / "ok.wav", sine(200, 8000), 8000)
    (tmp_path / "bad.wav").write_bytes(b"nope")
    strict = AudioReader(8000)
    with pytest.raises(MmbenchError, match=r"bad.wav.*on_error: skip"):
        strict(tmp_path / "bad.wav")
    lenient = AudioReader(8000, on_error="skip")
    assert lenient(tmp_path / "bad.wav") is None and lenient(tmp_path / "ok.wav") is not None
    assert lenient.skipped == [str(tmp_path / "bad.wav")]
    with pytest.raises(MmbenchError, match="on_error"):
        AudioReader(8000, on_error="ignore")
