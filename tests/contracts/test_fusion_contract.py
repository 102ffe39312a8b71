"""Contract tests run on every registered fusion (picked up from ``FUSIONS.names()``)."""

from __future__ import annotations

import inspect
import re

import pytest
import torch
from torch import nn

from mmbench.errors import MmbenchError
from mmbench.fusions.base import Fusion
from mmbench.layers.pooling import masked_mean
from mmbench.registry import FUSIONS

DIM = 16
B = 4
IN_DIMS = {"image": 12, "text": 8, "audio": 10}
LENGTHS = {"image": [5, 5, 5, 5], "text": [7, 3, 1, 5], "audio": [6, 2, 6, 4]}
NAMES = FUSIONS.names()


def make_inputs(names, batch=B, seed=0, requires_grad=False):
    """Random features; masks are prefixes of varied length (padding holds large garbage)."""
    g = torch.Generator().manual_seed(seed)
    feats, masks = {}, {}
    for m in names:
        lengths = (LENGTHS[m] * batch)[:batch]
        t = max(LENGTHS[m])
        mask = torch.arange(t).unsqueeze(0) < torch.tensor(lengths).unsqueeze(1)
        x = torch.randn(batch, t, IN_DIMS[m], generator=g)
        x = torch.where(mask.unsqueeze(-1), x, torch.full_like(x, 50.0))
        feats[m] = x.requires_grad_(requires_grad)
        masks[m] = mask
    return feats, masks


def n_modalities(cls: type[Fusion]) -> int:
    return min(3, cls.max_modalities or 3)


def build(name, n=None, seed=0, **kwargs):
    cls = FUSIONS.get(name)
    n = n or n_modalities(cls)
    in_dims = dict(list(IN_DIMS.items())[:n])
    torch.manual_seed(seed)
    return cls(in_dims, dim=DIM, **kwargs), list(in_dims)


def perturb_gates(fusion: nn.Module) -> None:
    """Open zero-initialised tanh gates (Flamingo) so that gradients can flow through them."""
    with torch.no_grad():
        for pname, p in fusion.named_parameters():
            if pname.endswith("gate"):
                p.fill_(0.5)


def check_output(fused, mask, batch=B):
    assert fused.dim() == 3 and fused.shape[0] == batch and fused.shape[2] == DIM
    assert mask.shape == fused.shape[:2] and mask.dtype == torch.bool
    assert torch.isfinite(fused).all()
    assert mask.any(1).all(), "every row must keep at least one valid position"


@pytest.mark.parametrize("name", NAMES)
def test_conventions(name):
    cls = FUSIONS.get(name)
    assert issubclass(cls, Fusion) and cls.__name__.endswith("Fusion")
    assert cls.__module__.rsplit(".", 1)[-1] == name, "registered name must equal the file stem"
    doc = inspect.getdoc(cls) or ""
    assert doc.splitlines()[0].strip(), "first docstring line is the one-line summary"
    assert re.search(r"\b(19|20)\d\d\b", doc), "docstring must cite its paper (with a year)"
    params = list(inspect.signature(cls.__init__).parameters.values())[2:]
    for p in params:
        assert p.default is not inspect.Parameter.empty, f"{p.name} needs a default"
        assert p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)


@pytest.mark.parametrize("name", NAMES)
def test_shapes_for_each_modality_count(name):
    cls = FUSIONS.get(name)
    for n in range(max(cls.min_modalities, 1), n_modalities(cls) + 1):
        fusion, names = build(name, n)
        assert fusion.out_dim == DIM
        fused, mask = fusion(*make_inputs(names))
        check_output(fused, mask)


@pytest.mark.parametrize("name", NAMES)
def test_primary_keeps_its_time_axis(name):
    if "primary" not in inspect.signature(FUSIONS.get(name).__init__).parameters:
        pytest.skip("no primary option")
    fusion, names = build(name, primary="text")
    feats, masks = make_inputs(names)
    fused, mask = fusion(feats, masks)
    assert fused.shape[1] == feats["text"].shape[1]
    assert torch.equal(mask, masks["text"])
    with pytest.raises(MmbenchError, match="primary"):
        build(name, primary="txt")


