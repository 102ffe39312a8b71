"""``mmbench eval``: score external prediction files with the official metrics.

Thin click commands over :mod:`mmbench.evaluation`; wired into the main CLI with
``cli.add_command(eval_group)``; user errors are reported by the main group
(``mmbench.cli.MmbenchGroup``), the one handler for every command.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

_FILE = click.Path(dir_okay=False, path_type=Path)


def _checked_log_name(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Refuse a bad ``--log NAME`` before any file is read: it becomes an experiment (and
    folder) name, so it must be a name, never a path or markup."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from mmbench.errors import MmbenchError, short_repr
        from mmbench.spec.names import name_problem

        name = kwargs.get("experiment")
        problem = None if name is None else name_problem(name)
        if problem:
            raise MmbenchError(f"--log {short_repr(name)}: {problem}")
        return fn(*args, **kwargs)

    return wrapper


def _common(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Options shared by every ``eval`` command (applied bottom-up)."""
    options = [
        click.option("--json", "as_json", is_flag=True, help="Print one JSON object on stdout."),
        click.option("--per-example", type=_FILE, default=None,
                     help="Write per-example scores to FILE (.csv or .jsonl)."),
        click.option("--ci", is_flag=True, help="Add bootstrap 95% intervals (1000 resamples)."),
        click.option("--seed", type=int, default=0, show_default=True, help="Bootstrap seed."),
        click.option("--log", "experiment", metavar="NAME", default=None,
                     help="Log the evaluation as an MLflow run in experiment NAME."),
    ]  # fmt: skip
    fn = _checked_log_name(fn)
    for option in reversed(options):
        fn = option(fn)
    return fn


def _emit(report: Any, as_json: bool, per_example: Path | None, experiment: str | None) -> None:
    from mmbench.evaluation import format_table, write_per_example

    if per_example is not None:
        write_per_example(report, per_example)
    run_id = None
    if experiment:
        from mmbench.evaluation.mlflow_log import log_evaluation

        run_id = log_evaluation(report, experiment, per_example_path=per_example)
    if as_json:
        out = report.to_dict()
        out["mlflow_run_id"] = run_id
        click.echo(json.dumps(out, ensure_ascii=False))
    else:
        click.echo(format_table(report))
        if run_id:
            click.echo(f"logged: MLflow run {run_id} in experiment '{experiment}'")


@click.group("eval")
def eval_group() -> None:
    """Score external prediction files (official formats) with mmbench's exact metrics."""


@eval_group.command("vqa")
@click.option(
    "--predictions", type=_FILE, required=True, help="Results JSON [{question_id, answer}]."
)
@click.option("--annotations", type=_FILE, required=True, help="VQA v2 annotations JSON.")
@click.option("--questions", type=_FILE, default=None, help="VQA v2 questions JSON (checked).")
@_common
def eval_vqa(predictions, annotations, questions, as_json, per_example, ci, seed, experiment):
    """Official VQA accuracy (GT-Vision-Lab vqaEval.py rules)."""
    from mmbench.evaluation import evaluate_vqa

    report = evaluate_vqa(predictions, annotations, questions, ci=ci, seed=seed)
    _emit(report, as_json, per_example, experiment)


@eval_group.command("captioning")
@click.option(
    "--predictions", type=_FILE, required=True, help="Results JSON [{image_id, caption}]."
)
@click.option("--references", type=_FILE, required=True, help="COCO caption annotations JSON.")
@click.option(
    "--tokenizer",
    type=click.Choice(["python", "java"]),
    default="python",
    show_default=True,
    help="PTB tokenizer: our Python port or the original (Java).",
)
@click.option(
    "--allow-subset",
    is_flag=True,
    help="Score only the images that have a prediction (as the COCO demo does).",
)
@click.option(
    "--meteor",
    is_flag=True,
    help="Add METEOR 1.5 (pycocoevalcap's jar; needs java on PATH; no --ci interval).",
)
@_common
def eval_captioning(predictions, references, tokenizer, allow_subset, meteor, as_json,
                    per_example, ci, seed, experiment):  # fmt: skip
    """CIDEr-D and BLEU-1..4 (pycocoevalcap 1.2), optionally METEOR."""
    from mmbench.evaluation import evaluate_captioning

    report = evaluate_captioning(predictions, references, tokenizer=tokenizer,
                                 allow_subset=allow_subset, meteor=meteor, ci=ci,
                                 seed=seed)  # fmt: skip
    _emit(report, as_json, per_example, experiment)


