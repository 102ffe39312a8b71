"""The hostile-input corpus: every malformed spec and evaluation file gives a clear error.

Each case runs through the real CLI (``mmbench validate`` / ``mmbench eval``) in a worker
process with a memory cap and timeouts (see :mod:`tests.hardening.harness`), so a hang or a
blow-up fails its case. A clear error is exit code 2, no traceback, and a message naming the file
(or ``--set`` / ``--log``) and the dotted key or field. ``python benchmarks/hardening_counts.py``
prints the counts.
"""

from __future__ import annotations

import pytest

from tests.hardening.eval_cases import eval_cases
from tests.hardening.harness import run_cases
from tests.hardening.spec_cases import spec_cases

SPEC_CASES = spec_cases()
EVAL_CASES = eval_cases()


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    folder = tmp_path_factory.mktemp("corpus")
    return {r.id: r for r in run_cases(SPEC_CASES + EVAL_CASES, folder)}


def test_corpus_is_large_enough():
    assert len(SPEC_CASES) >= 100 and len(EVAL_CASES) >= 48


@pytest.mark.parametrize("case_id", [c.id for c in SPEC_CASES + EVAL_CASES])
def test_case_gives_a_clear_error(results, case_id):
    result = results[case_id]
    assert result.outcome == "clear", (result.outcome, result.missing, result.output[-2000:])
