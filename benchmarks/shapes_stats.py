"""Figures for the ``shapes`` dataset card: build time, answer balance, question-only baselines.

Run by hand (not a test):
``.venv/bin/python benchmarks/shapes_stats.py [--n-train 3000] [key=value …]``
where each ``key=value`` is a ``shapes`` kwarg (e.g. ``relation_fraction=0.6``).
Prints Markdown tables; the numbers in ``datasets/shapes/README.md`` come from the default run.
"""

from __future__ import annotations

import argparse
import ast
import time
from collections import Counter, defaultdict

from mmbench.data.shapes import shapes
from mmbench.data.shapes_scene import COLOURS, SHAPES, SIZES
from mmbench.data.vqa_questions import VALUES
from mmbench.metrics.vqa import vqa_accuracy
from mmbench.metrics.vqa_normalize import normalize_answer


def _acc(preds: list[str], exs: list[dict]) -> float:
    return vqa_accuracy(preds, [e["answers"] for e in exs]).scores["vqa_acc"]


def _majority(train: list[dict], key) -> dict:
    groups: dict = defaultdict(Counter)
    for e in train:
        groups[key(e)][e["multiple_choice_answer"]] += 1
    return {k: c.most_common(1)[0][0] for k, c in groups.items()}


_MASK = {*COLOURS, *SIZES, *SHAPES, *(s + "s" for s in SHAPES), "crosses"}


def template(question: str) -> str:
    """The question with every attribute word masked: the answer kind stays visible."""
    return " ".join("<w>" if w in _MASK else w for w in question.rstrip("?").split())


def kind_size(answer: str) -> int:
    """How many answers the question's kind allows (colour 6, shape 4, size 2, …)."""
    if answer in ("yes", "no"):
        return 2
    for values in VALUES.values():
        if answer in values:
            return len(values)
    return 5  # counts 0..4


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n-train", type=int, default=3000)
    ap.add_argument("--n-test", type=int, default=2000)
    ap.add_argument("kwargs", nargs="*", help="shapes kwargs as key=value")
    args = ap.parse_args()
    extra = {k: ast.literal_eval(v) for k, v in (kv.split("=", 1) for kv in args.kwargs)}

    t0 = time.perf_counter()
    s = shapes(task="vqa", n_train=4000, n_val=500, n_test=500, **extra)
    print(f"build 5,000 examples: {time.perf_counter() - t0:.2f} s")
    s = shapes(task="vqa", n_train=args.n_train, n_val=1, n_test=args.n_test, **extra)
    train, test = s.train, s.test

    print("\n| family | share of test | answers | most common answer share (test) |")
    print("|---|---|---|---|")
    fam = Counter(e["question_type"] for e in test)
    for f, n in sorted(fam.items()):
        answers = Counter(e["multiple_choice_answer"] for e in test if e["question_type"] == f)
        top, top_n = answers.most_common(1)[0]
        print(f"| {f} | {n / len(test):.1%} | {len(answers)} | {top} {top_n / n:.1%} |")
    at = Counter(e["answer_type"] for e in test)
    print("\nanswer types:", {k: f"{v / len(test):.1%}" for k, v in sorted(at.items())})
    yn = Counter(e["multiple_choice_answer"] for e in test if e["answer_type"] == "yes/no")
    print("yes/no:", dict(yn))
    n_obj = Counter(len(e["scene"]["objects"]) for e in test)
    print("objects per scene:", dict(sorted(n_obj.items())))

    truth = [e["multiple_choice_answer"] for e in test]
    overall = Counter(e["multiple_choice_answer"] for e in train).most_common(1)[0][0]
    per_type = _majority(train, lambda e: e["question_type"])
    per_q = _majority(train, lambda e: e["question"])
    pred_type = [per_type.get(e["question_type"], overall) for e in test]
    pred_q = [per_q.get(e["question"], per_type.get(e["question_type"], overall)) for e in test]
    per_t = _majority(train, lambda e: template(e["question"]))
    pred_t = [per_t.get(template(e["question"]), overall) for e in test]
    chance = sum(1 / kind_size(e["multiple_choice_answer"]) for e in test) / len(test)
    seen = sum(e["question"] in per_q for e in test) / len(test)

    def exact(preds):
        return 100 * sum(p == t for p, t in zip(preds, truth)) / len(truth)

    rows = [
        ("perfect: multiple_choice_answer", truth),
        (f"majority answer overall ('{overall}')", [overall] * len(test)),
        ("majority answer per question type", pred_type),
        (f"majority answer per exact question ({seen:.0%} of test questions seen)", pred_q),
        (f"majority answer per template ({len(per_t)} templates)", pred_t),
    ]
    print("\n| predictor (fitted on train, scored on test) | VQA accuracy | exact match % |")
    print("|---|---|---|")
    for name, preds in rows:
        print(f"| {name} | {_acc(preds, test):.2f} | {exact(preds):.2f} |")
    print(f"| chance: uniform guess among the answers of the right kind | – | {100 * chance:.2f} |")
    breakdown = vqa_accuracy(
        pred_type, [e["answers"] for e in test], question_types=[e["question_type"] for e in test]
    ).breakdown["question_type"]
    print("per-type majority by type:", breakdown)

    raw = Counter(a for e in train for a in e["answers"])
    norm = Counter(normalize_answer(a) for e in train for a in e["answers"])
    print(
        f"\ndistinct raw answer strings in train: {len(raw)}; after official normalisation: "
        f"{len(norm)}; canonical answers: {len(s.meta['answers'])}"
    )
    all_same = sum(len(set(e["answers"])) == 1 for e in test) / len(test)
    print(f"questions whose 10 answers are identical: {all_same:.1%}")
    words = Counter(w for e in train for w in e["question"].rstrip("?").split())
    print(
        f"question vocabulary: {len(words)} words; mean length "
        f"{sum(len(e['question'].split()) for e in train) / len(train):.1f} words"
    )


if __name__ == "__main__":
    main()
