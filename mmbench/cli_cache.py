"""``mmbench cache ls | prune``: the feature cache of frozen encoders."""

from __future__ import annotations

import re
import time

import click

from mmbench.errors import MmbenchError

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}


def parse_age(text: str) -> float:
    """``"7d"`` → seconds (units s, m, h, d, w)."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*", text or "")
    if not m:
        raise MmbenchError(
            f"--older-than: {text!r} is not an age; expected a number and a unit "
            "(s, m, h, d, w), e.g. 7d"
        )
    return float(m.group(1)) * _UNITS[m.group(2)]


@click.group("cache")
def cache_group() -> None:
    """The feature cache of frozen encoders ($MMBENCH_CACHE_DIR/features)."""


@cache_group.command("ls")
def ls() -> None:
    """Entries with their size, last use, encoder, split and shape."""
    from mmbench.engine.feature_cache import cache_root, list_entries

    entries = list_entries()
    total = sum(e.bytes for e in entries)
    click.echo(f"{cache_root()}: {len(entries)} entries, {total / 2**20:.1f} MiB")
    for e in entries:
        age = time.strftime("%Y-%m-%d %H:%M", time.localtime(e.last_used))
        m = e.meta
        click.echo(
            f"  {e.key}  {e.bytes / 2**20:8.1f} MiB  {age}  {m.get('encoder')} "
            f"{m.get('task')}/{m.get('input')} {m.get('split')} {tuple(m.get('shape', ()))}"
        )


@cache_group.command("prune")
@click.option("--older-than", default=None, help="Only entries unused for this long (e.g. 7d).")
def prune(older_than: str | None) -> None:
    """Remove entries (all, or those unused for --older-than)."""
    from mmbench.engine.feature_cache import prune as prune_entries

    gone = prune_entries(parse_age(older_than) if older_than is not None else None)
    click.echo(f"removed {len(gone)} entries, {sum(e.bytes for e in gone) / 2**20:.1f} MiB")
