"""Leaderboard statistics and rendering on a hand-made runs table."""

from __future__ import annotations

import pandas as pd
import pytest

from mmbench.errors import MmbenchError
from mmbench.reporting.leaderboard import leaderboard


def runs() -> pd.DataFrame:
    rows = [
        ("a", "fusion=film", 80.0, 0.20),
        ("a", "fusion=film", 84.0, 0.10),
        ("b", "fusion=concat", 70.0, 0.30),
        ("b", "fusion=concat", 72.0, 0.50),
        ("sweep", "sweep", None, None),
    ]
    return pd.DataFrame(
        {
            "run_name": [r[1] for r in rows],
            "tags.mmbench.group": [r[0] for r in rows],
            "tags.mmbench.label": [r[1] for r in rows],
            "tags.mmbench.kind": ["train"] * 4 + ["sweep"],
            "metrics.test/vqa_acc": [r[2] for r in rows],
            "metrics.test/wer": [r[3] for r in rows],
            "metrics.test/vqa_acc_ci_low": [1.0] * 5,
            "metrics.test/vqa_acc/number": [1.0] * 5,
            "metrics.test/loss": [9.0] * 5,
        }
    )


def test_mean_std_over_seeds_and_best_in_bold():
    board = leaderboard(runs())
    assert board.metrics == ["test/vqa_acc", "test/wer"]
    film = board.table.set_index("label").loc["fusion=film"]
    assert film["n"] == 2
    assert film["test/vqa_acc_mean"] == pytest.approx(82.0)
    assert film["test/vqa_acc_std"] == pytest.approx(2.8284271, rel=1e-6)  # sample std
    md = board.to_markdown()
    assert "| test/vqa_acc ↑ | test/wer ↓ |" in md
    assert "| fusion=film | 2 | **82.00 ± 2.83** | **0.15 ± 0.07** |" in md
    assert "| fusion=concat | 2 | 71.00 ± 1.41 | 0.40 ± 0.14 |" in md
    assert md.index("fusion=film") < md.index("fusion=concat")  # sorted by the first metric


def test_no_runs_is_a_clear_error():
    with pytest.raises(MmbenchError, match="no finished runs"):
        leaderboard(pd.DataFrame())


def test_primary_metric_leads_and_rouge_p_r_are_hidden():
    frame = runs()
    frame["tags.mmbench.primary_metric"] = "wer"
    frame["metrics.test/rouge1_p"] = 0.5
    board = leaderboard(frame)
    assert board.metrics == ["test/wer", "test/vqa_acc"]
    assert board.table["label"].tolist() == ["fusion=film", "fusion=concat"]  # lowest WER first


def test_a_baseline_sharing_a_sweep_label_is_told_apart_by_the_input_it_leaves_out():
    rows = [
        ("full", "fusion=concat", 70.0, "cnn", "gru"),
        ("q_only", "fusion=concat", 50.0, None, "gru"),
        ("i_only", "fusion=concat", 30.0, "cnn", None),
        ("other", "fusion=film", 75.0, "cnn", "gru"),
    ]
    table = pd.DataFrame(
        {
            "run_name": [r[1] for r in rows],
            "tags.mmbench.group": [r[0] for r in rows],
            "tags.mmbench.label": [r[1] for r in rows],
            "metrics.test/vqa_acc": [r[2] for r in rows],
            "params.model.encoders.image.name": [r[3] for r in rows],
            "params.model.encoders.text.name": [r[4] for r in rows],
        }
    )
    labels = list(leaderboard(table).table["label"])
    assert labels == [
        "fusion=film",
        "fusion=concat",
        "fusion=concat, image=none",
        "fusion=concat, text=none",
    ]


def test_labels_still_equal_after_inputs_get_a_short_group_hash():
    table = pd.DataFrame(
        {
            "run_name": ["x", "x"],
            "tags.mmbench.group": ["0123456789ab", "ba9876543210"],
            "tags.mmbench.label": ["lr=1", "lr=1"],
            "metrics.test/vqa_acc": [1.0, 2.0],
        }
    )
    labels = set(leaderboard(table).table["label"])
    assert labels == {"lr=1 [01234567]", "lr=1 [ba987654]"}
