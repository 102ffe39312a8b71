"""Console progress for training runs (tqdm): the CLI's edge, not the library's."""

from __future__ import annotations

from tqdm.auto import tqdm

from mmbench.engine.progress import Progress


class TqdmProgress(Progress):
    def __init__(self, index: int, count: int, label: str):
        self.prefix = f"[{index + 1}/{count}] {label}"
        self.bar: tqdm | None = None

    def start(self, total_steps: int, label: str) -> None:
        self.bar = tqdm(total=total_steps, desc=self.prefix, leave=False, dynamic_ncols=True)

    def step(self, loss: float) -> None:
        if self.bar is not None:
            self.bar.update(1)
            self.bar.set_postfix(loss=f"{loss:.3f}", refresh=False)

    def epoch_end(self, epoch: int, metrics: dict[str, float]) -> None:
        shown = {k.split("/")[-1]: round(v, 2) for k, v in metrics.items() if k.startswith("val/")}
        if self.bar is not None:
            self.bar.write(f"{self.prefix} epoch {epoch + 1}: {shown}")

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
