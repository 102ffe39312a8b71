"""The generic registry: registration, lookup with did-you-mean, kwargs introspection."""

from __future__ import annotations

import pytest

from mmbench.errors import MmbenchError
from mmbench.registry import ALL, Registry


def make() -> Registry:
    reg = Registry("widget", "mmbench")  # package import is a no-op here

    @reg.register("round_widget")
    class RoundWidget:
        """A round widget.

        More text."""

        def __init__(self, inp, dim: int = 8, *, depth: int = 2):
            pass

    @reg.register("open_widget")
    def open_widget(**kwargs):
        return kwargs

    return reg


def test_lookup_and_summary():
    reg = make()
    assert reg.names() == ["open_widget", "round_widget"]
    assert reg.summary("round_widget") == "A round widget."
    assert reg.get("round_widget").registered_name == "round_widget"


def test_unknown_name_did_you_mean():
    with pytest.raises(MmbenchError) as info:
        make().get("rond_widget", where="model.fusion.name")
    assert str(info.value) == (
        "model.fusion.name: unknown widget 'rond_widget'; did you mean 'round_widget'? "
        "(available: open_widget, round_widget)"
    )


def test_no_suggestion_when_nothing_is_close():
    with pytest.raises(MmbenchError) as info:
        make().get("zzz")
    assert "did you mean" not in str(info.value)


def test_duplicate_registration_is_refused():
    reg = make()
    with pytest.raises(ValueError, match="registered twice"):
        reg.register("round_widget")(lambda: None)


def test_kwargs_of_hides_framework_arguments():
    reg = make()
    assert reg.kwargs_of("round_widget") == ({"dim", "depth"}, False)
    assert reg.kwargs_of("open_widget")[1] is True


@pytest.mark.parametrize("kind", sorted(ALL))
def test_every_registry_has_components_with_summaries(kind):
    registry = ALL[kind]
    assert registry.names(), f"no {kind} registered"
    for name in registry.names():
        assert registry.summary(name), f"{kind} '{name}' has no docstring summary"
