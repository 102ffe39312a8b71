"""The PTB tokenizer's lexer-free path for plain words: ``word``, ``word,`` and ``word.``.

Most caption chunks are ASCII letters, perhaps followed by a comma or a period. Their tokens
are the lower-cased word (the ``,`` or ``.`` is a token of its own, which pycocoevalcap drops as
punctuation), except:

* ``cannot``, ``gonna``, ``gotta``, ``lemme``, ``gimme``, ``wanna``, which the lexer splits;
* ``word.`` where the lexer's abbreviation rules (ABBREV1, ABBREV2 of
  :mod:`mmbench.metrics._ptb.grammar`) match: ``etc.``, ``Mr.``, ``a.``… keep their period.

The abbreviation regexes cost microseconds a call, so a set of every lower-case word they can
match (expanded from the grammar's own alternation sources) screens the words first; the
regexes then settle the case-sensitive details. Checked against the lexer in the tests.
"""

from __future__ import annotations

import itertools
import re

import regex

from mmbench.metrics._ptb import grammar as ptb_grammar

SPLIT_WORDS = frozenset({"cannot", "gonna", "gotta", "lemme", "gimme", "wanna"})  # "can not", …
_ASCII_WORD_END = re.compile(r"([A-Za-z]+)([.,]?)")
_ABBREV1 = regex.compile(ptb_grammar.ABBREV1, ptb_grammar.FLAGS)
_ABBREV2 = regex.compile(ptb_grammar.ABBREV2, ptb_grammar.FLAGS)
_PIECE = re.compile(r"(\[[A-Za-z]+\]|[A-Za-z])(\??)")


def letter_forms(alternation: str) -> set[str]:
    """Lower-case words an alternation of letters matches: ``"Pp?t[ye]s?|Mr"`` → pty, ptes, …, mr.

    Knows letters, classes of letters (``[ye]``, and ``[M]`` for a case-sensitive letter) and
    ``?``; an item with anything else (``a.k.a``) cannot match letters alone and is skipped.
    """
    out: set[str] = set()
    for item in alternation.split("|"):
        pieces = _PIECE.findall(item)
        if "".join(a + b for a, b in pieces) != item:
            if any(c.isalpha() or c in "[]?" for c in item) and "." not in item:
                raise ValueError(f"letter_forms: cannot expand {item!r}")
            continue
        options = [
            {c.lower() for c in atom.strip("[]")} | ({""} if optional else set())
            for atom, optional in pieces
        ]
        out.update("".join(p) for p in itertools.product(*options))
    return out


_ABBREV_FORMS = frozenset().union(*map(letter_forms, ptb_grammar.ABBREV_LETTER_WORDS))


def is_abbreviation(word: str, chunk: str) -> bool:
    """Whether ``chunk`` (``word`` + ``.``) is one token by the lexer's abbreviation rules."""
    if len(word) > 1 and word.lower() not in _ABBREV_FORMS:  # ACRO: any single letter
        return False
    return bool(_ABBREV1.fullmatch(chunk) or _ABBREV2.fullmatch(chunk))


def shortcut(chunk: str) -> str | None:
    """The finished tokens of a plain-word chunk, or None when the lexer must decide."""
    m = _ASCII_WORD_END.fullmatch(chunk)
    if m is None or m[1].lower() in SPLIT_WORDS:
        return None
    if m[2] == "." and is_abbreviation(m[1], chunk):
        return chunk.lower()
    return m[1].lower()
