"""nltk's Porter stemmer (the stems rouge-score uses), with the steps that cannot apply skipped.

``PorterStemmer().stem(word)`` (mode NLTK_EXTENSIONS; nltk is pinned in pyproject.toml) looks the
lower-cased word up in a table of irregular forms, returns words of ≤ 2 characters as they are,
and otherwise applies steps 1a, 1b, 1c, 2, 3, 4, 5a and 5b in turn. Each step changes only words
with certain endings, so one ``str.endswith`` over a step's endings saves calling it for most
words (stemming a new vocabulary is most of the extra time of a cold ROUGE call):

* steps 1a, 1c, 2, 3, 4 and 5b each hand one list of (suffix, replacement, condition) rules to
  ``_apply_rule_list``, which changes the word only if it ends with one of those suffixes. The
  suffixes are read from nltk by letting each step hand its list to a probe (step 1a's NLTK
  extension, ``ies`` in 4-letter words, ends with its ``s`` rule);
* step 1b changes only words ending in ``ed`` or ``ing`` (``eed`` and NLTK's ``ied`` included),
  step 5a only words ending in ``e``: both test those endings first (nltk 3.10's code).

``tests/metrics/test_porter_stem.py`` compares the stems with ``stem`` on ~14k varied words.
"""

from __future__ import annotations

from collections.abc import Callable

_PROBED = ("_step1a", "_step1c", "_step2", "_step3", "_step4", "_step5b")  # one rule list each
_ENDINGS = {"_step1b": ("ed", "ing"), "_step5a": ("e",)}
_STEPS = ("_step1a", "_step1b", "_step1c", "_step2", "_step3", "_step4", "_step5a", "_step5b")


def _suffixes(step: str) -> tuple[str, ...] | None:
    """The suffixes ``PorterStemmer.<step>`` tests, or None if it does not show them."""
    from nltk.stem import porter

    rules: list[tuple] = []
    probe = porter.PorterStemmer()
    probe._apply_rule_list = lambda word, given: rules.extend(given) or word  # type: ignore[method-assign]
    getattr(probe, step)("zzzzzz")
    suffixes = tuple(rule[0] for rule in rules)
    if not suffixes or any(not isinstance(s, str) or not s or s == "*d" for s in suffixes):
        return None  # pragma: no cover - not nltk 3.10's steps
    return suffixes


class PorterStems:
    """Callable ``word -> PorterStemmer().stem(word)`` (NLTK_EXTENSIONS mode)."""

    def __init__(self) -> None:
        from nltk.stem import porter  # lazy: nltk is slow to import and only needed here

        stemmer = porter.PorterStemmer()
        if stemmer.mode != stemmer.NLTK_EXTENSIONS:  # pragma: no cover - nltk's default
            raise RuntimeError("PorterStemmer's default mode is no longer NLTK_EXTENSIONS")
        self._pool = stemmer.pool  # irregular forms
        self._steps: list[tuple[Callable[[str], str], tuple[str, ...] | None]] = [
            (getattr(stemmer, step), _suffixes(step) if step in _PROBED else _ENDINGS[step])
            for step in _STEPS
        ]

    def __call__(self, word: str) -> str:
        stem = word.lower()
        if stem in self._pool:
            return self._pool[stem]
        if len(word) <= 2:
            return stem
        for step, suffixes in self._steps:
            if suffixes is None or stem.endswith(suffixes):
                stem = step(stem)
        return stem
