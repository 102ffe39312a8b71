"""The allocator priming: once per process, no resident memory, and no change to any number."""

from __future__ import annotations

import subprocess
import sys

import numpy as np

from mmbench.metrics import cider_d
from mmbench.metrics._impl import allocator

SCRIPT = """
import sys
from mmbench.metrics import cider_d
from mmbench.metrics._impl import allocator
if sys.argv[1] == "none":
    allocator._primed = True  # as if already primed: prime() will not run
preds = ["a dog runs on the grass", "two cats sleep", "a red car"] * 40
refs = [["a dog is running on grass", "the dog runs"], ["cats sleeping"], ["a car"]] * 40
print(repr(cider_d(preds, refs, tokenizer="none").per_example["cider"].tolist()))
"""


def test_prime_runs_once_per_process(monkeypatch):
    calls = []
    real = np.empty
    monkeypatch.setattr(allocator, "_primed", False)
    monkeypatch.setattr(allocator.np, "empty", lambda *a, **k: calls.append(a) or real(*a, **k))
    allocator.prime()
    allocator.prime()
    assert len(calls) == 1 and calls[0][0] >= 1 << 20  # one big block, once


def test_priming_changes_no_number():
    def run(mode: str) -> str:
        out = subprocess.run(
            [sys.executable, "-c", SCRIPT, mode], capture_output=True, text=True, check=True
        )
        return out.stdout.strip()

    primed, unprimed = run("prime"), run("none")
    assert primed == unprimed
    assert primed == repr(
        cider_d(
            ["a dog runs on the grass", "two cats sleep", "a red car"] * 40,
            [["a dog is running on grass", "the dog runs"], ["cats sleeping"], ["a car"]] * 40,
            tokenizer="none",
        )
        .per_example["cider"]
        .tolist()
    )
