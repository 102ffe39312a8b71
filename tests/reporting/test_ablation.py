"""ablation.md: one factor at a time against the baseline, Δ from the leaderboard's own tests."""

from __future__ import annotations

import pandas as pd
import pytest

from mmbench.reporting.ablation import factors


def rows_of(text: str) -> dict[str, str]:
    return {line.split(" | ")[0].strip("| "): line for line in text.splitlines() if "|" in line}


def test_factors_are_keys_constant_per_configuration_that_vary_across_them():
    configs = pd.DataFrame(
        {
            "_config": ["a", "a", "b", "b"],
            "params.train.seed": ["0", "1", "0", "1"],  # varies within: a seed, not a factor
            "params.model.fusion.name": ["concat", "concat", "film", "film"],
            "params.train.lr": ["0.1"] * 4,  # the same everywhere
            "params.model.encoders.audio.name": [None, None, "conformer", "conformer"],
        }
    )
    table = factors(configs)
    assert list(table.columns) == ["model.fusion.name", "model.encoders.audio.name"]
    assert table.loc["a", "model.encoders.audio.name"] == "none"


def test_report_ablation_reuses_the_leaderboards_comparison(views_report):
    md = views_report.views["ablation"].read_text(encoding="utf-8")
    stats = views_report.board.stats.table
    assert md.startswith("# Ablation against `fusion=concat, image=cnn`")
    fusion = md[md.index("## model.fusion.name") :].split("\n## ")[0]
    film = rows_of(fusion)["film"]
    row = stats.loc["fusion=film, image=cnn"]
    assert f"| {row['delta']:+.2f} | [{row['delta_low']:+.2f}, {row['delta_high']:+.2f}] |" in film
    assert " ▲ |" in film  # significantly better, as in the leaderboard
    assert "| concat (baseline) |" in fusion
    image = md[md.index("## model.encoders.image.name") :].split("\n## ")[0]
    vit = stats.loc["fusion=concat, image=vit"]
    assert f"| {vit['delta']:+.2f} |" in rows_of(image)["vit"]
    # film+vit differs in two factors: in the grid only
    assert "fusion=film, image=vit" not in md.split("## Encoders × fusion")[0]
    grid = rows_of(md.split("## Encoders × fusion")[1])
    assert grid["encoders"] == "| encoders | fusion=concat | fusion=film |"
    means = views_report.board.table.set_index("label")["test/vqa_acc_mean"]
    assert f"{means['fusion=film, image=vit']:.2f} ±" in grid["image=vit"]
    assert grid["image=cnn"].count("±") == 2


@pytest.mark.parametrize("against", [None, "fusion=film, image=cnn"])
def test_without_tests_against_the_baseline_no_delta_is_claimed(views_report, against):
    from mmbench.reporting.ablation import ablation_markdown

    board = views_report.board
    saved = board.stats.against
    configs = pd.DataFrame(
        {
            "_config": list(board.table["label"]),
            "params.model.fusion.name": [s.split(",")[0][7:] for s in board.table["label"]],
        }
    )
    try:
        board.stats.against = against
        md = ablation_markdown(board, configs, "fusion=concat, image=cnn")
    finally:
        board.stats.against = saved
    assert "No Δ intervals or tests" in md and "95% CI of Δ" not in md
