"""Image inputs: per-channel standardisation fitted on training images, saved in task state."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from mmbench.build import build_dataset, build_task
from mmbench.spec import load_plan
from mmbench.tasks.images import MIN_STD, ImageNorm, image_shape, image_tensor


def _images(seed: int, n: int = 50) -> torch.Tensor:
    rng = np.random.default_rng(seed)
    base = rng.integers(0, 60, size=(n, 8, 8, 3))  # dark scenes, like the built-in ones
    base[:, 2:5, 2:5, 0] += 150  # a red square in every image
    return image_tensor([{"image": img.astype(np.uint8)} for img in base])


@pytest.mark.parametrize("seed", range(5))
def test_fitted_images_have_zero_mean_and_unit_std_per_channel(seed):
    images = _images(seed)
    norm = ImageNorm.fit(images)
    out = norm(images)
    assert out.shape == images.shape and out.dtype == torch.float32
    mean = out.mean(dim=(0, 2, 3))
    std = out.std(dim=(0, 2, 3))
    assert torch.allclose(mean, torch.zeros(3), atol=1e-5)
    assert torch.allclose(std, torch.ones(3), atol=1e-4)


def test_a_constant_channel_is_centred_not_divided_by_zero():
    images = _images(0)
    images[:, 2] = 7
    norm = ImageNorm.fit(images)
    assert norm.std[2] == MIN_STD
    out = norm(images)
    assert torch.isfinite(out).all()
    assert torch.count_nonzero(out[:, 2]) == 0


def test_state_rebuilds_the_same_transform():
    images = _images(1)
    norm = ImageNorm.fit(images)
    again = ImageNorm(**norm.state())
    assert torch.equal(norm(images), again(images))


def test_image_shape_is_channels_first():
    assert image_shape([{"image": np.zeros((5, 7, 3), dtype=np.uint8)}]) == (3, 5, 7)


def test_vqa_task_standardises_images_and_keeps_the_statistics(tmp_path):
    spec = tmp_path / "s.yaml"
    spec.write_text(
        "name: t\ntask: vqa\n"
        "dataset: {name: shapes, kwargs: {n_train: 40, n_val: 8, n_test: 8}}\n"
        "model: {dim: 16, encoders: {image: {name: cnn}, text: {name: bow}},"
        " fusion: {name: concat}, head: {name: classifier}}\n"
    )
    (one,) = load_plan(spec).specs
    task = build_task(one)
    task.prepare(build_dataset(one))
    batch = task.tensors("train")
    x, _ = task.model_inputs(batch)["image"]
    assert torch.allclose(x.mean(dim=(0, 2, 3)), torch.zeros(3), atol=1e-4)
    assert task.state()["image_norm"] == task.image_norm.state()
