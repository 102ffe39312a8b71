"""One report of the views store (tests/reporting/views_store.py), built once per session."""

from __future__ import annotations

import pytest

from mmbench.reporting import build_report
from tests.reporting.views_store import views_store


@pytest.fixture(scope="session")
def views_report(tmp_path_factory):
    """``build_report`` of four configurations × three seeds logged to a real SQLite store."""
    folder = tmp_path_factory.mktemp("views")
    uri = f"sqlite:///{folder / 'mlflow.db'}"
    views_store(uri, folder)
    return build_report("views", uri, folder / "reports")
