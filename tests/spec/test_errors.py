"""Bad specs: every problem at once, each naming file, key, found, allowed, did-you-mean."""

from __future__ import annotations

import pytest

from mmbench.errors import MmbenchError
from mmbench.spec import load_plan
from tests.spec.helpers import BASE


def problems(path, overrides=()) -> list[str]:
    with pytest.raises(MmbenchError) as info:
        load_plan(path, overrides)
    return info.value.problems


def test_unknown_fusion_name_suggests_the_close_one(write):
    path = write(BASE.replace("name: concat", "name: cros_attention"))
    (line,) = problems(path)
    assert line.startswith(
        f"{path}: model.fusion.name: unknown fusion 'cros_attention'; "
        "did you mean 'cross_attention'? (available: "
    )
    assert "concat" in line and "film" in line


def test_wrong_type_names_key_and_value(write):
    path = write(BASE.replace("epochs: 1", "epochs: many"))
    (line,) = problems(path)
    assert line.startswith(f"{path}: train.epochs: Input should be a valid integer")
    assert "found 'many'" in line


def test_unknown_key_lists_allowed_keys(write):
    path = write(BASE.replace("train: {epochs: 1", "train: {epoch: 1"))
    (line,) = problems(path)
    assert line.startswith(f"{path}: train.epoch: unknown key; did you mean 'epochs'?")
    assert "allowed here: epochs, batch_size" in line


def test_literal_choice_suggests(write):
    path = write(BASE.replace("batch_size: 4}", "batch_size: 4, optimizer: adamww}"))
    (line,) = problems(path)
    assert "train.optimizer" in line and "found 'adamww'" in line
    assert "did you mean 'adamw'?" in line


def test_sweep_over_missing_key(write):
    path = write(BASE + "sweep:\n  model.fusoin.name: [concat, film]\n")
    (line,) = problems(path)
    assert line == (
        f"{path}: sweep.model.fusoin.name: sweeps over a key that does not exist: "
        "'fusoin' is not a key of model; did you mean 'fusion'? "
        "(allowed: dim, encoders, fusion, head)"
    )


def test_all_problems_are_reported_at_once(write):
    text = BASE.replace("name: concat", "name: concatt").replace("epochs: 1", "epochs: -1")
    text = text.replace("{name: gru}", "{name: gru, kwargs: {hiden: 3}}")
    lines = problems(write(text))
    assert len(lines) == 3
    joined = "\n".join(lines)
    assert "train.epochs" in joined
    assert "did you mean 'concat'" in joined
    assert "model.encoders.text.kwargs.hiden: encoder 'gru' takes no argument 'hiden'" in joined


def test_each_sweep_point_is_validated_before_running(write):
    path = write(BASE + "sweep:\n  model.fusion.name: [concat, flim]\n")
    (line,) = problems(path)
    assert "[sweep model.fusion.name=flim]" in line and "did you mean 'film'" in line


def test_encoder_of_wrong_modality(write):
    path = write(BASE.replace("text: {name: gru}", "text: {name: cnn}"))
    (line,) = problems(path)
    assert "model.encoders.text.name: 'cnn' is an image encoder but input 'text' is text" in line


def test_unknown_input_name(write):
    path = write(BASE.replace("text: {name: gru}", "question: {name: gru}"))
    (line,) = problems(path)
    assert "model.encoders.question: task 'vqa' has no input 'question'" in line


def test_bad_override_and_yaml(write):
    assert "expected KEY=VALUE" in problems(write(BASE), ["train.lr"])[0]
    assert "invalid YAML at line" in problems(write("name: [unclosed\n"))[0]
    assert "spec file not found" in problems(write(BASE).parent / "nope.yaml")[0]


def test_sweep_below_an_encoder_checks_its_keys(write):
    path = write(BASE + "sweep:\n  model.encoders.text.nmae: [gru]\n")
    (line,) = problems(path)
    assert "'nmae' is not a key of model.encoders.text; did you mean 'name'?" in line


def test_unknown_key_inside_an_encoder(write):
    path = write(BASE.replace("text: {name: gru}", "text: {name: gru, frozn: true}"))
    (line,) = problems(path)
    assert line == (
        f"{path}: model.encoders.text.frozn: unknown key; did you mean 'frozen'? "
        "(allowed here: name, kwargs, frozen, init)"
    )
