"""Lazily read audio (``dataset.kwargs.lazy``): headers only when the set is read, the batch's
files only when a batch is read, and the same lengths, batches and run as the in-memory path."""

from __future__ import annotations

import numpy as np
import pytest
import soundfile as sf
import torch

from mmbench.audio.features import LogMel, UtteranceFeatures
from mmbench.data.asr_manifest import asr_manifest, write_manifest
from mmbench.data.fsdd import fsdd
from mmbench.data.lazy_audio import AudioRef, LazyAudio
from mmbench.data.lazy_column import is_lazy
from mmbench.engine import feature_cache as fc
from mmbench.engine.loop import iterate_batches
from mmbench.errors import MmbenchError
from mmbench.kwarg_checks import kwargs_problems
from mmbench.spec import spec_from_dict
from mmbench.tasks.asr import AsrTask

FREQ = {"a": 400.0, "b": 1200.0, "c": 2400.0}
TEXTS = ["a b", "c", "b a c", "a", "c c", "b", "a c", "b b", "c a b", "a a"]
RATES = [8000, 16000, 11025, 8000, 22050]  # read at 8 kHz: some files are resampled


def tone_file(path, text, sr, stereo=False):
    """Tones standing in for words (0.12 s each, 0.04 s gaps), at ``sr`` Hz."""
    t = np.arange(int(0.12 * sr)) / sr
    gap = np.zeros(int(0.04 * sr))
    parts = [p for w in text.split() for p in (0.4 * np.sin(2 * np.pi * FREQ[w] * t), gap)]
    wave = np.concatenate(parts).astype(np.float32)
    sf.write(path, np.stack([wave, 0.5 * wave], 1) if stereo else wave, sr)
    return path


def make_manifests(folder, n_train=10, n_val=4, n_test=6):
    folder.mkdir(parents=True, exist_ok=True)
    paths, k = {}, 0
    for split, n in (("train", n_train), ("val", n_val), ("test", n_test)):
        rows = []
        for i in range(n):
            text = TEXTS[(k * 3) % len(TEXTS)]
            name = f"{split}{i}.wav"
            tone_file(folder / name, text, RATES[k % len(RATES)], stereo=k % 4 == 3)
            rows.append({"audio_filepath": name, "text": text, "speaker": f"s{k % 3}"})
            k += 1
        paths[split] = str(write_manifest(rows, folder / f"{split}.jsonl"))
    return paths


def both(folder, **kwargs):
    paths = make_manifests(folder)
    common = {"task": "asr", "sample_rate": 8000, **paths, **kwargs}
    return asr_manifest(**common), asr_manifest(**common, lazy=True)


def task_for(splits, encoder="mel_cnn"):
    spec = spec_from_dict(
        {
            "name": "t",
            "task": "asr",
            "dataset": {"name": "asr_manifest"},
            "model": {
                "dim": 16,
                "encoders": {"audio": {"name": encoder}},
                "fusion": {"name": "film", "kwargs": {"primary": "audio"}},
                "head": {"name": "ctc"},
            },
        }
    )
    task = AsrTask(spec)
    task.prepare(splits)
    return task


def test_examples_refer_to_files_with_the_eager_lengths_from_their_headers(tmp_path):
    eager, lazy = both(tmp_path)
    for a, b in zip(eager.train + eager.test, lazy.train + lazy.test, strict=True):
        assert isinstance(b["audio"], AudioRef) and b["audio"].sample_rate == 8000
        assert b["audio"].n_samples == len(a["audio"])  # resampled and stereo files too
        assert np.array_equal(np.asarray(b["audio"]), a["audio"])
        assert {k: v for k, v in a.items() if k != "audio"} == {
            k: v for k, v in b.items() if k != "audio"
        }


def test_reading_the_set_decodes_no_file(tmp_path, monkeypatch):
    paths = make_manifests(tmp_path)

    def no_decoding(*args, **kwargs):
        raise AssertionError("a file was decoded")

    monkeypatch.setattr("mmbench.audio.io.load_audio", no_decoding)
    monkeypatch.setattr("mmbench.data.lazy_audio.load_audio", no_decoding)
    splits = asr_manifest(task="asr", sample_rate=8000, lazy=True, **paths)
    data = task_for(splits).tensors("train")
    assert is_lazy(data["audio"]) and data["audio"].shape[0] == 10