@eval_group.command("asr")
@click.option("--predictions", type=_FILE, required=True, help="jsonl {id, text} or 'utt_id text'.")
@click.option("--references", type=_FILE, required=True, help="jsonl {id, text} or 'utt_id text'.")
@click.option(
    "--normalizer",
    type=click.Choice(["none", "basic", "whisper_en"]),
    default="none",
    show_default=True,
    help="Text normaliser applied to both sides.",
)
@_common
def eval_asr(predictions, references, normalizer, as_json, per_example, ci, seed, experiment):
    """WER, MER, WIL and CER (jiwer 4.0.0)."""
    from mmbench.evaluation import evaluate_asr

    report = evaluate_asr(predictions, references, normalizer=normalizer, ci=ci, seed=seed)
    _emit(report, as_json, per_example, experiment)


@eval_group.command("summarization")
@click.option("--predictions", type=_FILE, required=True, help="jsonl {id, summary}.")
@click.option(
    "--references",
    type=_FILE,
    required=True,
    help="jsonl {id, summary} or {id, references: [...]}.",
)
@click.option(
    "--stemmer/--no-stemmer",
    default=False,
    show_default=True,
    help="Porter stemmer (rouge-score's use_stemmer).",
)
@_common
def eval_summarization(predictions, references, stemmer, as_json, per_example, ci, seed,
                       experiment):  # fmt: skip
    """ROUGE-1/2/L/Lsum (rouge-score 0.1.2)."""
    from mmbench.evaluation import evaluate_summarization

    report = evaluate_summarization(predictions, references, use_stemmer=stemmer, ci=ci, seed=seed)
    _emit(report, as_json, per_example, experiment)


@eval_group.command("run")
@click.argument("run_ids", nargs=-1, required=True, metavar="RUN_ID...")
@click.option(
    "--dataset",
    default=None,
    metavar="NAME",
    help="Replace the trained spec's dataset with NAME (its default kwargs).",
)
@click.option(
    "--set",
    "overrides",
    multiple=True,
    metavar="KEY=VALUE",
    help="Change a dataset.* or eval.* key, e.g. --set dataset.kwargs.sample_rate=8000.",
)
@click.option(
    "--log",
    "experiment",
    metavar="NAME",
    default=None,
    help="Log each evaluation as an MLflow run in experiment NAME.",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per run.")
@_checked_log_name
def eval_run(run_ids, dataset, overrides, experiment, as_json):
    """Evaluate trained runs (their checkpoints) on another dataset, without retraining."""
    from mmbench.evaluation.transfer import evaluate_run

    for run_id in run_ids:
        out = evaluate_run(run_id, dataset, overrides, experiment=experiment)
        if as_json:
            click.echo(json.dumps({"run_id": run_id, "dataset": out.spec.dataset.name,
                                   "n": out.n_examples, "scores": out.scores,
                                   "mlflow_run_id": out.run_id}))  # fmt: skip
            continue
        shown = ", ".join(f"{k} {v:.2f}" for k, v in out.scores.items() if not k.endswith("loss"))
        click.echo(f"{run_id} on {out.spec.dataset.name} ({out.n_examples} examples): {shown}")
        if out.run_id:
            click.echo(f"logged: MLflow run {out.run_id} in experiment '{experiment}'")
