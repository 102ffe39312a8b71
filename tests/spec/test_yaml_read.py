"""Spec YAML is read bounded and strict: duplicate keys, aliases, depth, size, plain data."""

from __future__ import annotations

import pytest
import yaml

from mmbench.errors import MmbenchError, short_repr
from mmbench.spec import load_plan, yaml_read
from mmbench.spec.yaml_read import MAX_DEPTH, parse_yaml
from tests.spec.helpers import BASE


def problems_of(text: str) -> list[str]:
    with pytest.raises(MmbenchError) as info:
        parse_yaml(text, "s.yaml")
    return info.value.problems


def test_uses_libyaml_when_pyyaml_has_it():
    if yaml.__with_libyaml__:
        assert issubclass(yaml_read._StrictLoader, yaml.CSafeLoader)


def test_duplicate_key_names_the_key_and_both_lines():
    (line,) = problems_of("a: 1\nb:\n  c: 1\n  d: 2\n  c: 3\n")
    assert (
        line == "s.yaml: key 'c' appears twice in the mapping at line 3 (lines 3 and 5); keep one"
    )


def test_anchors_and_merge_keys_still_work():
    data = parse_yaml("d: &d {x: 1, y: 2}\ne:\n  <<: *d\n  y: 3\nf: *d\n", "s.yaml")
    assert data == {"d": {"x": 1, "y": 2}, "e": {"x": 1, "y": 3}, "f": {"x": 1, "y": 2}}
    data["d"]["x"] = 5  # aliases are copies, not shared objects
    assert data["f"]["x"] == 1


def test_depth_limit_is_exact():
    n = MAX_DEPTH - 1  # the top-level mapping is one level
    assert parse_yaml("a: " + "[" * n + "]" * n, "s.yaml")
    (line,) = problems_of("a: " + "[" * (n + 1) + "]" * (n + 1))
    assert f"nested more than {MAX_DEPTH} levels deep" in line


def test_non_finite_and_non_plain_values_name_their_keys():
    lines = problems_of("a: {b: [1, .nan]}\nc: 2020-01-02\n4: x\n")
    assert "s.yaml: a.b[1]: nan is not allowed; numbers in a spec must be finite" in lines
    assert any(p.startswith("s.yaml: c: a YAML date is not allowed") for p in lines)
    assert any(p.startswith("s.yaml: 4: keys must be strings") for p in lines)


def test_short_repr_never_builds_a_huge_repr():
    assert short_repr("x" * 10**6).endswith("…") and len(short_repr("x" * 10**6)) == 80
    assert short_repr([[1] * 1000] * 1000) == "<a list of 1000 items>"
    assert short_repr(10**5000) == "<an integer of 16610 bits>"


def test_a_spec_at_the_size_limit_is_read(write, monkeypatch):
    path = write(BASE)
    monkeypatch.setattr(yaml_read, "MAX_SPEC_BYTES", path.stat().st_size)
    assert load_plan(path).specs
    monkeypatch.setattr(yaml_read, "MAX_SPEC_BYTES", path.stat().st_size - 1)
    with pytest.raises(MmbenchError, match="bytes; the limit is"):
        load_plan(path)


def test_numeric_strings_still_work_for_floats(write):
    # YAML 1.1 reads 3e-4 (no dot) as a string; the schema turns it into a number
    spec = load_plan(write(BASE), ["train.lr=3e-4"]).specs[0]
    assert spec.train.lr == pytest.approx(3e-4)
