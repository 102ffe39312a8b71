"""Evaluate external prediction files (official formats) with mmbench's exact metrics.

``evaluate_vqa``, ``evaluate_captioning``, ``evaluate_asr``, ``evaluate_summarization`` load and
check the files and return an :class:`EvalReport`; ``format_table``, ``write_per_example`` and
``log_evaluation`` (MLflow) render or record it. ``mmbench eval`` is a thin layer over these.
"""

from mmbench.evaluation.evaluate import (
    EvalReport,
    evaluate_asr,
    evaluate_captioning,
    evaluate_summarization,
    evaluate_vqa,
)
from mmbench.evaluation.output import format_table, per_example_rows, write_per_example


def __getattr__(name: str):
    # MLflow is imported only when logging is asked for (it costs ~1 s).
    if name == "log_evaluation":
        from mmbench.evaluation.mlflow_log import log_evaluation

        return log_evaluation
    raise AttributeError(name)


__all__ = [
    "EvalReport",
    "evaluate_asr",
    "evaluate_captioning",
    "evaluate_summarization",
    "evaluate_vqa",
    "format_table",
    "log_evaluation",
    "per_example_rows",
    "write_per_example",
]
