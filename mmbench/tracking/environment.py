"""Where a run was computed, as tags: the CPU model, torch's version and intra-op threads, the
versions of the libraries that decode and compute inputs (:data:`PACKAGES`), and the CUDA device
when one is used; and ``git_commit``, the code it ran.

The same spec and seed give the same scores on one machine and environment
(``tests/reporting/test_results_compare.py`` re-runs a point and compares), but another CPU, another
torch build or another thread count can change float reductions and so the training path;
``mmbench compare`` lists these tags when two runs disagree, and report manifests collect them.
"""

from __future__ import annotations

import platform
import subprocess
from functools import lru_cache
from pathlib import Path

from mmbench.tracking import schema


def git_commit() -> str:
    """The commit of the mmbench checkout in use ("unknown" outside a git checkout)."""
    import mmbench

    try:
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=5,
            cwd=Path(mmbench.__file__).parent,
        )
        return out.stdout.strip() or "unknown"
    except (OSError, subprocess.SubprocessError):
        return "unknown"


@lru_cache(maxsize=1)
def cpu_model() -> str:
    """The CPU's model name (``/proc/cpuinfo``; else ``platform.processor()``), or "unknown"."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.lower().startswith("model name"):
                    return line.split(":", 1)[1].strip() or "unknown"
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown"


# libraries whose version can change a run's numbers besides torch: image decoding and resizing
# (pillow), audio decoding and resampling, tokenizers and pretrained models, array maths
PACKAGES = ("numpy", "pillow", "soundfile", "torchaudio", "transformers", "tokenizers", "scipy")


@lru_cache(maxsize=1)
def package_versions() -> str:
    """``name=version`` of each installed package of :data:`PACKAGES`, space-separated."""
    from importlib import metadata

    found = []
    for name in PACKAGES:
        try:
            found.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            continue
    return " ".join(found)


def environment_tags(device: str | None = None) -> dict[str, str]:
    import torch

    tags = {
        schema.ENV_CPU: f"{cpu_model()} ({platform.machine()})",
        schema.ENV_TORCH: torch.__version__,
        schema.ENV_THREADS: str(torch.get_num_threads()),
        schema.ENV_PACKAGES: package_versions(),
    }
    wants = device in (None, "auto") or str(device).startswith("cuda")
    if wants and torch.cuda.is_available():
        index = torch.device(device if str(device).startswith("cuda") else "cuda")
        tags[schema.ENV_CUDA] = torch.cuda.get_device_name(index)
    dist = torch.distributed
    if dist.is_available() and dist.is_initialized() and dist.get_world_size() > 1:
        tags[schema.ENV_WORLD_SIZE] = str(dist.get_world_size())  # torchrun: ranks of one run
    return tags
