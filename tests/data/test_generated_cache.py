"""Generated datasets are built once per kwargs and read back identical; any change is a miss;
builders that read files are never cached; a damaged entry is rebuilt."""

from __future__ import annotations

import numpy as np
import pytest

from mmbench.data import generated_cache
from mmbench.data.base import Splits
from mmbench.data.generated_cache import build_cached
from mmbench.registry import DATASETS

KW = {"n_train": 12, "n_val": 4, "n_test": 4, "seed": 5}


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("MMBENCH_DATASET_CACHE_DIR", str(tmp_path / "datasets"))
    return tmp_path / "datasets"


@pytest.fixture
def counted(monkeypatch):
    """The shapes builder, counting the times it really generates."""
    calls = []
    shapes = DATASETS.get("shapes")

    def builder(**kwargs):
        calls.append(kwargs)
        return shapes(**kwargs)

    builder.generated = True
    builder.registered_name = "shapes"
    return builder, calls


def _same(a, b) -> bool:
    """Deep equality of splits: every example's values, arrays by dtype, shape and bytes."""
    if isinstance(a, Splits):
        return isinstance(b, Splits) and all(
            _same(getattr(a, k), getattr(b, k)) for k in ("train", "val", "test", "meta")
        )
    if isinstance(a, np.ndarray):
        return (
            isinstance(b, np.ndarray)
            and (a.dtype, a.shape) == (b.dtype, b.shape)
            and a.tobytes() == b.tobytes()
        )
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list | tuple):
        return type(a) is type(b) and len(a) == len(b) and all(map(_same, a, b))
    return type(a) is type(b) and a == b


def test_a_second_build_reads_the_cache_and_gives_the_same_data(cache, counted):
    builder, calls = counted
    first = build_cached(builder, "vqa", KW)
    again = build_cached(builder, "vqa", KW)
    assert len(calls) == 1 and len(list(cache.glob("shapes-*.pkl"))) == 1
    assert _same(first, again) and again is not first
    assert _same(again, DATASETS.get("shapes")(task="vqa", **KW))  # what the builder gives


@pytest.mark.parametrize("change", [{"seed": 6}, {"n_train": 13}])
def test_other_kwargs_are_a_miss(cache, counted, change):
    builder, calls = counted
    build_cached(builder, "vqa", KW)
    other = build_cached(builder, "vqa", {**KW, **change})
    assert len(calls) == 2 and len(list(cache.glob("*.pkl"))) == 2
    assert not _same(other, build_cached(builder, "vqa", KW))


def test_a_change_to_the_data_code_is_a_miss(cache, counted, monkeypatch):
    builder, calls = counted
    build_cached(builder, "vqa", KW)
    monkeypatch.setattr(generated_cache, "_code_digest", lambda: "edited")
    build_cached(builder, "vqa", KW)
    assert len(calls) == 2


def test_a_damaged_entry_is_rebuilt(cache, counted, caplog):
    builder, calls = counted
    first = build_cached(builder, "vqa", KW)
    (entry,) = cache.glob("*.pkl")
    entry.write_bytes(entry.read_bytes()[:100])  # truncated, as by a crash mid-write
    again = build_cached(builder, "vqa", KW)
    assert len(calls) == 2 and _same(first, again) and "unreadable" in caplog.text
    assert build_cached(builder, "vqa", KW) and len(calls) == 2  # repaired


def test_builders_that_read_files_and_the_off_switch_are_never_cached(cache, counted, monkeypatch):
    builder, calls = counted
    assert not getattr(DATASETS.get("easy_vqa"), "generated", False)
    assert getattr(DATASETS.get("shapes"), "generated", False)
    del builder.generated  # an unmarked builder
    build_cached(builder, "vqa", KW)
    builder.generated = True
    monkeypatch.setenv("MMBENCH_DATASET_CACHE", "off")
    build_cached(builder, "vqa", KW)
    assert len(calls) == 2 and not cache.exists()


def test_bad_kwargs_still_name_the_field(cache):
    from mmbench.build import build_dataset
    from mmbench.errors import MmbenchError
    from mmbench.spec.schema import ExperimentSpec

    spec = ExperimentSpec.model_validate(
        {
            "name": "t",
            "task": "vqa",
            "dataset": {"name": "shapes", "kwargs": {**KW, "colour": "red"}},
            "model": {"encoders": {"image": {"name": "mlp"}, "text": {"name": "bow"}}},
        }
    )
    with pytest.raises(MmbenchError, match="dataset.kwargs: .*colour"):
        build_dataset(spec)
    assert not cache.exists()
