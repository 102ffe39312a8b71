"""Counts of the hostile-input corpus (tests/hardening): cases, clear errors, tracebacks, …

Run by hand from the repository root: ``python benchmarks/hardening_counts.py`` (add ``-v`` to
list every case that is not a clear error). Every case runs through the real CLI in a worker
with a memory cap (RLIMIT_AS) and timeouts; see ``tests/hardening/harness.py``.

Measured 2026-12-02 on the 2-core reference machine (about 12 s), on this branch:

    specs:      176 cases, 176 clear errors, 0 unclear, 0 tracebacks, 0 wrong acceptances, 0 hangs
    eval files:  67 cases,  67 clear errors, 0 unclear, 0 tracebacks, 0 wrong acceptances, 0 hangs

and the same corpus against the code before it (main at 458f66e), which shows the harness can
fail:

    specs:      176 cases,  77 clear errors, 8 unclear, 10 tracebacks, 74 wrong acceptances, 7 hangs
    eval files:  67 cases,  51 clear errors, 0 unclear, 8 tracebacks, 5 wrong acceptances, 3 hangs
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.hardening.eval_cases import eval_cases  # noqa: E402
from tests.hardening.harness import counts, run_cases  # noqa: E402
from tests.hardening.spec_cases import spec_cases  # noqa: E402


def main() -> None:
    verbose = "-v" in sys.argv
    for label, cases in (("specs", spec_cases()), ("eval files", eval_cases())):
        with tempfile.TemporaryDirectory() as folder:
            results = run_cases(cases, Path(folder))
        c = counts(results)
        print(
            f"{label + ':':12s}{c['cases']:4d} cases, {c['clear']:3d} clear errors, "
            f"{c['unclear']} unclear, {c['traceback']} tracebacks, "
            f"{c['accepted']} wrong acceptances, {c['hang']} hangs"
        )
        if verbose:
            for r in results:
                if r.outcome != "clear":
                    print(f"  {r.id}: {r.outcome} {r.missing} {r.output[-300:]!r}")


if __name__ == "__main__":
    main()
