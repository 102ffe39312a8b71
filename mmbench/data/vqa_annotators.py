"""Simulated annotators: 10 human-style answers per question, as collected for VQA v2.

Each annotator independently gives the true answer in a surface form drawn from realistic variants
(synonyms and spellings such as "grey", "two", "big"; "Red" capitalised; "red." with a period;
"a circle" with an article), or — with probability ``error_rate`` — a wrong but plausible answer
(another value of the same kind, a count off by one or two, the other of yes/no). A fraction
``contentious`` of the questions are split: there annotators err with probability 0.6. Under the
official VQA normalisation some variants merge with the true answer ("Two" → "2", "a circle." →
"circle") and some do not ("grey" ≠ "gray", "big" ≠ "large", "yeah" ≠ "yes"), so even a perfect
model scores a little under 100, as on the real VQA v2.

The draws are redone until the true answer is a most common normalised answer (ties allowed), so
``multiple_choice_answer`` is always the true answer.
"""

from __future__ import annotations

from collections import Counter

import numpy as np

from mmbench.metrics.vqa_normalize import normalize_answer

N_ANNOTATORS = 10
_NUMBER_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")

# canonical answer → ((variant, probability), ...); the rest of the mass is the canonical form.
SYNONYMS: dict[str, tuple[tuple[str, float], ...]] = {
    "gray": (("grey", 0.3),),
    "purple": (("violet", 0.04),),
    "large": (("big", 0.2),),
    "small": (("little", 0.05), ("tiny", 0.03)),
    "cross": (("plus", 0.05),),
    "yes": (("yeah", 0.02),),
    "0": (("zero", 0.1), ("none", 0.15)),
    **{str(i): ((w, 0.2),) for i, w in enumerate(_NUMBER_WORDS) if i > 0},
}
CONTENTIOUS_RATE = 0.6
P_CAPITAL = 0.05  # "Red"
P_PERIOD = 0.03  # "red."
P_ARTICLE = 0.1  # "a circle" (shape answers only)
ARTICLE_ANSWERS = frozenset({"circle", "square", "triangle", "cross"})


def _surface(answer: str, rng: np.random.Generator) -> str:
    """One annotator's spelling of ``answer``."""
    word = answer
    u = rng.random()
    for variant, p in SYNONYMS.get(answer, ()):
        if u < p:
            word = variant
            break
        u -= p
    if answer in ARTICLE_ANSWERS and rng.random() < P_ARTICLE:
        word = "a " + word
    if rng.random() < P_CAPITAL:
        word = word[0].upper() + word[1:]
    if rng.random() < P_PERIOD:
        word += "."
    return word


def _wrong(answer: str, choices: tuple[str, ...], rng: np.random.Generator) -> str:
    """A plausible mistake: the neighbouring count, or another answer of the same kind."""
    if answer.isdigit():
        n = int(answer)
        options = [str(k) for k in (n - 2, n - 1, n + 1, n + 2) if k >= 0]
    else:
        options = [c for c in choices if c != answer]
    return options[int(rng.integers(len(options)))]


def annotate(
    answer: str,
    choices: tuple[str, ...],
    rng: np.random.Generator,
    *,
    error_rate: float = 0.07,
    contentious: float = 0.05,
    variation: bool = True,
) -> list[str]:
    """10 answers to a question whose true answer is ``answer``.

    Args:
        answer: the canonical true answer (lowercase, digits for numbers).
        choices: the answers of the same kind (e.g. all colours), for wrong answers.
        rng: the example's generator; the answers are a pure function of its state.
        error_rate: probability that an annotator answers wrongly, in [0, 0.5).
        contentious: probability that the question is contentious: then each annotator answers
            wrongly with probability ``CONTENTIOUS_RATE``.
        variation: if False, every annotator uses the canonical spelling.

    Returns:
        10 strings, in annotator order.
    """
    # A few questions are contentious (as in VQA v2): there most annotators disagree.
    rate = CONTENTIOUS_RATE if rng.random() < contentious else error_rate
    for _ in range(1000):
        answers = []
        for _ in range(N_ANNOTATORS):
            given = _wrong(answer, choices, rng) if rng.random() < rate else answer
            answers.append(_surface(given, rng) if variation else given)
        counts = Counter(normalize_answer(a) for a in answers)
        if counts[answer] == max(counts.values()):
            return answers
    raise RuntimeError(f"annotate: could not make {answer!r} the most common answer")
