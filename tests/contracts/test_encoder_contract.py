"""Contract tests run on every registered encoder (picked up from ``ENCODERS.names()``)."""

from __future__ import annotations

import inspect

import pytest
import torch
from torch import nn

from mmbench.encoders.base import MODALITY_KINDS, Encoder, ModalityInput
from mmbench.errors import MmbenchError
from mmbench.layers.pooling import masked_mean
from mmbench.registry import ENCODERS
from tests.encoders import hf_tiny

DIM = 16
B = 4
WORDS = ["<pad>", "<unk>"] + "what colour is the small red square left of a circle how many".split()
INPUTS = {
    "image": ModalityInput("image", shape=(3, 16, 16)),
    "text": ModalityInput("text", shape=(8,), vocab_size=len(WORDS), extra={"vocab": WORDS}),
    "audio": ModalityInput("audio", shape=(10,)),
}
NAMES = ENCODERS.names()


def make_batch(kind, batch=B, seed=0, form=""):
    """A varied batch for ``kind``: (x, mask or None); text rows have different lengths.
    ``form="waveform"``: audio as (B, S) samples with a mask (encoders that read waveforms)."""
    g = torch.Generator().manual_seed(seed)
    if form == "waveform":
        x = torch.randn(batch, 1600, generator=g)
        lengths = torch.tensor(([1600, 900, 400, 1200] * batch)[:batch])
        mask = torch.arange(1600).unsqueeze(0) < lengths[:, None]
        return x.masked_fill(~mask, 0.0), mask
    if kind == "image":
        return torch.rand(batch, 3, 16, 16, generator=g), None
    if kind == "text":
        ids = torch.randint(2, len(WORDS), (batch, 8), generator=g)
        lengths = torch.tensor(([8, 3, 1, 6] * batch)[:batch])
        mask = torch.arange(8).unsqueeze(0) < lengths.unsqueeze(1)
        return ids.masked_fill(~mask, 0), mask
    x = torch.randn(batch, 12, 10, generator=g)
    mask = torch.arange(12).unsqueeze(0) < torch.tensor(([12, 7, 2, 9] * batch)[:batch])[:, None]
    return x, mask


def own_kwargs(name):
    """Kwargs an encoder needs beyond the defaults: the Hugging Face ones get a tiny model
    saved with save_pretrained (skipped where transformers is missing)."""
    if name not in hf_tiny.CONTRACT:
        return {}
    pytest.importorskip("transformers")
    return {"model": hf_tiny.tiny(hf_tiny.CONTRACT[name])}


def batch_for(enc, batch=B, seed=0):
    return make_batch(enc.kind, batch, seed, getattr(enc, "input_form", ""))


def build(name, seed=0):
    cls = ENCODERS.get(name)
    kwargs = own_kwargs(name)
    torch.manual_seed(seed)
    try:
        return cls(INPUTS[cls.kind], dim=DIM, **kwargs)
    except MmbenchError as e:  # an optional extra that is not installed
        if "pip install" in str(e):
            pytest.skip(str(e))
        raise


@pytest.mark.parametrize("name", NAMES)
def test_conventions(name):
    cls = ENCODERS.get(name)
    assert issubclass(cls, Encoder) and cls.__name__.endswith("Encoder")
    assert cls.kind in MODALITY_KINDS
    assert cls.__module__.rsplit(".", 1)[-1] == name, "registered name must equal the file stem"
    assert (inspect.getdoc(cls) or "").splitlines()[0].strip()
    for p in list(inspect.signature(cls.__init__).parameters.values())[2:]:
        assert p.default is not inspect.Parameter.empty, f"{p.name} needs a default"


@pytest.mark.parametrize("name", NAMES)
def test_shapes_mask_and_out_dim(name):
    enc = build(name)
    x, mask = batch_for(enc)
    feats, out_mask = enc(x, mask)
    assert enc.out_dim == DIM
    assert feats.dim() == 3 and feats.shape[0] == B and feats.shape[2] == DIM
    assert out_mask.shape == feats.shape[:2] and out_mask.dtype == torch.bool
    assert out_mask.any(1).all()
    assert torch.isfinite(feats).all()


