"""Validation of ``eval.corruptions`` and ``train.corruptions`` against a task and the registry.

Runs at ``mmbench validate`` time (no data, no torch): each input must be one of the task's
inputs, each corruption registered, of the input's modality kind, with keyword arguments it
takes and levels in its range. An input the model does not encode may be listed (a unimodal
baseline of a sweep): its curve is flat at the clean score, since the model never sees it.
"""

from __future__ import annotations

from mmbench.registry import CORRUPTIONS, did_you_mean


def corruption_problems(spec, task_inputs: dict[str, str], task_name: str) -> list[str]:
    """Problem lines for both corruption keys of ``spec`` (an ``ExperimentSpec``)."""
    problems: list[str] = []
    for section, table in (("eval", spec.eval.corruptions), ("train", spec.train.corruptions)):
        for inp, specs in table.items():
            key = f"{section}.corruptions.{inp}"
            if inp not in task_inputs:
                problems.append(
                    f"{key}: task '{task_name}' has no input '{inp}'"
                    f"{did_you_mean(inp, list(task_inputs))} (inputs: {', '.join(task_inputs)})"
                )
                continue
            seen: set[str] = set()
            for i, c in enumerate(specs):
                problems += _one(c, f"{key}[{i}]", task_inputs[inp], inp)
                if c.name in seen:
                    problems.append(
                        f"{key}[{i}].name: '{c.name}' is listed twice for input '{inp}' "
                        "(give all its levels in one entry)"
                    )
                seen.add(c.name)
    return problems


def _one(c, key: str, kind: str, inp: str) -> list[str]:
    if c.name not in CORRUPTIONS:
        return [
            f"{key}.name: unknown corruption '{c.name}'{did_you_mean(c.name, CORRUPTIONS.names())} "
            f"(available: {', '.join(CORRUPTIONS.names())})"
        ]
    cls = CORRUPTIONS.get(c.name)
    if cls.kind != kind:
        fitting = [n for n in CORRUPTIONS.names() if CORRUPTIONS.get(n).kind == kind]
        return [
            f"{key}.name: '{c.name}' corrupts {cls.kind} but input '{inp}' is {kind} "
            f"({kind} corruptions: {', '.join(fitting)})"
        ]
    allowed, open_kwargs = CORRUPTIONS.kwargs_of(c.name)
    problems = [
        f"{key}.kwargs.{k}: corruption '{c.name}' takes no argument '{k}'"
        f"{did_you_mean(k, sorted(allowed))} (allowed: {', '.join(sorted(allowed)) or 'none'})"
        for k in c.kwargs
        if not open_kwargs and k not in allowed
    ]
    if problems:
        return problems
    corruption = cls(**c.kwargs)
    for j, level in enumerate(c.levels):
        why = corruption.level_problem(level)
        if why:
            problems.append(f"{key}.levels[{j}]: {why}")
    if len(set(c.levels)) != len(c.levels):
        problems.append(f"{key}.levels: a level is listed twice ({c.levels})")
    return problems
