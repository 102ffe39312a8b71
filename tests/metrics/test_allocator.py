"""The allocator priming: after it, a big array freed and made again costs no page faults."""

from __future__ import annotations

import subprocess
import sys

import pytest

SCRIPT = """
import resource, sys
import numpy as np
from mmbench.metrics import allocator
if sys.argv[1] == "prime":
    allocator.prime()
    allocator.prime()  # once per process: the second call does nothing
faults = lambda: resource.getrusage(resource.RUSAGE_SELF).ru_minflt
a = np.ones(3 << 20, np.uint8)
del a
before = faults()
b = np.ones(3 << 20, np.uint8)
print(faults() - before)
"""


def _faults(mode: str) -> int:
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT, mode], capture_output=True, text=True, check=True
    )
    return int(out.stdout.split()[-1])


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc behaviour")
def test_priming_lets_big_arrays_reuse_memory():
    pages = (3 << 20) // 4096  # 3 MiB: mapped by malloc, below numpy's huge-page size
    assert _faults("prime") < pages // 10  # reused from the heap
    assert _faults("none") > pages // 2  # without it the second array faults its pages in
