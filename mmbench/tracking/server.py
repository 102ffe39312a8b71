"""A team tracking server: ``mlflow server`` on a database store, with basic auth.

A thin wrapper that builds one ``mlflow server`` command line and supervises it:

- the backend store is a database URI (PostgreSQL for a team:
  ``postgresql+psycopg://USER:PASS@HOST:5432/mlflow``; SQLite works for a trial);
- artifacts are served by the server itself (``--serve-artifacts``) from
  ``--artifacts-destination`` (a folder or an object-store URI), so clients need no access to
  the artifact storage;
- MLflow's basic-auth app (``--app-name basic-auth``) refuses every request without valid
  credentials (HTTP 401). Its user database, a secret key for its CSRF protection and its
  config file live in a state folder; the admin user is created on first start from
  ``$MLFLOW_AUTH_ADMIN_USERNAME`` / ``$MLFLOW_AUTH_ADMIN_PASSWORD``. Clients set
  ``MLFLOW_TRACKING_URI``, ``MLFLOW_TRACKING_USERNAME`` and ``MLFLOW_TRACKING_PASSWORD``.
- ``--workers 1`` by default: on a 2-core machine 4 workers made each request about 7 times
  slower.

The server runs in its own process group; :func:`serve` ends that whole group when it is
interrupted or terminated, and the kernel sends the server SIGTERM if this process dies.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import secrets
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from mmbench.errors import MmbenchError

PERMISSIONS = ("READ", "EDIT", "MANAGE", "NO_PERMISSIONS")
_DB_SCHEMES = ("postgresql", "mysql", "sqlite", "mssql")


@dataclass
class ServerConfig:
    backend_store_uri: str
    artifacts_destination: str
    state_dir: Path
    host: str = "127.0.0.1"
    port: int = 5000
    workers: int = 1
    auth: bool = True
    auth_db_uri: str | None = None  # default: SQLite in state_dir
    default_permission: str = "EDIT"  # what any signed-in user may do on others' experiments

    def validate(self) -> None:
        scheme = self.backend_store_uri.split(":", 1)[0].split("+", 1)[0]
        if scheme not in _DB_SCHEMES:
            raise MmbenchError(
                f"server --backend-store-uri: '{self.backend_store_uri}' is not a database URI; "
                "use postgresql+psycopg://USER:PASS@HOST:5432/DB (or sqlite:///FILE for a trial)"
            )
        if self.default_permission not in PERMISSIONS:
            raise MmbenchError(
                f"server --default-permission: '{self.default_permission}' is not one of "
                f"{', '.join(PERMISSIONS)}"
            )
        if self.workers < 1:
            raise MmbenchError(f"server --workers: {self.workers} must be at least 1")


def write_auth_config(cfg: ServerConfig) -> dict[str, str]:
    """Write the basic-auth config into the state folder; return the server's extra env."""
    cfg.state_dir.mkdir(parents=True, exist_ok=True)
    auth_db = cfg.auth_db_uri or f"sqlite:///{(cfg.state_dir / 'basic_auth.db').resolve()}"
    ini = cfg.state_dir / "basic_auth.ini"
    ini.write_text(
        "[mlflow]\n"
        f"default_permission = {cfg.default_permission}\n"
        f"database_uri = {auth_db}\n"
        "authorization_function = mlflow.server.auth:authenticate_request_basic_auth\n"
        # a password check is a slow PBKDF2 hash; cache a good one for a minute per worker
        "auth_cache_ttl_seconds = 60\n",
        encoding="utf-8",
    )
    env = {"MLFLOW_AUTH_CONFIG_PATH": str(ini.resolve())}
    if not os.environ.get("MLFLOW_FLASK_SERVER_SECRET_KEY"):
        key_file = cfg.state_dir / "secret_key"
        if not key_file.exists():
            key_file.write_text(secrets.token_hex(32), encoding="utf-8")
            key_file.chmod(0o600)
        env["MLFLOW_FLASK_SERVER_SECRET_KEY"] = key_file.read_text(encoding="utf-8").strip()
    fresh = not (cfg.auth_db_uri or (cfg.state_dir / "basic_auth.db").exists())
    if fresh and not os.environ.get("MLFLOW_AUTH_ADMIN_PASSWORD"):
        raise MmbenchError(
            "server: the first start creates the admin user; set MLFLOW_AUTH_ADMIN_PASSWORD "
            "(and optionally MLFLOW_AUTH_ADMIN_USERNAME, default 'admin') in the environment"
        )
    return env


def server_command(cfg: ServerConfig) -> list[str]:
    cmd = [
        sys.executable,
        "-m",
        "mlflow",
        "server",
        "--backend-store-uri",
        cfg.backend_store_uri,
        "--serve-artifacts",
        "--artifacts-destination",
        cfg.artifacts_destination,
        "--host",
        cfg.host,
        "--port",
        str(cfg.port),
        "--workers",
        str(cfg.workers),
    ]
    if cfg.auth:
        cmd += ["--app-name", "basic-auth"]
    return cmd


def _die_with_parent() -> None:
    """In the child: get SIGTERM when the supervising process dies (Linux), own group."""
    os.setsid()
    with contextlib.suppress(Exception):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def start(cfg: ServerConfig, log_file=None) -> subprocess.Popen:
    """Start the server in its own process group (stop it with :func:`stop`)."""
    cfg.validate()
    env = dict(os.environ)
    env.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
    # MLflow's GenAI job runner (an extra process tree) is not used by mmbench
    env.setdefault("MLFLOW_SERVER_ENABLE_JOB_EXECUTION", "false")
    if cfg.auth:
        env.update(write_auth_config(cfg))
    dest = cfg.artifacts_destination
    if "://" not in dest:
        Path(dest).mkdir(parents=True, exist_ok=True)
    return subprocess.Popen(
        server_command(cfg),
        env=env,
        stdout=log_file,
        stderr=subprocess.STDOUT if log_file else None,
        preexec_fn=_die_with_parent,
    )


def stop(proc: subprocess.Popen, timeout: float = 20.0) -> int:
    """End the server's whole process group: SIGTERM, then SIGKILL after ``timeout``."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, sig)
        try:
            return proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            continue
    return proc.wait()


def serve(cfg: ServerConfig) -> int:
    """Run the server in the foreground until it exits or this process gets SIGINT/SIGTERM."""
    proc = start(cfg)

    def _end(signum, _frame):
        raise KeyboardInterrupt

    old = signal.signal(signal.SIGTERM, _end)
    try:
        return proc.wait()
    except KeyboardInterrupt:
        return stop(proc)
    finally:
        signal.signal(signal.SIGTERM, old)
        if proc.poll() is None:
            stop(proc)
