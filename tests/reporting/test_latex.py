"""leaderboard.tex: booktabs structure, best in bold, marks, caption, escaping of labels."""

from __future__ import annotations

import pandas as pd

from mmbench.reporting.latex import tex_text, to_latex
from mmbench.reporting.leaderboard import leaderboard


def test_special_characters_are_escaped():
    assert tex_text("a_b & 5% #1 {x} $y ~^\\") == (
        r"a\_b \& 5\% \#1 \{x\} \$y \textasciitilde{}\textasciicircum{}\textbackslash{}"
    )


def test_structure_bold_best_and_escaped_labels_without_statistics():
    frame = pd.DataFrame(
        {
            "run_name": ["r1", "r2", "r3", "r4"],
            "tags.mmbench.group": ["a", "a", "b", "b"],
            "tags.mmbench.label": ["lr=1e-3 & 50%_#1"] * 2 + ["fusion=film"] * 2,
            "metrics.test/wer": [0.2, 0.3, 0.5, 0.6],
        }
    )
    tex = to_latex(leaderboard(frame), "exp_1 & co")
    lines = tex.splitlines()
    assert lines.index(r"\toprule") < lines.index(r"\midrule") < lines.index(r"\bottomrule")
    assert r"\begin{tabular}{lrr}" in tex
    assert r"Configuration & seeds & test/wer $\downarrow$ \\" in tex
    # lowest WER is best: bold, and the escaped label
    assert r"lr=1e-3 \& 50\%\_\#1 & 2 & \textbf{0.25 $\pm$ 0.07} \\" in tex
    assert r"fusion=film & 2 & 0.55 $\pm$ 0.07 \\" in tex
    assert r"\caption{exp\_1 \& co: mean $\pm$ sample std" in tex
    assert "2 seeds per configuration" in tex
    # every unescaped special character is gone from the rows
    body = tex[tex.index(r"\midrule") : tex.index(r"\bottomrule")]
    assert "_#" not in body and " & 50%" not in body
    assert r"\label{tab:exp-1---co}" in tex


def test_report_writes_tex_with_interval_marks_and_caption(views_report):
    report = views_report
    tex = report.views["latex"].read_text(encoding="utf-8")
    assert report.views["latex"].name == "leaderboard.tex"
    assert r"95\% CI & p vs fusion=concat, image=cnn \\" in tex
    film = next(line for line in tex.splitlines() if line.startswith("fusion=film, image=cnn"))
    assert r"\textbf{" in film and r"$^\blacktriangle$" in film  # best, and better than baseline
    base = next(line for line in tex.splitlines() if line.startswith("fusion=concat, image=cnn"))
    assert "ref." in base and "[" in base
    assert "3 seeds per configuration" in tex
    assert "120 shared test examples" in tex and "Holm-corrected" in tex
