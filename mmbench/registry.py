"""One generic name → factory registry, with did-you-mean errors.

Every component kind (encoders, fusions, heads, tasks, datasets, metrics, corruptions) has one
``Registry`` instance here. A component registers itself with a decorator in its own
file; the registry imports its package lazily the first time it is asked for a name,
so importing ``mmbench`` stays cheap and ``mmbench validate`` needs no torch.

Adding a component: one file in the kind's package, one ``@REGISTRY.register("name")``
line in it, one import line in the package ``__init__``, and one test.
"""

from __future__ import annotations

import difflib
import importlib
import inspect
from collections.abc import Callable
from typing import Any

from mmbench.errors import MmbenchError, short_repr


def did_you_mean(word: str, choices: list[str]) -> str:
    """``"; did you mean 'x'?"`` for the closest choice, or an empty string."""
    close = difflib.get_close_matches(str(word), choices, n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def list_choices(choices: list[str], limit: int = 20) -> str:
    shown = ", ".join(sorted(choices)[:limit])
    more = f", … ({len(choices) - limit} more)" if len(choices) > limit else ""
    return f"(available: {shown}{more})"


class Registry:
    """Maps short names to factories (classes or functions) of one kind."""

    def __init__(self, kind: str, package: str):
        self.kind = kind  # e.g. "fusion"
        self.package = package  # imported on first lookup to run the registrations
        self._items: dict[str, Callable[..., Any]] = {}
        self._loaded = False

    def register(self, name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        def deco(obj: Callable[..., Any]) -> Callable[..., Any]:
            if name in self._items and self._items[name] is not obj:
                raise ValueError(f"{self.kind} '{name}' is registered twice")
            self._items[name] = obj
            obj.registered_name = name  # type: ignore[attr-defined]
            return obj

        return deco

    def _load(self) -> None:
        if not self._loaded:
            self._loaded = True
            importlib.import_module(self.package)

    def names(self) -> list[str]:
        self._load()
        return sorted(self._items)

    def __contains__(self, name: object) -> bool:
        self._load()
        return name in self._items

    def get(self, name: str, where: str = "") -> Callable[..., Any]:
        """The factory for ``name``; a did-you-mean ``MmbenchError`` if unknown."""
        self._load()
        if name not in self._items:
            prefix = f"{where}: " if where else ""
            raise MmbenchError(
                f"{prefix}unknown {self.kind} {short_repr(name)}{did_you_mean(name, self.names())} "
                f"{list_choices(self.names())}"
            )
        return self._items[name]

    def summary(self, name: str) -> str:
        """First line of the component's docstring, for ``mmbench ls``."""
        doc = inspect.getdoc(self.get(name)) or ""
        return doc.splitlines()[0] if doc else ""

    def kwargs_of(self, name: str) -> tuple[set[str], bool]:
        """Keyword arguments a spec may pass, and whether ``**kwargs`` is accepted."""
        obj = self.get(name)
        fn = obj.__init__ if inspect.isclass(obj) else obj
        params = list(inspect.signature(fn).parameters.values())
        open_kwargs = any(p.kind is p.VAR_KEYWORD for p in params)
        allowed = {
            p.name
            for p in params
            if p.kind in (p.KEYWORD_ONLY, p.POSITIONAL_OR_KEYWORD) and p.name not in HIDDEN_ARGS
        }
        return allowed, open_kwargs


# Arguments that build.py supplies itself; a spec never sets them.
HIDDEN_ARGS = {"self", "inp", "in_dims", "in_dim", "num_outputs", "task"}

ENCODERS = Registry("encoder", "mmbench.encoders")
FUSIONS = Registry("fusion", "mmbench.fusions")
HEADS = Registry("head", "mmbench.heads")
TASKS = Registry("task", "mmbench.tasks")
DATASETS = Registry("dataset", "mmbench.data")
METRICS = Registry("metric", "mmbench.metrics")
CORRUPTIONS = Registry("corruption", "mmbench.corruptions")

ALL = {
    "encoders": ENCODERS,
    "fusions": FUSIONS,
    "heads": HEADS,
    "tasks": TASKS,
    "datasets": DATASETS,
    "metrics": METRICS,
    "corruptions": CORRUPTIONS,
}
