"""Names are data, never paths: the allowed form, and where it is enforced."""

from __future__ import annotations

import pytest

from mmbench.errors import MmbenchError
from mmbench.spec import load_plan
from mmbench.spec.names import MAX_NAME, name_problem
from tests.spec.helpers import BASE


@pytest.mark.parametrize("name", ["t", "vqa_fusion_ablation", "run-2.v1", "A1", "x" * MAX_NAME])
def test_valid_names(name):
    assert name_problem(name) is None


@pytest.mark.parametrize(
    "name, reason",
    [
        ("../x", "contains '..'"),
        ("/etc", "is an absolute path"),
        ("C:\\x", "is an absolute path"),
        ("a/b", "contains '/'"),
        ("a\nb", "contains '\\n'"),
        (".git", "starts with '.'"),
        ("-x", "starts with '-'"),
        ("x" * (MAX_NAME + 1), f"is {MAX_NAME + 1} characters long"),
        ("", "is empty"),
        ("a|b", "contains '|'"),
    ],
)
def test_invalid_names_say_why(name, reason):
    assert name_problem(name).startswith(reason)


def test_spec_name_and_experiment_are_checked(write):
    text = BASE.replace("name: t", "name: ok") + "tracking: {experiment: ../../x}\n"
    path = write(text)
    with pytest.raises(MmbenchError) as info:
        load_plan(path)
    (line,) = info.value.problems
    assert line.startswith(f"{path}: tracking.experiment: contains '..'; a name is used as a")
    assert line.endswith("found '../../x'")
