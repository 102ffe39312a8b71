"""A throw-away PostgreSQL cluster on a loopback port, for tests (skips where none exists)."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _binary(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return candidates[-1] if candidates else None


@dataclass
class PgCluster:
    folder: Path
    port: int
    as_user: list[str]
    pg_ctl: str

    def uri(self, db: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{db}"

    def stop(self) -> None:
        subprocess.run(
            [
                *self.as_user,
                self.pg_ctl,
                "-D",
                str(self.folder / "data"),
                "-m",
                "immediate",
                "stop",
            ],
            capture_output=True,
            timeout=30,
        )
        shutil.rmtree(self.folder, ignore_errors=True)


def start_cluster(databases: tuple[str, ...] = ("mlflow",)) -> PgCluster:
    """initdb + pg_ctl start in a short temp folder; as user ``postgres`` when we are root."""
    initdb, pg_ctl, psql = (_binary(n) for n in ("initdb", "pg_ctl", "psql"))
    if not (initdb and pg_ctl and psql):
        pytest.skip("PostgreSQL binaries (initdb, pg_ctl, psql) are not installed")
    folder = Path(tempfile.mkdtemp(prefix="mmbpg", dir="/tmp"))
    as_user: list[str] = []
    if os.geteuid() == 0:
        if not shutil.which("runuser"):
            pytest.skip("running as root without runuser: cannot start PostgreSQL")
        shutil.chown(folder, "postgres", "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    data = folder / "data"
    subprocess.run(
        [*as_user, initdb, "-D", str(data), "-A", "trust", "-U", "postgres", "--no-sync"],
        check=True,
        capture_output=True,
        timeout=120,
    )
    port = free_port()
    opts = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off"
    subprocess.run(
        [*as_user, pg_ctl, "-D", str(data), "-o", opts, "-l", str(folder / "log"), "-w", "start"],
        check=True,
        capture_output=True,
        timeout=60,
    )
    cluster = PgCluster(folder, port, as_user, pg_ctl)
    for db in databases:
        subprocess.run(
            [
                psql,
                "-h",
                "127.0.0.1",
                "-p",
                str(port),
                "-U",
                "postgres",
                "-c",
                f"CREATE DATABASE {db}",
            ],
            check=True,
            capture_output=True,
            timeout=30,
        )
    return cluster


def wait_http(url: str, proc: subprocess.Popen, timeout: float = 300.0) -> None:
    import urllib.error
    import urllib.request

    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except urllib.error.HTTPError:
            return  # it answers (401 without credentials)
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(url)
