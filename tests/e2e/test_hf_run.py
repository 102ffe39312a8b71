"""End to end: a VQA run with frozen Hugging Face encoders (tiny saved models) validates, trains,
and reads its features from the cache on the second run."""

from __future__ import annotations

import pytest

from mmbench.engine.run import execute
from mmbench.spec import load_plan
from tests.encoders.hf_tiny import tiny

pytestmark = pytest.mark.e2e
pytest.importorskip("transformers")

SPEC = """
name: hf
task: vqa
dataset: {{name: shapes, kwargs: {{n_train: 64, n_val: 16, n_test: 16, seed: 3}}}}
model:
  dim: 16
  encoders:
    image: {{name: hf_image, frozen: true, kwargs: {{model: {image}, pooling: mean}}}}
    text: {{name: hf_text, frozen: true, kwargs: {{model: {text}}}}}
  fusion: {{name: cross_attention}}
  head: {{name: classifier, kwargs: {{hidden: 16}}}}
train: {{epochs: 1, batch_size: 32, seed: 0, device: cpu}}
"""


def test_frozen_hf_encoders_train_and_hit_the_cache(write, tmp_path, monkeypatch):
    monkeypatch.setenv("MMBENCH_FEATURE_CACHE_DIR", str(tmp_path / "features"))
    path = write(SPEC.format(image=tiny("resnet"), text=tiny("bert")))
    spec = load_plan(path).specs[0]
    first, second = execute(spec), execute(spec)
    assert first.test == second.test and 0.0 <= first.test["test/vqa_acc"] <= 100.0
    assert len(list((tmp_path / "features").glob("*/meta.json"))) == 6  # 2 encoders × 3 splits


def test_a_bad_hf_kwarg_is_a_spec_error(write):
    from mmbench.errors import MmbenchError

    path = write(SPEC.format(image=tiny("resnet"), text=tiny("bert")).replace("pooling", "poling"))
    with pytest.raises(MmbenchError, match="takes no argument 'poling'; did you mean 'pooling'"):
        load_plan(path)
