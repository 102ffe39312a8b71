"""Progress callbacks: the library reports, the edges (CLI, notebooks) display."""

from __future__ import annotations


class Progress:
    """No-op base; the CLI passes a console implementation."""

    def start(self, total_steps: int, label: str) -> None: ...

    def step(self, loss: float) -> None: ...

    def epoch_end(self, epoch: int, metrics: dict[str, float]) -> None: ...

    def close(self) -> None: ...