@pytest.mark.parametrize("name", NAMES)
def test_gradients_reach_parameters_and_input_matters(name):
    enc = build(name)
    x, mask = batch_for(enc)
    feats, out_mask = enc(x, mask)
    masked_mean(feats, out_mask).sum().backward()
    missing = [
        n
        for n, p in enc.named_parameters()
        if p.requires_grad
        and p.grad is None
        and "pooler" not in n
        # wav2vec2's learnt mask vector: used only when its own SpecAugment masks a frame
        and "masked_spec_embed" not in n
    ]
    assert not missing, f"parameters without gradient: {missing}"
    # changing a valid input element changes the output
    x2 = x.clone()
    if enc.kind == "text":
        x2[0, 0] = 2 if x[0, 0] != 2 else 3
    else:
        x2[0] = x2[0] + 1.0
    enc.eval()
    with torch.no_grad():
        assert not torch.allclose(enc(x, mask)[0][0], enc(x2, mask)[0][0])


@pytest.mark.parametrize("name", NAMES)
def test_deterministic_under_seed(name):
    outs = []
    for _ in range(2):
        enc = build(name, seed=3)
        torch.manual_seed(4)
        outs.append(enc(*batch_for(enc))[0])
    assert torch.equal(outs[0], outs[1])


@pytest.mark.parametrize("name", NAMES)
def test_text_padding_invariance_and_empty_rows(name):
    enc = build(name)
    if enc.kind not in ("text", "audio"):
        pytest.skip("no padding for this kind")
    enc.eval()
    x, mask = batch_for(enc)
    extra = 5
    x_pad = torch.cat([x, torch.zeros(B, extra, *x.shape[2:], dtype=x.dtype)], dim=1)
    mask_pad = torch.cat([mask, torch.zeros(B, extra, dtype=torch.bool)], dim=1)
    with torch.no_grad():
        f1, m1 = enc(x, mask)
        f2, m2 = enc(x_pad, mask_pad)
    t = f1.shape[1]
    assert torch.equal(m2[:, :t], m1) and not m2[:, t:].any()
    torch.testing.assert_close(f2[:, :t][m1], f1[m1], atol=1e-5, rtol=1e-4)
    # a fully padded row (a missing text) stays finite
    mask_empty = mask.clone()
    mask_empty[1] = False
    with torch.no_grad():
        f3, m3 = enc(
            x.masked_fill(~mask_empty if x.dim() == 2 else ~mask_empty[..., None], 0), mask_empty
        )
    assert torch.isfinite(f3).all() and not m3[1].any()


def make_task(kind, n=32, seed=5, form=""):
    """n examples whose 4-class label is visible in the input: for images a bright quadrant,
    for text a key word (one of 4) at a random valid position among other words."""
    g = torch.Generator().manual_seed(seed)
    labels = torch.randint(0, 4, (n,), generator=g)
    x, mask = make_batch(kind, batch=n, seed=seed, form=form)
    if kind == "image":
        x = 0.3 * x
        for i, q in enumerate(labels.tolist()):
            r, c = divmod(q, 2)
            x[i, :, 8 * r + 2 : 8 * r + 6, 8 * c + 2 : 8 * c + 6] += 0.7
    elif form == "waveform":  # a tone whose pitch is the label
        t = torch.arange(x.shape[1]) / 16000.0
        tones = torch.stack([torch.sin(2 * torch.pi * f * t) for f in (200, 500, 1200, 3000)])
        x = (0.1 * x + tones[labels]).masked_fill(~mask, 0.0)
    elif kind == "text":
        x = x.clamp(min=6).masked_fill(~mask, 0)  # ids 2..5 are the key words
        for i, q in enumerate(labels.tolist()):
            pos = torch.randint(0, int(mask[i].sum()), (1,), generator=g).item()
            x[i, pos] = 2 + q
    return x, mask, labels


@pytest.mark.parametrize("name", NAMES)
def test_overfits_32_examples(name):
    enc = build(name)
    steps, lr = 40, 5e-3
    # keep the suite fast: a real pretrained model trains its new layers only (the tiny
    # Hugging Face models of the contract are random and small: they train whole)
    if getattr(enc, "pretrained", False) and name not in hf_tiny.CONTRACT:
        steps, lr = 12, 2e-2
        for pname, p in enc.named_parameters():
            p.requires_grad_(pname.startswith("proj"))
    head = nn.Linear(DIM, 4)
    x, mask, labels = make_task(enc.kind, form=getattr(enc, "input_form", ""))
    params = [p for p in list(enc.parameters()) + list(head.parameters()) if p.requires_grad]
    opt = torch.optim.Adam(params, lr=lr)
    losses = []
    for _ in range(steps):
        feats, out_mask = enc(x, mask)
        loss = nn.functional.cross_entropy(head(masked_mean(feats, out_mask)), labels)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    assert losses[-1] < 0.7 * losses[0], f"loss {losses[0]:.3f} → {losses[-1]:.3f}"