def test_lengths_and_batches_equal_the_in_memory_tensors(tmp_path):
    eager, lazy = both(tmp_path)
    task_e, task_l = task_for(eager), task_for(lazy)
    for split in ("train", "val", "test"):
        te, tl = task_e.tensors(split), task_l.tensors(split)
        assert isinstance(tl["audio"], LazyAudio) and not is_lazy(te["audio"])
        assert torch.equal(te["audio_len"], tl["audio_len"])
        assert tl["audio"].shape == te["audio"].shape  # (N, T_max, 40), no file read
        for idx in (torch.tensor([3, 0, 2]), torch.tensor([1]), slice(1, 4)):
            be = task_e.model_inputs({k: v[idx] for k, v in te.items()})["audio"]
            bl = task_l.model_inputs({k: v[idx] for k, v in tl.items()})["audio"]
            assert torch.equal(be[0], bl[0]) and torch.equal(be[1], bl[1])


def test_waveform_columns_equal_the_padded_samples(tmp_path):
    eager, lazy = both(tmp_path)
    samples = UtteranceFeatures(LogMel(8000), waveform=True)
    column = LazyAudio([e["audio"] for e in lazy.train], samples)
    stacked, lengths = samples.stack([e["audio"] for e in eager.train])
    assert column.shape == stacked.shape and torch.equal(column.lengths, lengths)
    idx = torch.tensor([3, 7])
    assert torch.equal(column[idx], stacked[idx][:, : int(lengths[idx].max())])


def test_the_column_reads_only_the_batch_files(tmp_path, monkeypatch):
    from mmbench.data import lazy_audio

    _, lazy = both(tmp_path)
    column = task_for(lazy).tensors("train")["audio"]
    read = []
    real = lazy_audio.load_audio
    monkeypatch.setattr(
        lazy_audio, "load_audio", lambda path, sr: read.append(path.name) or real(path, sr)
    )
    column[torch.tensor([6, 2])]
    assert read == ["train6.wav", "train2.wav"]
    read.clear()
    picked = column.index_select(0, torch.tensor([5, 5, 1]))  # nothing read
    assert read == [] and isinstance(picked, LazyAudio) and len(picked) == 3
    assert picked[0:2].shape[0] == 2 and read == ["train5.wav", "train5.wav"]


def test_a_missing_or_unreadable_file_is_reported_when_the_set_is_read(tmp_path):
    paths = make_manifests(tmp_path)
    (tmp_path / "train3.wav").unlink()
    (tmp_path / "val1.wav").write_bytes(b"RIFF....WAVEfmt garbage")
    with pytest.raises(MmbenchError, match=r"train3.wav: cannot read audio .*on_error: skip"):
        asr_manifest(task="asr", lazy=True, **paths)
    s = asr_manifest(task="asr", lazy=True, on_error="skip", **paths)
    assert [len(s.train), len(s.val), len(s.test)] == [9, 3, 6]
    assert s.meta["n_skipped"] == 2 and s.meta["skipped"][1].endswith("val1.wav")
    sf.write(tmp_path / "val1.wav", np.zeros(0, np.float32), 8000)
    (tmp_path / "train3.wav").write_bytes((tmp_path / "train4.wav").read_bytes())
    with pytest.raises(MmbenchError, match=r"val1.wav: audio file holds no samples"):
        asr_manifest(task="asr", lazy=True, **paths)


@pytest.mark.parametrize("workers", [0, 2])
def test_a_file_that_fails_in_a_batch_raises_its_own_error(tmp_path, workers):
    _, lazy = both(tmp_path)
    data = task_for(lazy).tensors("train")
    (tmp_path / "train5.wav").write_bytes(b"not audio")
    with pytest.raises(MmbenchError) as info:
        list(iterate_batches(data, 4, num_workers=workers))
    text = str(info.value)
    assert text.startswith(f"{tmp_path / 'train5.wav'}: cannot read audio")
    assert "found when a batch read it" in text and "Traceback" not in text
    tone_file(tmp_path / "train5.wav", "a b c", 8000)  # readable, but not what the header said
    with pytest.raises(
        MmbenchError,
        match=r"train5.wav: \d+ samples at 8000 Hz, but its header gave \d+ .*did the file change",
    ):
        list(iterate_batches(data, 4, num_workers=workers))


def test_a_bad_lazy_value_gets_a_clear_error(tmp_path):
    paths = make_manifests(tmp_path, 1, 1, 1)
    with pytest.raises(MmbenchError, match="dataset.kwargs.lazy: expected true or false, found"):
        asr_manifest(task="asr", lazy="yes", **paths)
    assert kwargs_problems(asr_manifest, {"lazy": 1}, "dataset.kwargs") == [
        "dataset.kwargs.lazy: 1 is not allowed; expected true or false"
    ]
    with pytest.raises(MmbenchError, match=r"snr_db: fsdd adds this noise .*\(lazy: true\)"):
        fsdd(task="asr", root=str(tmp_path), snr_db=10.0, lazy=True)


