"""Real-format ASR loaders on tiny fixtures: NeMo manifests, LibriSpeech, FSDD, Speech Commands,
LJ Speech; corrupt audio raises naming the file, or is skipped and counted."""

from __future__ import annotations

import json

import numpy as np
import pytest
import soundfile as sf

from mmbench.data.asr_common import clean_transcript
from mmbench.data.asr_manifest import asr_manifest, read_manifest, write_manifest
from mmbench.data.fsdd import fsdd
from mmbench.data.librispeech import librispeech
from mmbench.data.ljspeech import ljspeech
from mmbench.data.speech_commands import speech_commands
from mmbench.errors import MmbenchError


def wav(path, seconds=0.2, sr=8000, freq=300.0, fmt=None):
    path.parent.mkdir(parents=True, exist_ok=True)
    t = np.arange(int(sr * seconds)) / sr
    sf.write(path, (0.3 * np.sin(2 * np.pi * freq * t)).astype(np.float32), sr, format=fmt)
    return path


def test_clean_transcript():
    assert clean_transcript("  In 1465, the Printer's  ART!") == "in the printer's art"


def test_manifest_relative_paths_resampling_and_filters(tmp_path):
    wav(tmp_path / "a" / "x.wav", sr=8000)
    wav(tmp_path / "a" / "y.flac", sr=22050, seconds=0.5, fmt="FLAC")
    rows = [
        {"audio_filepath": "a/x.wav", "text": "Three, ONE!", "duration": 0.2},
        {"audio_filepath": str(tmp_path / "a" / "y.flac"), "text": "nine", "duration": 0.5},
    ]
    m = write_manifest(rows, tmp_path / "m.jsonl")
    s = asr_manifest(task="asr", train=str(m), val=str(m), test=str(m), sample_rate=16000)
    assert [e["text"] for e in s.train] == ["three one", "nine"]
    assert len(s.train[0]["audio"]) == 3200 and len(s.train[1]["audio"]) == 8000
    assert [r["text"] for r in read_manifest(m, max_duration=0.3)] == ["three one"]
    assert read_manifest(m, clean_text=False)[0]["text"] == "Three, ONE!"


def test_manifest_errors_name_file_and_line(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"audio_filepath": "x.wav", "text": "a"}) + "\n{oops\n")
    with pytest.raises(MmbenchError, match=r"bad.jsonl:2: not a JSON object"):
        read_manifest(bad)
    bad.write_text(json.dumps({"text": "a"}) + "\n")
    with pytest.raises(MmbenchError, match=r"bad.jsonl:1: needs keys 'audio_filepath'"):
        read_manifest(bad)
    with pytest.raises(MmbenchError, match="needs manifest paths for val, test"):
        asr_manifest(task="asr", train=str(bad))


def test_corrupt_audio_raises_or_is_skipped_and_counted(tmp_path):
    wav(tmp_path / "ok.wav")
    (tmp_path / "corrupt.wav").write_bytes(b"RIFF....WAVEfmt garbage")
    m = write_manifest(
        [
            {"audio_filepath": "ok.wav", "text": "one"},
            {"audio_filepath": "corrupt.wav", "text": "two"},
        ],
        tmp_path / "m.jsonl",
    )
    with pytest.raises(MmbenchError, match=r"corrupt.wav: cannot read audio"):
        asr_manifest(task="asr", train=str(m), val=str(m), test=str(m))
    s = asr_manifest(task="asr", train=str(m), val=str(m), test=str(m), on_error="skip")
    assert [e["text"] for e in s.train] == ["one"]
    assert s.meta["n_skipped"] == 3 and all(p.endswith("corrupt.wav") for p in s.meta["skipped"])


def test_librispeech_layout(tmp_path):
    for subset, spk in (("train-x", "19"), ("dev-x", "84"), ("test-x", "61")):
        chap = tmp_path / subset / spk / "198"
        for i in range(2):
            wav(chap / f"{spk}-198-000{i}.flac", sr=16000, fmt="FLAC")
        (chap / f"{spk}-198.trans.txt").write_text(
            f"{spk}-198-0000 HELLO WORLD\n{spk}-198-0001 IT'S A TEST\n"
        )
    s = librispeech(task="asr", root=str(tmp_path), train="train-x", val="dev-x", test="test-x")
    assert [e["text"] for e in s.test] == ["hello world", "it's a test"]
    assert s.test[0]["speaker"] == "61" and s.train[0]["id"] == "19-198-0000"
    with pytest.raises(MmbenchError, match="does not exist"):
        librispeech(task="asr", root=str(tmp_path), train="nope")


def test_fsdd_official_and_held_out_speaker_splits(tmp_path):
    for d in (0, 7):
        for spk in ("ann", "bob"):
            for i in (0, 5, 6):
                wav(tmp_path / "recordings" / f"{d}_{spk}_{i}.wav")
    s = fsdd(task="asr", root=str(tmp_path), val_fraction=0.25)
    assert len(s.test) == 4 and {e["id"].split("_")[2] for e in s.test} == {"0"}
    assert len(s.train) + len(s.val) == 8 and len(s.val) == 2
    assert {e["text"] for e in s.test} == {"zero", "seven"}
    held = fsdd(task="asr", root=str(tmp_path), test_speakers=["bob"], val_fraction=0.0)
    assert {e["speaker"] for e in held.test} == {"bob"} and len(held.test) == 6
    assert {e["speaker"] for e in held.train} == {"ann"}
    with pytest.raises(MmbenchError, match=r"unknown \['carl'\]"):
        fsdd(task="asr", root=str(tmp_path), test_speakers=["carl"])


def test_speech_commands_lists_and_word_filter(tmp_path):
    for word in ("one", "dog"):
        for spk in ("aa11", "bb22", "cc33"):
            wav(tmp_path / word / f"{spk}_nohash_0.wav", sr=16000)
    (tmp_path / "testing_list.txt").write_text("one/aa11_nohash_0.wav\ndog/aa11_nohash_0.wav\n")
    (tmp_path / "validation_list.txt").write_text("one/bb22_nohash_0.wav\n")
    s = speech_commands(task="asr", root=str(tmp_path), words=["one"])
    assert [e["id"] for e in s.test] == ["one/aa11_nohash_0.wav"]
    assert [e["id"] for e in s.val] == ["one/bb22_nohash_0.wav"]
    assert [(e["text"], e["speaker"]) for e in s.train] == [("one", "cc33")]
    with pytest.raises(MmbenchError, match="words: unknown"):
        speech_commands(task="asr", root=str(tmp_path), words=["cat"])


def test_ljspeech_layout_uses_the_normalised_text(tmp_path):
    lines = [f"LJ{i:03d}|Raw {i}, text.|Normalised text number {i}." for i in range(6)]
    (tmp_path / "metadata.csv").write_text("\n".join(lines))
    for i in range(6):
        wav(tmp_path / "wavs" / f"LJ{i:03d}.wav", sr=22050)
    s = ljspeech(task="asr", root=str(tmp_path), n_val=1, n_test=2)
    assert [len(s.train), len(s.val), len(s.test)] == [3, 1, 2]
    assert s.test[-1]["text"] == "normalised text number"
    assert s.meta["sample_rate"] == 16000 and len(s.test[0]["audio"]) == 3200
