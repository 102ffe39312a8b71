"""Row labels that stay distinct when two configurations share a sweep label.

A sweep point is labelled by what its sweep varies (``fusion=concat``). A unimodal baseline run
from the same spec with ``--set model.encoders.image=null`` varies the same thing and gets the
same label, so its row would read like the multimodal one. Here colliding labels gain the inputs
their configuration leaves out (``fusion=concat, image=none``), and, if still equal, a short
configuration hash.
"""

from __future__ import annotations

from collections import Counter

import pandas as pd

ENCODER_PARAM = "params.model.encoders."


def _inputs(g: pd.DataFrame) -> set[str]:
    """Input names with an encoder in any run of group ``g``."""
    names = set()
    for col in g.columns:
        if col.startswith(ENCODER_PARAM) and col.endswith(".name") and g[col].notna().any():
            names.add(col[len(ENCODER_PARAM) : -len(".name")])
    return names


def distinct_labels(runs: pd.DataFrame) -> dict[str, str]:
    """``_group`` → label, from ``runs`` with ``_group`` and ``_label`` columns."""
    first = runs.groupby("_group", sort=False)["_label"].first()
    labels = first.to_dict()
    for label, groups in first.groupby(first).groups.items():
        if len(groups) < 2:
            continue
        inputs = {g: _inputs(runs[runs["_group"] == g]) for g in groups}
        union = set().union(*inputs.values())
        for g in groups:
            missing = sorted(union - inputs[g])
            labels[g] = ", ".join([label, *(f"{m}=none" for m in missing)])
    seen = Counter(labels.values())
    return {g: f"{lab} [{str(g)[:8]}]" if seen[lab] > 1 else lab for g, lab in labels.items()}
