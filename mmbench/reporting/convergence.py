"""Which counted runs ended at their training cap while still improving on validation.

A run stopped by ``train.epochs`` (or ``max_steps``) whose validation score was still rising
may be under-trained, and a comparison of under-trained models can rank the budget rather than
the method. Runs of this mmbench carry the answer as a tag (``mmbench.still_improving``, set by
``engine.loop.fit``); for older runs it is read off their metrics: the best epoch was the last
epoch of a run that trained all of ``train.epochs`` without a step cap. Runs for which neither
says (external predictions, a step-capped older run) are not counted either way.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from mmbench.reporting.markdown import md_text
from mmbench.tracking import schema


def _numeric(runs: pd.DataFrame, name: str) -> pd.Series:
    if name not in runs:
        return pd.Series(float("nan"), index=runs.index)
    return pd.to_numeric(runs[name], errors="coerce").astype(float)


def still_improving(runs: pd.DataFrame) -> pd.Series:
    """Per run: True / False, or NA where the run does not say."""
    tag = runs.get(f"tags.{schema.STILL_IMPROVING}", pd.Series(index=runs.index, dtype=object))
    known = tag.map({"1": True, "0": False})
    best = _numeric(runs, "metrics.best_epoch")
    epochs = _numeric(runs, "params.train.epochs")
    steps = runs.get("params.train.max_steps", pd.Series(index=runs.index, dtype=object))
    uncapped = steps.isna() | steps.astype(str).isin(["None", "null", ""])
    derivable = best.notna() & epochs.notna() & uncapped
    derived = (best == epochs - 1).where(derivable)
    return known.where(known.notna(), derived).astype("boolean")


@dataclass(frozen=True)
class Convergence:
    flagged: list[tuple[str, int, int]]  # (configuration, runs still improving, its runs)
    known: int  # runs whose convergence is known (tag or metrics)

    def lines(self, name=md_text) -> list[str]:
        """A Markdown paragraph (and a blank line) naming the flagged configurations, each put
        through ``name``; no lines when none is flagged."""
        if not self.flagged:
            return []
        counts = ", ".join(f"{name(c)} ({hit} of {n})" for c, hit, n in self.flagged)
        total = sum(hit for _, hit, _ in self.flagged)
        return [_TEXT.format(total=total, known=self.known, counts=counts), ""]


def convergence(runs: pd.DataFrame) -> Convergence:
    """Which configurations have runs still improving at their cap (``runs``: counted runs
    with ``_config``)."""
    known = still_improving(runs)
    flags = known.fillna(False)
    flagged = []
    for config, group in runs.groupby("_config", sort=True):
        hit = int(flags.loc[group.index].sum())
        if hit:
            flagged.append((str(config), hit, len(group)))
    return Convergence(flagged, int(known.notna().sum()))


_TEXT = (
    "**Convergence:** {total} of {known} runs ended at their training "
    "cap while the validation score was still improving (best epoch = last epoch, or no "
    "plateau under early stopping), so they may be under-trained: {counts}. "
    "More epochs or `train.early_stopping` would show whether the ranking holds."
)
