"""mmbench: multimodal fusion benchmarks with official metrics, MLflow tracking and leaderboards.

From a notebook: ``mmbench.run(spec)`` trains and evaluates every point of a spec,
``mmbench.validate(spec)`` checks it without running, and ``mmbench.results(experiment)`` is a
tidy table of its runs. They are imported on first use, so ``import mmbench`` stays light.
"""

__version__ = "0.1.0"

_ENTRY_POINTS = {
    "run": "mmbench.api",
    "validate": "mmbench.api",
    "results": "mmbench.reporting.results",
}


def __getattr__(name: str):
    if name in _ENTRY_POINTS:
        import importlib

        return getattr(importlib.import_module(_ENTRY_POINTS[name]), name)
    raise AttributeError(f"module 'mmbench' has no attribute {name!r}")
