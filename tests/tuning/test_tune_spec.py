"""Bad tune: blocks: every problem at once, each naming tune.<key>, what was found and allowed."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from mmbench.cli import cli
from mmbench.errors import MmbenchError
from mmbench.spec import load_plan, spec_hash
from tests.spec.helpers import BASE


def problems(path, overrides=()) -> list[str]:
    with pytest.raises(MmbenchError) as info:
        load_plan(path, overrides)
    return info.value.problems


def tuned(space: str, extra: str = "") -> str:
    return BASE + f"tune:\n  trials: 3\n{extra}  space:\n{space}"


def test_a_valid_tune_block_loads_with_defaults(write):
    plan = load_plan(write(tuned("    train.lr: {type: loguniform, low: 1e-4, high: 1e-2}\n")))
    tune = plan.specs[0].tune
    assert tune.trials == 3 and tune.seeds == [0, 1, 2, 3, 4] and tune.pruner == "none"
    assert tune.space["train.lr"].low == pytest.approx(1e-4)


def test_tune_does_not_change_the_configuration_hash(write):
    plain = load_plan(write(BASE, "plain.yaml")).specs[0]
    with_tune = load_plan(write(tuned("    train.lr: {type: uniform, low: 0.1, high: 0.2}\n")))
    assert spec_hash(with_tune.specs[0]) == spec_hash(plain)


def test_every_range_problem_is_reported_at_once(write):
    space = (
        "    train.lr: {type: loguniform, low: 0, high: 1}\n"
        "    train.warmup_frac: {type: uniform, low: 0.5, high: 0.1}\n"
        "    model.dim: {type: choice, choices: [8, 8]}\n"
        "    train.batch_size: {type: choice, choices: []}\n"
        "    train.epochs: {type: int, low: 1.5, high: 3}\n"
        "    train.weight_decay: {type: uniform, low: 0, high: 1, choices: [1]}\n"
    )
    path = write(tuned(space))
    lines = problems(path)
    expected = {
        "tune.space.train.lr": "low must be > 0 for a log-uniform range (low is 0)",
        "tune.space.train.warmup_frac": "low (0.5) must be less than high (0.1)",
        "tune.space.model.dim": "choices: 8 listed more than once",
        "tune.space.train.batch_size": "choices: 0 values; give 1 to 1000",
        "tune.space.train.epochs": "type 'int' needs whole numbers",
        "tune.space.train.weight_decay": "type 'uniform' takes 'low' and 'high', not 'choices'",
    }
    assert len(lines) == len(expected), lines
    for key, text in expected.items():
        (line,) = [p for p in lines if f": {key}: " in p]
        assert line.startswith(f"{path}: {key}: {text}"), line
        assert "found {" in line  # what was found


def test_budget_pruner_and_seeds_are_checked(write):
    extra = "  seeds: [1, 1]\n  pruner: medain\n"
    path = write(tuned("    train.lr: {type: uniform, low: 0.1, high: 0.2}\n", extra))
    path.write_text(path.read_text().replace("trials: 3", "trials: 0"))
    lines = problems(path)
    assert any(
        "tune.trials: Input should be greater than or equal to 1; found 0" in p for p in lines
    )
    assert any("tune.pruner:" in p and "did you mean 'median'?" in p for p in lines)
    assert any("tune.seeds: each seed must appear once" in p for p in lines)


def test_keys_must_exist_be_tunable_and_not_swept(write):
    space = (
        "    train.lrr: {type: uniform, low: 0.1, high: 0.2}\n"
        "    train.seed: {type: int, low: 0, high: 3}\n"
        "    eval.batch_size: {type: int, low: 1, high: 3}\n"
        "    model.fusion.name: {type: choice, choices: [concat, sum]}\n"
    )
    text = tuned(space) + "sweep:\n  model.fusion.name: [concat, film]\n"
    lines = problems(write(text))
    assert len(lines) == 4, lines
    (lrr,) = [p for p in lines if "tune.space.train.lrr:" in p]
    assert "tunes a key that does not exist: 'lrr' is not a key of train; did you mean 'lr'?" in lrr
    assert any("tune.space.train.seed: this key cannot be tuned (seeds are set by tune.seeds" in p
               for p in lines)  # fmt: skip
    assert any("tune.space.eval.batch_size: this key cannot be tuned (eval.*" in p for p in lines)
    assert any("tune.space.model.fusion.name: also swept (sweep.model.fusion.name)" in p
               for p in lines)  # fmt: skip


def test_seed_sweep_is_refused_with_tune(write):
    text = tuned("    train.lr: {type: uniform, low: 0.1, high: 0.2}\n") + (
        "sweep:\n  train.seed: [0, 1]\n"
    )
    (line,) = problems(write(text))
    assert "sweep.train.seed: a spec with tune: sets its seeds in tune.seeds" in line


def test_values_must_fit_their_key(write):
    space = (
        "    train.epochs: {type: uniform, low: 1, high: 3}\n"
        "    train.optimizer: {type: choice, choices: [adamw, adma]}\n"
    )
    lines = problems(write(tuned(space)))
    assert len(lines) == 2, lines
    assert any(
        "tune.space.train.epochs: the value 1.0 does not fit train.epochs" in p
        and "use type 'int' for train.epochs" in p
        for p in lines
    )
    assert any(
        "tune.space.train.optimizer: the value 'adma' does not fit train.optimizer" in p
        and "did you mean 'adam'?" in p
        for p in lines
    )


def test_objective_must_be_a_logged_score(write):
    extra = "  objective: vqa_ac\n"
    (line,) = problems(write(tuned("    train.lr: {type: uniform, low: 0.1, high: 0.2}\n", extra)))
    assert "tune.objective: 'vqa_ac' is not a score the runs log; did you mean 'vqa_acc'?" in line
    assert "(allowed: vqa_acc, loss)" in line


def test_tune_cannot_be_swept(write):
    text = tuned("    train.lr: {type: uniform, low: 0.1, high: 0.2}\n")
    (line,) = problems(write(text + "sweep:\n  tune.trials: [2, 4]\n"))
    assert "sweep.tune.trials: this key cannot be swept" in line


def test_cli_exits_2_naming_the_field_without_traceback(write):
    path = write(tuned("    train.lr: {type: loguniform, low: -1, high: 1}\n"))
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 2
    assert "error: " in result.output and "tune.space.train.lr: low must be > 0" in result.output
    assert "Traceback" not in result.output
