"""The actions of the PTB lexer's rules: what a matched text becomes.

Each action takes the matched text (``yytext``; the trailing context is not part of it) and
returns the token to emit (None: nothing) and how many characters it consumed; consuming fewer
than matched pushes the rest back, as ``yypushback`` does in the JFlex grammar. Used by the
rule table of :mod:`mmbench.metrics._ptb.lexer`.
"""

from __future__ import annotations

from collections.abc import Callable

import regex

NL = "\n"  # the token a newline becomes (the Java side writes a line break for it)
Action = Callable[[str], "tuple[str | None, int]"]


def keep(t: str) -> tuple[str | None, int]:
    return t, len(t)


def skip(t: str) -> tuple[str | None, int]:
    return None, len(t)


def const(out: str) -> Action:
    return lambda t: (out, len(t))


def pushback(n: int) -> Action:
    return lambda t: (t[: len(t) - n], len(t) - n)


def soft(t: str) -> tuple[str | None, int]:
    """Soft hyphens (U+00AD) are dropped; a token of only soft hyphens becomes ``-``."""
    out = t.replace("\u00ad", "")
    return (out or "-"), len(t)


_AMP = regex.compile("(?i)&amp;")


def amp(t: str) -> tuple[str | None, int]:
    return _AMP.sub("&", t), len(t)


def nbsp(t: str) -> tuple[str | None, int]:
    return t.replace(" ", "\u00a0"), len(t)


def parens(t: str) -> tuple[str | None, int]:
    return t.replace("(", "-LRB-").replace(")", "-RRB-"), len(t)


def phone(t: str) -> tuple[str | None, int]:
    return parens(t.replace(" ", "\u00a0"))[0], len(t)


_FRACTIONS = {"\u00bc": "1/4", "\u00bd": "1/2", "\u00be": "3/4", "\u2153": "1/3", "\u2154": "2/3"}
_CURRENCY = [("\u00a2", "cents"), ("\u00a3", "#")] + [(c, "$") for c in "\u0080\u00a4\u20a0\u20ac"]


def fraction(t: str) -> tuple[str | None, int]:
    return _FRACTIONS.get(t, t), len(t)


def currency(t: str) -> tuple[str | None, int]:
    out = t
    for a, b in _CURRENCY:
        out = out.replace(a, b)
    return out, len(t)


_QUOTE_MAPS = [
    (regex.compile("[\u0091\u2018\u201b\u2039]"), "`"),
    (regex.compile("[\u0092\u2019\u203a]"), "'"),
    (regex.compile("[\u0093\u201c\u00ab]"), "``"),
    (regex.compile("[\u0094\u201d\u00bb]"), "''"),
]
_SINGLE, _DOUBLE = regex.compile("&apos;|'"), regex.compile('"|&quot;')


def quotes(left: bool) -> Action:
    """LaTeX-style quotes (``latexQuotes``): ``"`` → ````` or ``''`` depending on the side."""

    def act(t: str) -> tuple[str | None, int]:
        s = _DOUBLE.sub("``" if left else "''", _SINGLE.sub("`" if left else "'", t))
        for pattern, out in _QUOTE_MAPS:
            s = pattern.sub(out, s)
        return s, len(t)

    return act


def redup(t: str) -> tuple[str | None, int]:
    """Abbreviation kept whole, and its final period returned again as a token of its own."""
    return t, len(t) - 1


def acronym(t: str) -> tuple[str | None, int]:
    """Acronym before a likely sentence start: ``I.`` → ``I`` ``.``; ``U.S.`` → ``U.S.`` ``.``."""
    if len(t) == 2:
        return t[0], 1
    return t, len(t) - 1


def hyphens(t: str) -> tuple[str | None, int]:
    return ("--" if 3 <= len(t) <= 4 else t), len(t)


def newline(t: str) -> tuple[str | None, int]:
    return NL, len(t)
