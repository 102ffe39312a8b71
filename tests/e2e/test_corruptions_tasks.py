"""Every task: the clean level of each corruption scores exactly as the clean input, for every
metric, and a heavy level changes the predictions (corrupted inputs reach the model)."""

from __future__ import annotations

import pytest

from mmbench.engine.run import execute
from mmbench.registry import CORRUPTIONS
from mmbench.spec import spec_from_dict
from mmbench.spec.schema import base_metric, parse_corrupted

pytestmark = pytest.mark.e2e

TRAIN = {"epochs": 1, "batch_size": 16, "lr": 0.005, "seed": 0, "max_steps": 3}
TASKS = {
    "asr": {
        "dataset": {
            "name": "av_digits",
            "kwargs": {"n_train": 32, "n_val": 8, "n_test": 12, "max_digits": 2, "seed": 1},
        },
        "model": {
            "dim": 16,
            "encoders": {
                "audio": {"name": "mel_cnn", "kwargs": {"layers": 1}},
                "image": {"name": "cnn"},
            },  # noqa: E501
            "fusion": {"name": "film", "kwargs": {"primary": "audio"}},
            "head": {"name": "ctc"},
        },
        "corruptions": {
            "audio": [{"name": "babble_noise", "levels": [-10]}],  # inf: not in a spec
            "image": [{"name": "occlusion", "levels": [0, 1.0]}],
        },
    },
    "captioning": {
        "dataset": {
            "name": "shapes_captions",
            "kwargs": {"n_train": 32, "n_val": 8, "n_test": 12, "seed": 2},
        },  # noqa: E501
        "model": {
            "dim": 16,
            "encoders": {
                "image": {"name": "cnn", "kwargs": {"widths": [8, 16]}},
                "tags": {"name": "gru"},
            },  # noqa: E501
            "fusion": {"name": "cross_attention"},
            "head": {"name": "gru_decoder", "kwargs": {"max_len": 8}},
        },
        "corruptions": {
            "image": [{"name": "blur", "levels": [0, 4]}],
            "tags": [{"name": "typos", "levels": [0, 0.5]}],
        },
    },
    "summarization": {
        "dataset": {
            "name": "scene_summaries",
            "kwargs": {"n_train": 32, "n_val": 8, "n_test": 12, "seed": 2},
        },  # noqa: E501
        "model": {
            "dim": 16,
            "encoders": {
                "document": {"name": "gru"},
                "image": {"name": "cnn", "kwargs": {"widths": [8, 16]}},
            },  # noqa: E501
            "fusion": {"name": "film"},
            "head": {"name": "gru_decoder", "kwargs": {"max_len": 12}},
        },
        "corruptions": {
            "document": [{"name": "word_shuffle", "levels": [1, 8]}],
            "image": [{"name": "contrast", "levels": [0, 1.0]}],
        },
    },
}


@pytest.mark.parametrize("task", sorted(TASKS))
def test_clean_level_equals_the_clean_score_for_every_metric(task):
    cfg = TASKS[task]
    spec = spec_from_dict(
        {
            "name": f"tiny_{task}_corrupt",
            "task": task,
            "dataset": cfg["dataset"],
            "model": cfg["model"],
            "train": TRAIN,
            "eval": {"corruptions": cfg["corruptions"]},
        }
    )
    test = execute(spec).test
    corrupted = {k: parse_corrupted(k) for k in test if parse_corrupted(k)}
    assert len({p[1:3] for p in corrupted.values()}) == 2
    for key, (metric, _inp, _, level) in corrupted.items():
        assert base_metric(key) == metric
        if level == CORRUPTIONS.get(_).clean_level:
            assert test[key] == test[metric], key  # exactly
    # the heavy levels change the encoder inputs the model sees (and nothing else)
    from mmbench.build import build_dataset, build_task
    from mmbench.engine.corrupt import corrupted_split
    from mmbench.spec.schema import CorruptionSpec

    t = build_task(spec)
    t.prepare(build_dataset(spec))
    clean = t.tensors("test")
    for inp, (c,) in cfg["corruptions"].items():
        data = corrupted_split(t, "test", inp, CorruptionSpec(**c), c["levels"][-1], seed=0)
        moved = {
            k for k in clean if not (data[k].shape == clean[k].shape and data[k].equal(clean[k]))
        }
        assert moved and all(k.startswith(inp) for k in moved), (inp, moved)
