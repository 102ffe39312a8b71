"""What a metric's scores mean, declared once beside the metric and read by everything else.

A metric registers itself with ``@METRICS.register(name)`` and describes the scores it returns
with ``@declares(...)`` right below it::

    @METRICS.register("wer")
    @declares(
        ScoreInfo("wer", higher_is_better=False, numerator=WORD_ERRORS, denominator=WORD_REFS),
        ScoreInfo("mer", higher_is_better=False),
    )
    def wer(predictions, references): ...

Each :class:`ScoreInfo` says which way is better and how the corpus score follows from the
per-example numbers the metric returns: their mean (``aggregation="mean"``), the ratio of two
sums of per-example counts (``"ratio"``, corpus WER = Σ errors / Σ reference words), or neither
(``"corpus"``: corpus BLEU, METEOR — no test across examples is possible). Tasks, the engine's
model selection, the leaderboard's arrows and sort order, the statistics and ``mmbench ls`` read
these declarations through :func:`score_info` / :func:`higher_is_better`; nothing else keeps a
list of metric names. (The metric's fingerprint is returned with every result, by the metric.)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

Aggregation = Literal["mean", "ratio", "corpus"]


@dataclass(frozen=True)
class ScoreInfo:
    """One score a metric returns (a key of ``MetricResult.scores``)."""

    name: str
    higher_is_better: bool = True
    aggregation: Aggregation = "mean"
    numerator: tuple[str, ...] = ()  # ratio: per-example count columns summed on top
    denominator: tuple[str, ...] = ()  # … and below
    rounded: float = 0.0  # the step the official corpus and per-example scores are rounded to

    def __post_init__(self) -> None:
        if (self.aggregation == "ratio") != bool(self.numerator and self.denominator):
            raise ValueError(f"score {self.name!r}: a ratio needs numerator and denominator")


def declares(*declared: ScoreInfo) -> Callable[[Any], Any]:
    """Declare the scores of the metric function below (see the module docstring)."""

    def deco(fn: Any) -> Any:
        fn.score_infos = {s.name: s for s in declared}
        return fn

    return deco


# Not metrics, but logged beside them and read the same way.
_OTHER = {"loss": ScoreInfo("loss", higher_is_better=False, aggregation="corpus")}


def all_scores() -> dict[str, ScoreInfo]:
    """Every declared score of every registered metric, by score name."""
    from mmbench.registry import METRICS

    out: dict[str, ScoreInfo] = {}
    for name in METRICS.names():
        for key, info in getattr(METRICS.get(name), "score_infos", {}).items():
            if key in out and out[key] != info:
                raise ValueError(f"score {key!r} is declared differently by two metrics")
            out[key] = info
    return out


def score_info(key: str) -> ScoreInfo | None:
    """The declaration of score ``key`` (``"wer"``, ``"rougeL"``; a split prefix such as
    ``"test/"`` and a ``_p``/``_r`` suffix of ROUGE are allowed); None if nobody declares it."""
    key = key.split("/")[-1]
    table = {**all_scores(), **_OTHER}
    return table.get(key)


def higher_is_better(key: str) -> bool:
    """Which way score ``key`` is better (undeclared scores read as higher-is-better)."""
    info = score_info(key)
    return True if info is None else info.higher_is_better


def metric_scores(metric: str) -> dict[str, ScoreInfo]:
    """The scores the registered metric ``metric`` declares."""
    from mmbench.registry import METRICS

    return dict(getattr(METRICS.get(metric), "score_infos", {}))
