"""Builders of malformed spec cases (``tests/hardening/spec_cases.py`` lists the cases).

Each builder writes its files into the case's folder and returns the command line and the texts
the error must contain (the file or ``--set``, the dotted key, …).
"""

from __future__ import annotations

import os
from pathlib import Path

from tests.spec.helpers import BASE

SPEC = "spec.yaml"


def _write(folder: Path, text: str, name: str = SPEC) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def sub(old: str, new: str, *expect: str, count: int = 1):
    """BASE with ``old`` replaced by ``new``; the message must name SPEC and ``expect``."""
    assert old in BASE, old

    def build(folder: Path):
        _write(folder, BASE.replace(old, new, count))
        return ["validate", SPEC], [SPEC, *expect]

    return build


def add(text: str, *expect: str, args: tuple[str, ...] = ()):
    """BASE plus ``text`` (top-level keys); ``args`` are extra CLI arguments (``--set …``)."""

    def build(folder: Path):
        _write(folder, BASE + text)
        return ["validate", SPEC, *args], [SPEC, *expect]

    return build


def raw(text: str | bytes, *expect: str):
    """A whole spec file of its own."""

    def build(folder: Path):
        path = folder / SPEC
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return ["validate", SPEC], [SPEC, *expect]

    return build


def override(setting: str, *expect: str, parsed: bool = False):
    """``--set setting``; refused while parsing it (names ``--set``) or, when ``parsed``, by
    validation (names the spec file and the key)."""

    def build(folder: Path):
        _write(folder, BASE)
        return ["validate", SPEC, "--set", setting], [SPEC if parsed else "--set", *expect]

    return build


FUSION = "  fusion: {name: concat}\n"


def head(text: str, *expect: str):
    """BASE with ``model.head`` set to the flow mapping ``text``."""
    return sub(FUSION, FUSION + f"  head: {text}\n", *expect)


def laughs(where: str) -> str:
    """A billion-laughs document: 9 levels of 9 aliases each (9**9 strings once expanded)."""
    lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 10):
        refs = ", ".join([f"*l{i - 1}"] * 9)
        lines.append(f"l{i}: &l{i} [{refs}]")
    return "x-anchors:\n" + "\n".join("  " + ln for ln in lines) + f"\n{where}\n"


def flow_laughs() -> str:
    """The billion laughs on one line, for ``--set``."""
    parts = ["a0: &a0 [" + ", ".join(["lol"] * 9) + "]"]
    parts += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    return "{" + ", ".join(parts) + "}"


def deep_block(depth: int) -> str:
    return "".join(" " * i + f"k{i}:\n" for i in range(depth)) + " " * depth + "x: 1\n"


def base_target(make, *expect: str):
    """``base: <target>`` where ``make(folder)`` returns the target's text in the spec."""

    def build(folder: Path):
        target = make(folder)
        _write(folder, f"base: {target}\n" + BASE)
        return ["validate", SPEC], [SPEC, "base:", *expect]

    return build


def fifo(folder: Path) -> str:
    os.mkfifo(folder / "pipe.yaml")
    return "pipe.yaml"


def a_directory(folder: Path) -> str:
    (folder / "sub").mkdir()
    return "sub"


def big(folder: Path) -> str:
    (folder / "big.yaml").write_text("description: '" + "x" * (3 << 20) + "'\n")
    return "big.yaml"


def itself(folder: Path) -> str:
    return SPEC


def diamond(folder: Path) -> str:
    # every level lists the next one twice: 2**12 reads without a bound on files read
    for i in range(12):
        (folder / f"d{i}.yaml").write_text(f"base: [d{i + 1}.yaml, d{i + 1}.yaml]\n")
    (folder / "d12.yaml").write_text("description: leaf\n")
    return "d0.yaml"


def spec_path(kind: str):
    def build(folder: Path):
        if kind == "dir":
            (folder / SPEC).mkdir()
        elif kind == "fifo":
            os.mkfifo(folder / SPEC)
        target = "/dev/zero" if kind == "zero" else SPEC
        return ["validate", target], [target]

    return build


def huge(folder: Path):
    with open(folder / SPEC, "w", encoding="utf-8") as fh:
        fh.write(BASE + "description: '")
        chunk = "lol " * 262_144  # 1 MiB
        for _ in range(56):
            fh.write(chunk)
        fh.write("'\n")
    return ["validate", SPEC], [SPEC, "bytes", "limit"]