@pytest.mark.parametrize("workers", [0, 2])
def test_batches_in_the_same_order_with_and_without_loader_workers(tmp_path, workers):
    eager, lazy = both(tmp_path)
    te, tl = task_for(eager).tensors("train"), task_for(lazy).tensors("train")
    seq_e = list(iterate_batches(te, 3, generator=torch.Generator().manual_seed(5)))
    seq_l = list(
        iterate_batches(tl, 3, generator=torch.Generator().manual_seed(5), num_workers=workers)
    )
    assert [len(b["index"]) for b in seq_l] == [3, 3, 3, 1]
    for be, bl in zip(seq_e, seq_l, strict=True):
        t = int(bl["audio_len"].max())
        assert bl["audio"].shape[1] == t and torch.equal(be["audio"][:, :t], bl["audio"])
        assert all(torch.equal(be[k], bl[k]) for k in ("index", "audio_len", "target"))


SPEC = """
name: lazy_asr
task: asr
dataset:
  name: asr_manifest
  kwargs: {{train: {train}, val: {val}, test: {test}, sample_rate: 8000, lazy: {lazy},
           spec_augment: {augment}}}
model:
  dim: 16
  encoders:
    audio: {{name: mel_cnn, frozen: {frozen}, kwargs: {{layers: 1}}}}
  fusion: {{name: film, kwargs: {{primary: audio}}}}
  head: {{name: ctc}}
train:
  epochs: 2
  batch_size: 4
  lr: 0.01
  seed: 0
  num_workers: {workers}
  corruptions: {train_corruptions}
eval:
  batch_size: 4
  corruptions:
    audio:
      - {{name: white_noise, levels: [10.0]}}
      - {{name: babble_noise, levels: [5.0]}}
"""


def runs(tmp_path, write, monkeypatch, **fill):
    """Outcomes and every predict_split's predictions of eager / lazy / lazy + 2 workers."""
    from mmbench.engine import run as run_module
    from mmbench.spec import load_plan

    paths = make_manifests(tmp_path / "data")
    monkeypatch.setenv("MMBENCH_FEATURE_CACHE_DIR", str(tmp_path / "features"))
    recorded: list = []
    real = run_module.predict_split

    def predict_split(*args, **kwargs):
        out = real(*args, **kwargs)
        recorded[-1].append(out)
        return out

    monkeypatch.setattr(run_module, "predict_split", predict_split)
    outcomes = []
    for lazy, workers in (("false", 0), ("true", 0), ("true", 2)):
        recorded.append([])
        text = SPEC.format(**paths, lazy=lazy, workers=workers, **fill)
        outcomes.append(
            run_module.execute(load_plan(write(text, f"{lazy}{workers}.yaml")).specs[0])
        )
    return outcomes, recorded


def test_a_lazy_run_with_loader_workers_equals_the_in_memory_run(tmp_path, write, monkeypatch):
    fill = {
        "augment": "true",
        "frozen": "false",
        "train_corruptions": "{audio: [{name: white_noise, p: 0.5, levels: [10.0]}]}",
    }
    (eager, lazy, loaded), (preds_e, preds_l, preds_w) = runs(tmp_path, write, monkeypatch, **fill)
    assert eager.history == lazy.history == loaded.history
    assert eager.test == lazy.test == loaded.test
    assert len(preds_e) == 3  # clean test split, then white and babble noise
    assert preds_e == preds_l == preds_w
    assert any(k.startswith("test/wer at audio:babble_noise") for k in eager.test)


def test_the_feature_cache_serves_lazy_runs_alike(tmp_path, write, monkeypatch):
    fill = {"augment": "false", "frozen": "true", "train_corruptions": "{}"}
    (eager, lazy, loaded), (preds_e, preds_l, preds_w) = runs(tmp_path, write, monkeypatch, **fill)
    assert eager.history == lazy.history == loaded.history
    assert eager.test == lazy.test == loaded.test and preds_e == preds_l == preds_w
    entries = fc.list_entries(tmp_path / "features")
    assert len(entries) == 3  # train, val and test, made by the eager run, hit by the lazy ones
    eager_splits, lazy_splits = both(tmp_path / "again")
    assert fc.inputs_digest(task_for(eager_splits), "train", "audio", 4) == fc.inputs_digest(
        task_for(lazy_splits), "train", "audio", 4
    )