@pytest.mark.parametrize("name", NAMES)
def test_gradients_reach_every_modality_and_not_padding(name):
    fusion, names = build(name)
    perturb_gates(fusion)
    feats, masks = make_inputs(names, requires_grad=True)
    fused, mask = fusion(feats, masks)
    w = torch.randn(fused.shape[-1], generator=torch.Generator().manual_seed(1))
    (masked_mean(fused, mask) @ w).sum().backward()
    for m in names:
        grad = feats[m].grad
        assert grad is not None and torch.isfinite(grad).all(), m
        assert grad[masks[m]].abs().sum() > 0, f"no gradient reaches '{m}'"
        assert grad[~masks[m]].abs().sum() == 0, f"padding of '{m}' leaks into the output"


@pytest.mark.parametrize("name", NAMES)
def test_padding_values_do_not_change_output(name):
    fusion, names = build(name)
    perturb_gates(fusion)
    fusion.eval()
    feats, masks = make_inputs(names)
    fused, mask = fusion(feats, masks)
    noisy = {m: torch.where(masks[m].unsqueeze(-1), x, -x) for m, x in feats.items()}
    fused2, mask2 = fusion(noisy, masks)
    assert torch.equal(mask, mask2)
    torch.testing.assert_close(fused[mask], fused2[mask2], atol=1e-5, rtol=1e-4)


@pytest.mark.parametrize("name", NAMES)
def test_missing_modality_absent_or_fully_masked(name):
    fusion, names = build(name)
    perturb_gates(fusion)
    for drop in names:
        if len(names) > 1:  # absent key
            feats, masks = make_inputs([m for m in names if m != drop])
            check_output(*fusion(feats, masks))
        feats, masks = make_inputs(names, requires_grad=True)
        masks[drop] = masks[drop].clone()
        masks[drop][1:3] = False  # rows 1, 2 lack this modality
        fused, mask = fusion(feats, masks)
        check_output(fused, mask)
        (fused * mask.unsqueeze(-1)).sum().backward()
        for m in names:
            assert torch.isfinite(feats[m].grad).all(), f"non-finite gradient when {drop} missing"
    # every modality missing in row 0
    feats, masks = make_inputs(names)
    for m in names:
        masks[m][0] = False
    check_output(*fusion(feats, masks))


@pytest.mark.parametrize("name", NAMES)
def test_deterministic_under_seed(name):
    outs = []
    for _ in range(2):
        fusion, names = build(name, seed=3)
        torch.manual_seed(4)  # dropout in train mode
        outs.append(fusion(*make_inputs(names))[0])
    assert torch.equal(outs[0], outs[1])


@pytest.mark.parametrize("name", NAMES)
def test_overfits_32_examples(name):
    fusion, names = build(name, seed=0)
    head = nn.Linear(DIM, 4)
    feats, masks = make_inputs(names, batch=32, seed=5)
    labels = torch.randint(0, 4, (32,), generator=torch.Generator().manual_seed(6))
    params = list(fusion.parameters()) + list(head.parameters())
    opt = torch.optim.Adam(params, lr=1e-2)
    losses = []
    for _ in range(40):
        fused, mask = fusion(feats, masks)
        loss = nn.functional.cross_entropy(head(masked_mean(fused, mask)), labels)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    assert losses[-1] < 0.5 * losses[0], f"loss {losses[0]:.3f} → {losses[-1]:.3f}"


@pytest.mark.parametrize("name", NAMES)
def test_modality_limit_is_enforced(name):
    cls = FUSIONS.get(name)
    if cls.max_modalities is None:
        pytest.skip("no upper limit")
    in_dims = {f"m{i}": 4 for i in range(cls.max_modalities + 1)}
    with pytest.raises(MmbenchError, match="modalities"):
        cls(in_dims, dim=DIM)


@pytest.mark.gpu
@pytest.mark.parametrize("name", NAMES)
def test_cuda_gives_the_cpu_output(name):
    """The same weights and inputs on CUDA give CPU's fused features (float tolerance)."""
    fusion, names = build(name)
    fusion.eval()
    feats, masks = make_inputs(names)
    with torch.no_grad():
        cpu_fused, cpu_mask = fusion(feats, masks)
        fusion.cuda()
        gpu_fused, gpu_mask = fusion(
            {k: v.cuda() for k, v in feats.items()}, {k: v.cuda() for k, v in masks.items()}
        )
    assert torch.equal(gpu_mask.cpu(), cpu_mask)
    torch.testing.assert_close(gpu_fused.cpu(), cpu_fused, rtol=1e-4, atol=1e-4)
