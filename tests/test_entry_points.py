"""The notebook entry points at the package's top level, imported on first use."""

from __future__ import annotations

import subprocess
import sys

import pytest

import mmbench
from mmbench import api
from mmbench.reporting import results


def test_top_level_names_are_the_api_functions():
    assert mmbench.run is api.run and mmbench.validate is api.validate
    assert mmbench.results is results.results
    with pytest.raises(AttributeError, match="no attribute 'reslts'"):
        mmbench.reslts  # noqa: B018


def test_importing_the_package_does_not_import_torch():
    code = "import sys, mmbench; print('torch' in sys.modules, 'mlflow' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]
