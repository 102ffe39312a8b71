"""What the search of a tuned experiment was, what it chose, and every trial it ran.

A spec with ``tune:`` searches each configuration's hyperparameters in trials scored on the
validation split (:mod:`mmbench.tuning`), then runs the best values on ``tune.seeds`` as its
final runs, the only runs a leaderboard counts. Here the leaderboard gets a short **Tuning**
section (budget, sampler and seed, pruner, objective, space, and per configuration the trials
that counted and the chosen values), and the report folder ``tuning.md`` + ``tuning.csv`` (one
row per trial: its sampled values and validation score, pruned ones marked) and ``tuning.png``
(:mod:`mmbench.reporting.tuning_plot`).

The search is read from the final runs' tags (``mmbench.tune.*``, :mod:`mmbench.tracking.schema`)
and the chosen values from their ``tuned.<key>`` params; runs made before the search was
recorded give the searched keys from those params and say what is not recorded. A trial counts
as the study counts it (:mod:`mmbench.tuning.study`): finished, pruned (``KILLED``, ended by
the pruner) or failed in training; an interrupted trial was asked again and is left out. Only a
study's first ``tune.trials`` counted trials are shown, those its best was chosen from. An
untuned experiment (no final runs) gets no section and no files.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from mmbench.files import atomic_path, atomic_write_text
from mmbench.metrics.info import higher_is_better
from mmbench.reporting.markdown import md_code, md_text
from mmbench.tracking import schema

COMPLETE, PRUNED, FAILED = "complete", "pruned", "failed"
STATES = (COMPLETE, PRUNED, FAILED)
KINDS = {"loguniform": "log-uniform", "uniform": "uniform", "int": "integer", "choice": "one of"}


@dataclass(frozen=True)
class Search:
    """One configuration's search, as its final runs and trials record it."""

    label: str  # the configuration's leaderboard label
    study: str
    budget: int | None  # tune.trials its values were chosen with
    chosen: dict[str, str]  # searched key → the value its final runs trained with
    best_trial: int | None
    counts: dict[str, int]  # complete / pruned / failed → counted trials in that state

    @property
    def counted(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class Tuning:
    keys: list[str]  # the searched dotted keys, in the space's order
    space: dict[str, dict] | None  # key → {type, low, high, step, choices}; None: not recorded
    sampler: str | None
    seed: str | None
    pruner: str | None
    objective: str  # "val/<metric>"
    objective_recorded: bool
    searches: list[Search]  # in the leaderboard's order
    trials: pd.DataFrame  # configuration, trial, state, <key>…, score (see trial_table)
    partial: bool  # only finished trials known (a bundle written before trials.parquet)

    def log_scale(self, key: str) -> bool:
        """Whether ``key`` was searched on a log scale (unrecorded space: positive values
        spanning a factor of 5 or more)."""
        if self.space is not None:
            return (self.space.get(key) or {}).get("type") == "loguniform"
        values = pd.to_numeric(self.trials[key], errors="coerce").dropna()
        return bool(len(values) and (values > 0).all() and values.max() >= 5 * values.min())

    def categorical(self, key: str) -> bool:
        if self.space is not None:
            return (self.space.get(key) or {}).get("type") == "choice"
        return pd.to_numeric(self.trials[key], errors="coerce").isna().any()

    def intro(self, name=md_code) -> list[str]:
        """The search in one paragraph (keys and names through ``name``), then the space."""
        budgets = sorted({s.budget for s in self.searches if s.budget is not None})
        budget = " or ".join(map(str, budgets)) if budgets else "an unrecorded number of"
        how = [f"sampler {name(self.sampler)}" if self.sampler else "sampler not recorded"]
        how.append(
            f"search seed {self.seed}" if self.seed is not None else "search seed not recorded"
        )
        if self.pruner is not None:
            how.append(f"pruner {name(self.pruner)}")
        objective = f"{name(self.objective)} {self.scored()[-1]}"  # its arrow
        if not self.objective_recorded:
            objective += " (not recorded: the task's primary metric, the default)"
        lines = [
            f"Each configuration's hyperparameters were searched in **{budget} trials** "
            f"(Optuna, {', '.join(how)}), each trained with the spec's training seed and scored "
            f"on the **validation** split by {objective}, never on test; the best trial's "
            "values were then trained on every final seed, and only those final runs are "
            "counted in the leaderboard.",
            "",
            "Space: " + "; ".join(self._space_text(k, name) for k in self.keys) + ".",
            "",
        ]
        if self.partial:
            lines += [
                "Only the finished trials are known here: this bundle was written before "
                "reports kept pruned and failed trials (`trials.parquet`).",
                "",
            ]
        return lines

    def _space_text(self, key: str, name) -> str:
        param = (self.space or {}).get(key)
        if param is None:
            return f"{name(key)} (range not recorded)"
        kind = KINDS.get(param.get("type"), str(param.get("type")))
        if param.get("type") == "choice":
            choices = param.get("choices")
            shown = ", ".join(map(str, choices)) if isinstance(choices, list) else str(choices)
            return f"{name(key)} {kind} {shown}"
        step = f" step {_fmt(param['step'])}" if param.get("step") is not None else ""
        return f"{name(key)} {kind} {_fmt(param.get('low'))} … {_fmt(param.get('high'))}{step}"

    def header(self) -> list[str]:
        head = ["Configuration", "trials", *STATES, "chosen trial", self.scored()]
        return head + self.keys

    def scored(self) -> str:
        """The score column's header: ``val/vqa_acc ↑``."""
        return (
            f"{self.objective} {'↑' if higher_is_better(self.objective.split('/', 1)[-1]) else '↓'}"
        )

    def rows(self) -> list[list[str]]:
        """Per configuration: counted trials (of its budget), by state, the chosen trial and
        its validation score, the chosen values."""
        out = []
        for s in self.searches:
            trials = f"{s.counted} of {s.budget}" if s.budget is not None else str(s.counted)
            best = self.trials[(self.trials["configuration"] == s.label)]
            best = best[best["trial"] == s.best_trial] if s.best_trial is not None else best[:0]
            score = _fmt(best["score"].iloc[0]) if len(best) else "–"
            chosen = [_fmt(s.chosen.get(k)) for k in self.keys]
            shown_best = "–" if s.best_trial is None else str(s.best_trial)
            # an older bundle has only the finished trials: how the others ended is unknown
            counts = [
                str(s.counts[x]) if x == COMPLETE or not self.partial else "–" for x in STATES
            ]
            out.append([s.label, trials, *counts, shown_best, score, *chosen])
        return out

    def lines(self, link: str | None = "tuning.md") -> list[str]:
        """The leaderboard's Markdown section: the search, the chosen values, the link."""
        table = _md_table(self.header(), self.rows())
        more = [f"Every trial's values and score, and score against each value: [{link}]({link}).",
                ""]  # fmt: skip
        return ["## Tuning", "", *self.intro(), *table, "", *(more if link else [])]


def _md_table(header: list[str], rows: list[list[str]], bold: set[int] = frozenset()) -> list[str]:
    """A Markdown table of plain text cells; the rows numbered in ``bold`` in bold."""
    lines = ["| " + " | ".join(md_text(h) for h in header) + " |", "|" + "---|" * len(header)]
    for i, row in enumerate(rows):
        cells = [md_text(c) for c in row]
        cells = [f"**{c}**" if i in bold and c not in ("", "–") else c for c in cells]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def _fmt(value: object) -> str:
    """A searched value or score as the tables show it (4 significant digits)."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "–"
    try:
        number = float(value)  # params are strings: "0.00046701811385017514"
    except (TypeError, ValueError):
        return str(value)
    if isinstance(value, str) and not any(c in value for c in ".eE") and number.is_integer():
        return value  # an int stays as written
    return f"{number:.4g}"


def _column(frame: pd.DataFrame, name: str) -> pd.Series:
    return frame[name] if name in frame else pd.Series(index=frame.index, dtype=object)


def _first(frame: pd.DataFrame, name: str) -> str | None:
    values = _column(frame, name).dropna()
    return str(values.iloc[0]) if len(values) else None


def trial_state(trials: pd.DataFrame) -> pd.Series:
    """complete / pruned / failed per trial run, None for one that does not count (interrupted,
    or ended by the reaper). Without a ``status`` (an older bundle) every trial is finished."""
    status = _column(trials, "status").fillna("FINISHED")
    ended = _column(trials, f"tags.{schema.ENDED_BECAUSE}").fillna("").astype(str)
    state = pd.Series(None, index=trials.index, dtype=object)
    state[status == "FINISHED"] = COMPLETE
    state[(status == "KILLED") & ended.str.startswith("pruned")] = PRUNED
    state[status == "FAILED"] = FAILED
    return state


def trial_table(trials: pd.DataFrame, studies: dict[str, tuple[str, int | None]],
                keys: list[str], objective: str) -> pd.DataFrame:  # fmt: skip
    """``configuration, trial, state, <key>…, score, run_id``: each study's first ``budget``
    counted trials (``studies``: study → (configuration label, budget)), by trial number."""
    columns = ["configuration", "trial", "state", *keys, "score", "run_id"]
    if trials.empty or f"tags.{schema.STUDY}" not in trials:
        return pd.DataFrame(columns=columns)
    trials = trials.assign(_state=trial_state(trials))
    trials = trials[trials["_state"].notna() & trials[f"tags.{schema.STUDY}"].isin(studies)]
    parts = []
    for study, g in trials.groupby(f"tags.{schema.STUDY}", sort=False):
        label, budget = studies[study]
        number = pd.to_numeric(_column(g, f"tags.{schema.TRIAL}"), errors="coerce")
        order = [c for c in ("_n", "start_time") if c in g or c == "_n"]
        g = g.assign(_n=number).dropna(subset=["_n"]).sort_values(order)
        g = g.drop_duplicates("_n", keep="last")[:budget]
        part = pd.DataFrame({"configuration": label, "trial": g["_n"].astype(int),
                             "state": g["_state"]})  # fmt: skip
        for key in keys:
            part[key] = _column(g, f"params.{key}")
        score = pd.to_numeric(_column(g, f"metrics.{objective}"), errors="coerce")
        part["score"] = score.where(part["state"] != FAILED)  # a failed trial has no score
        part["run_id"] = g["run_id"]
        parts.append(part)
    if not parts:
        return pd.DataFrame(columns=columns)
    return pd.concat(parts, ignore_index=True)[columns]


def tuning(configs: pd.DataFrame, trials: pd.DataFrame, order: list[str],
           partial: bool = False) -> Tuning | None:  # fmt: skip
    """The tuning view of the counted runs ``configs`` (with ``_config``) and the experiment's
    ``trials`` (``RunSource.trials``); ``order``: the leaderboard's labels. None when no
    counted run is a final run of a search."""
    stage = _column(configs, f"tags.{schema.STAGE}")
    studied = _column(configs, f"tags.{schema.STUDY}").notna()
    finals = configs[(stage == schema.STAGE_FINAL) & studied]
    if finals.empty:
        return None
    space_text = _first(finals, f"tags.{schema.TUNE_SPACE}")
    try:
        space = json.loads(space_text) if space_text else None
    except ValueError:
        space = None
    prefix = f"params.{schema.TUNED_PARAM}"
    given = [c for c in finals if c.startswith(prefix) and finals[c].notna().any()]
    tuned = sorted(c[len(prefix) :] for c in given)
    keys = list(space) if isinstance(space, dict) else tuned
    recorded = _first(finals, f"tags.{schema.TUNE_OBJECTIVE}")
    primary = _first(finals, f"tags.{schema.PRIMARY_METRIC}") or "loss"
    objective = recorded or f"val/{primary}"
    labels = [x for x in order if x in set(finals["_config"].astype(str))]
    labels += sorted(set(finals["_config"].astype(str)) - set(labels))
    studies: dict[str, tuple[str, int | None]] = {}
    searches = []
    for label in labels:
        g = finals[finals["_config"].astype(str) == label]
        study = str(_column(g, f"tags.{schema.STUDY}").mode().iloc[0])
        budget = pd.to_numeric(_column(g, f"tags.{schema.TUNE_TRIALS}"), errors="coerce").max()
        budget = None if pd.isna(budget) else int(budget)
        best = pd.to_numeric(_column(g, f"tags.{schema.TUNE_BEST_TRIAL}"), errors="coerce").max()
        chosen = {k: v for k in keys if (v := _first(g, f"{prefix}{k}")) is not None}
        studies[study] = (label, budget)
        searches.append([label, study, budget, chosen, None if pd.isna(best) else int(best)])
    table = trial_table(trials, studies, keys, objective)
    out = []
    for label, study, budget, chosen, best in searches:
        mine = table[table["configuration"] == label]
        if best is None:  # recorded before the tag: the best trial that ran the chosen values
            best = _matching_best(mine, chosen, keys, objective)
        counts = {x: int((mine["state"] == x).sum()) for x in STATES}
        out.append(Search(label, study, budget, chosen, best, counts))
    return Tuning(
        keys, space if isinstance(space, dict) else None,
        _first(finals, f"tags.{schema.TUNE_SAMPLER}"), _first(finals, f"tags.{schema.TUNE_SEED}"),
        _first(finals, f"tags.{schema.TUNE_PRUNER}"), objective, recorded is not None, out, table,
        partial,
    )  # fmt: skip


def _matching_best(trials: pd.DataFrame, chosen: dict[str, str], keys: list[str],
                   objective: str) -> int | None:  # fmt: skip
    done = trials[trials["state"] == COMPLETE]
    for key in keys:
        done = done[done[key].astype(str) == str(chosen.get(key))]
    if done.empty:
        return None
    sign = 1.0 if higher_is_better(objective.split("/", 1)[-1]) else -1.0
    return int(done.loc[(sign * done["score"]).idxmax(), "trial"])


def write_tuning(view: Tuning | None, experiment: str, out_dir: Path) -> Path | None:
    """Write ``tuning.md``, ``tuning.csv`` and ``tuning.png``; the .md, or None (untuned)."""
    if view is None:
        return None
    from mmbench.reporting.tuning_plot import plot_tuning

    out_dir.mkdir(parents=True, exist_ok=True)
    png = out_dir / "tuning.png"
    drawn = plot_tuning(view, png)
    with atomic_path(out_dir / "tuning.csv") as tmp:
        view.trials.drop(columns=["run_id"]).to_csv(tmp, index=False)
    best = {(s.label, s.best_trial) for s in view.searches}
    rows, bold = [], set()
    for i, (_, t) in enumerate(view.trials.iterrows()):
        if (t["configuration"], t["trial"]) in best:
            bold.add(i)
        ended = {PRUNED: "pruned (last score reported)", FAILED: "failed"}.get(t["state"], "")
        values = [_fmt(t[k]) for k in view.keys]
        rows.append([str(t["configuration"]), str(t["trial"]), *values, _fmt(t["score"]), ended])
    head = ["Configuration", "trial", *view.keys, view.scored(), "ended"]
    body = [
        f"# Tuning: {md_text(experiment)}",
        "",
        *view.intro(),
        "## Chosen values",
        "",
        *_md_table(view.header(), view.rows()),
        "",
        "## Every trial",
        "",
        "Each counted trial's sampled values and validation score, by configuration and trial "
        "number (the chosen trial in bold). A pruned trial's score is the last one it "
        "reported before the pruner stopped it; a failed trial (e.g. diverged) has none. All "
        "values also in `tuning.csv`, at full precision.",
        "",
        *_md_table(head, rows, bold),
        "",
    ]
    if drawn:
        body += [f"![{md_text(view.objective)} against each tuned value]({png.name})", ""]
    return atomic_write_text(out_dir / "tuning.md", "\n".join(body))
