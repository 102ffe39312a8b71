"""Ranks 1…N-1 under torchrun: train whatever spec rank 0 runs, until rank 0 says it is done.

Rank 0 runs ``mmbench run`` as usual — it validates the plan, skips finished points, claims and
logs — and, at the start of each point it trains, broadcasts that point's resolved spec
(``engine.run.execute``); every other rank receives it here and trains the same spec in step
(``engine.distributed``), logging nothing. ``done()`` on rank 0 ends the followers.
"""

from __future__ import annotations

from mmbench.engine import distributed


def follow() -> int:
    """Train each spec rank 0 announces; the number trained once rank 0 is done."""
    from mmbench.engine.run import execute
    from mmbench.spec.schema import ExperimentSpec

    trained = 0
    while True:
        spec = distributed.broadcast(None)
        if spec is None:
            return trained
        execute(ExperimentSpec.model_validate(spec), logger=None)
        trained += 1


def done() -> None:
    """Rank 0: no further point; the followers return."""
    if distributed.rank() == 0 and distributed.world_size() > 1:
        distributed.broadcast(None)
