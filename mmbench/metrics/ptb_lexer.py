"""Stanford's PTBLexer (CoreNLP 3.4.1, shipped in pycocoevalcap 1.2) as an exact, slow Python lexer.

pycocoevalcap runs ``edu.stanford.nlp.process.PTBTokenizer -preserveLines -lowerCase``, whose
lexer is a JFlex scanner. :data:`RULES` restates its rules in order (patterns from
:mod:`mmbench.metrics.ptb_grammar`), and :func:`lex` applies them as JFlex does:

* **Longest match, first rule on ties.** At each position every rule is tried; the longest match
  wins and, among equally long matches, the rule listed first. A rule ``body/context`` counts the
  context in its length but returns only the body (the longest body that leaves a valid context).
* **UTF-16.** Java works on 16-bit chars: a character above U+FFFF is two surrogates, which no
  letter class matches (an emoji on its own is dropped as "untokenizable"); see
  :mod:`mmbench.metrics.ptb_javastr`.
* Options in force: ``tokenizeNLs`` (from ``-preserveLines``) and the PTB3 defaults (brackets to
  ``-LRB-`` …, quotes to LaTeX style, ``...``, ``--``, currency and fraction normalisation,
  ``gonna`` → ``gon na``); ``americanize`` and ``escapeForwardSlashAsterisk`` are off.

Every rule is tried at every token, so this is slow (~30 µs a token);
:mod:`mmbench.metrics.ptb_tokenizer` memoises it per space-delimited chunk. Compiling the rules
costs more than most calls: where the text under the regex window is all ≤ U+00FF the rules'
Latin-1 forms are used (same matches, a third of the compile time; see
:func:`ptb_grammar.latin1`), and compiled rules are kept on disk between processes
(:mod:`mmbench.metrics.ptb_rule_cache`).
"""

from __future__ import annotations

from collections.abc import Callable

import regex

from mmbench.metrics import ptb_grammar as g
from mmbench.metrics import ptb_rule_cache

NL = "\n"  # the token a newline becomes (the Java side writes a line break for it)


# ---- actions: (yytext) -> (token or None, number of chars consumed) ---------------------------
Action = Callable[[str], "tuple[str | None, int]"]


def _keep(t: str) -> tuple[str | None, int]:
    return t, len(t)


def _skip(t: str) -> tuple[str | None, int]:
    return None, len(t)


def _const(out: str) -> Action:
    return lambda t: (out, len(t))


def _pushback(n: int) -> Action:
    return lambda t: (t[: len(t) - n], len(t) - n)


def _soft(t: str) -> tuple[str | None, int]:
    """Soft hyphens (U+00AD) are dropped; a token of only soft hyphens becomes ``-``."""
    out = t.replace("\u00ad", "")
    return (out or "-"), len(t)


_AMP = regex.compile("(?i)&amp;")


def _amp(t: str) -> tuple[str | None, int]:
    return _AMP.sub("&", t), len(t)


def _nbsp(t: str) -> tuple[str | None, int]:
    return t.replace(" ", "\u00a0"), len(t)


def _parens(t: str) -> tuple[str | None, int]:
    return t.replace("(", "-LRB-").replace(")", "-RRB-"), len(t)


def _phone(t: str) -> tuple[str | None, int]:
    return _parens(t.replace(" ", "\u00a0"))[0], len(t)


_FRACTIONS = {"\u00bc": "1/4", "\u00bd": "1/2", "\u00be": "3/4", "\u2153": "1/3", "\u2154": "2/3"}
_CURRENCY = [("\u00a2", "cents"), ("\u00a3", "#")] + [(c, "$") for c in "\u0080\u00a4\u20a0\u20ac"]


def _fraction(t: str) -> tuple[str | None, int]:
    return _FRACTIONS.get(t, t), len(t)


def _currency(t: str) -> tuple[str | None, int]:
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


def _quotes(left: bool) -> Action:
    """LaTeX-style quotes (``latexQuotes``): ``"`` → ````` or ``''`` depending on the side."""

    def act(t: str) -> tuple[str | None, int]:
        s = _DOUBLE.sub("``" if left else "''", _SINGLE.sub("`" if left else "'", t))
        for pattern, out in _QUOTE_MAPS:
            s = pattern.sub(out, s)
        return s, len(t)

    return act


def _redup(t: str) -> tuple[str | None, int]:
    """Abbreviation kept whole, and its final period returned again as a token of its own."""
    return t, len(t) - 1


def _acronym(t: str) -> tuple[str | None, int]:
    """Acronym before a likely sentence start: ``I.`` → ``I`` ``.``; ``U.S.`` → ``U.S.`` ``.``."""
    if len(t) == 2:
        return t[0], 1
    return t, len(t) - 1


def _hyphens(t: str) -> tuple[str | None, int]:
    return ("--" if 3 <= len(t) <= 4 else t), len(t)


def _newline(t: str) -> tuple[str | None, int]:
    return NL, len(t)


_ANY2 = r"[\s\S]{2}"
# (name, body, trailing context or None, action) in the grammar's order: order breaks ties.
RULES: list[tuple[str, str, str | None, Action]] = [
    ("c++", r"[cC]\+\+", None, _keep),
    ("c#", r"[cCfF]#", None, _keep),
    ("cannot", g.ci("cannot"), None, _pushback(3)),
    ("'twas", g.ci("'twas"), None, _pushback(3)),
    ("'tis", g.ci("'tis"), None, _pushback(2)),
    ("gonna", g.alts("gonna|gotta|lemme|gimme|wanna"), None, _pushback(2)),
    ("sgml", g.SGML, None, _nbsp),
    ("spmdash", g.SPMDASH, None, _const("--")),
    ("spamp", g.SPAMP, None, _amp),
    ("sppunc", g.SPPUNC, None, _keep),
    ("word/redaux", g.WORD, g.REDAUX, _soft),
    ("sword/sredaux", g.SWORD, g.SREDAUX, _soft),
    ("word", g.WORD, None, _soft),
    ("apoword", g.APOWORD, None, _keep),
    ("apoword2", g.APOWORD2, g.L1, _keep),
    ("fullurl", g.FULLURL, None, _keep),
    ("likelyurl", g.LIKELYURL, None, _keep),
    ("email", g.EMAIL, None, _keep),
    ("twitter", g.TWITTER, None, _keep),
    ("redaux/", g.REDAUX, "[^A-Za-z]", _quotes(False)),
    ("sredaux/", g.SREDAUX, "[^A-Za-z]", _quotes(False)),
    ("date", g.DATE, None, _keep),
    ("number", g.NUMBER, None, _soft),
    ("subsupnum", g.SUBSUPNUM, None, _keep),
    ("frac", g.FRAC, None, _nbsp),
    ("frac2", g.FRAC2, None, _fraction),
    ("tbspec", g.TBSPEC, None, _amp),
    ("thing3", g.THING3, None, _keep),
    ("dolsign", g.DOLSIGN, None, _keep),
    ("dolsign2", g.DOLSIGN2, None, _currency),
    ("acronym/", g.ACRONYM, g.ACRONYM_NEXT, _acronym),
    ("abbrev3/", g.ABBREV3, rf"{g.SPACENL}?[{g.P_ND}]", _keep),
    ("pty/", rf"(?:[pP][tT][eyEY]|{g.ci('co')})\.", rf"{g.SPACE}{g.alts('ltd|lim')}", _keep),
    ("abbrev1/sentend", g.ABBREV1, g.SENTEND, _redup),
    ("abbrev1/2", g.ABBREV1, _ANY2, _keep),
    ("abbrev1", g.ABBREV1, None, _redup),
    ("abbrev2", g.ABBREV2, None, _keep),
    ("abbrev4/", g.ABBREV4, g.SPACE, _keep),
    ("acro/", g.ACRO, g.SPACENL, _keep),
    ("tbspec2/", g.TBSPEC2, g.SPACENL, _keep),
    ("filename/", g.FILENAME, rf"(?:{g.SPACENL}|[.?!,])", _keep),
    ("word./", rf"{g.WORD}\.", g.INSENTP, _soft),
    ("phone", g.PHONE, None, _phone),
    ("dblquot/", g.DBLQUOT, r"[A-Za-z0-9$]", _quotes(True)),
    ("dblquot", g.DBLQUOT, None, _quotes(False)),
    ("del", r"\x7f", None, _skip),
    ("lt", rf"<|{g.ci('&lt;')}", None, _const("<")),
    ("gt", rf">|{g.ci('&gt;')}", None, _const(">")),
    ("smiley/", g.SMILEY, "[^A-Za-z0-9]", _parens),
    ("asiansmiley", g.ASIANSMILEY, None, _parens),
    ("{", r"\{", None, _const("-LCB-")),
    ("}", r"\}", None, _const("-RCB-")),
    ("[", r"\[", None, _const("-LSB-")),
    ("]", r"\]", None, _const("-RSB-")),
    ("(", r"\(", None, _const("-LRB-")),
    (")", r"\)", None, _const("-RRB-")),
    ("hyphens", r"-+", None, _hyphens),
    ("ldots", g.LDOTS, None, _const("...")),
    ("fnmarks", g.FNMARKS, None, _keep),
    ("asts", g.ASTS, None, _keep),
    ("insentp", g.INSENTP, None, _keep),
    ("?!", r"[?!]+", None, _keep),
    ("period", "[.\u00a1\u00bf\u037e\u0589\u061f\u06d4\u0700-\u0702\u07fa\u3002]", None, _keep),
    ("=", "=", None, _keep),
    ("/", "/", None, _keep),
    ("hthing./", rf"{g.HTHING}\.", g.INSENTP, _soft),
    ("hthing", g.HTHING, None, _soft),
    ("thing./", rf"{g.THING}\.", g.INSENTP, _keep),
    ("thing", g.THING, None, _keep),
    ("thinga./", rf"{g.THINGA}\.", g.INSENTP, _amp),
    ("thinga", g.THINGA, None, _amp),
    ("'/", "'", r"[A-Za-z][^ \t\n\r\u00A0]", _quotes(True)),
    ("redaux", g.REDAUX, None, _quotes(False)),
    ("sredaux", g.SREDAUX, None, _quotes(False)),
    ("quotes", g.QUOTES, None, _quotes(False)),
    ("duckfeet", "<<|>>", None, _keep),
    ("miscsymbol", g.MISCSYMBOL, None, _keep),
    ("space", rf"\x00|{g.SPACE}+|[\u200B\u200E\u200F\uFEFF]", None, _skip),
    ("newline", g.NEWLINE, None, _newline),
    ("&nbsp;", g.ci("&nbsp;"), None, _skip),
    ("untokenizable", r"[^\n]", None, _skip),
]


class _Rule:
    """One compiled rule; ``total`` (body and context together) decides the longest match."""

    __slots__ = ("name", "action", "total", "_body", "_ctx")

    def __init__(
        self,
        name: str,
        action: Action,
        total: regex.Pattern,
        body: regex.Pattern | None = None,
        ctx: regex.Pattern | None = None,
    ):
        self.name, self.action, self.total, self._body, self._ctx = name, action, total, body, ctx

    def body_end(self, text: str, pos: int, end: int) -> int:
        """End of the longest body in ``text[pos:end]`` whose rest matches the context."""
        if self._ctx is None:
            return end
        body, ctx = self._body, self._ctx
        return next(
            k
            for k in range(end, pos, -1)
            if body.fullmatch(text, pos, k) and ctx.fullmatch(text, k, end)
        )


def _patterns(narrow: bool) -> list[tuple[str, Action, str, str | None, str | None]]:
    """``(name, action, total, body, context)`` pattern sources of every rule, in order.

    ``narrow``: the rules' Latin-1 forms (:func:`ptb_grammar.latin1`), for text ≤ U+00FF only.
    """
    out = []
    for name, body, ctx, action in RULES:
        if narrow:
            body, ctx = g.latin1(body), (g.latin1(ctx) if ctx else ctx)
        if ctx is None:
            out.append((name, action, body, None, None))
        else:
            out.append((name, action, f"(?:{body})(?:{ctx})", body, ctx))
    return out


def _compile(narrow: bool) -> list[_Rule]:
    specs = _patterns(narrow)
    sources = sorted({p for spec in specs for p in spec[2:] if p is not None})
    done = ptb_rule_cache.compiled(sources, g.FLAGS)
    return [
        _Rule(name, action, done[total], body and done[body], ctx and done[ctx])
        for name, action, total, body, ctx in specs
    ]


# Compiled on first use (or read from the disk cache, see ptb_rule_cache): the Latin-1 forms
# (narrow=True) in ~0.09 s, the full ones in ~0.11 s (measured on 2 shared cores).
_RULES: dict[bool, list[_Rule]] = {False: [], True: []}
_BY_FIRST: dict[bool, dict[str, list[_Rule]]] = {False: {}, True: {}}


def _candidates(c: str, narrow: bool) -> list[_Rule]:
    """Rules whose match can start with character ``c`` (cached)."""
    rules = _BY_FIRST[narrow].get(c)
    if rules is None:
        if not _RULES[narrow]:
            _RULES[narrow].extend(_compile(narrow))
        rules = [r for r in _RULES[narrow] if r.total.match(c, partial=True)]
        _BY_FIRST[narrow][c] = rules
    return rules


_WINDOW = 512  # chars of look-ahead handed to the regex engine (it scans its whole input)
_WINDOW_SGML = 8192  # when a "<" is near: SGML tags may be long


def _is_latin1(s: str) -> bool:
    return s.isascii() or max(s) <= "\xff"


def lex(
    text: str, pos: int = 0, stop: int | None = None, *, narrow: bool = True
) -> tuple[list[str], int]:
    """Tokens (original case, :data:`NL` for newlines) of ``text`` from ``pos``.

    Lexing goes on while a token starts before ``stop`` (default: the end); look-ahead sees the
    rest of ``text``. ``text`` must be in UTF-16 units (``ptb_javastr.to_utf16``). Returns the
    tokens and the position where lexing stopped (≥ ``stop``: a token may run past it).
    ``narrow=False`` never uses the Latin-1 forms of the rules (for tests: same tokens).
    """
    n = len(text)
    stop = n if stop is None else stop
    out: list[str] = []
    while pos < stop:
        # Regex calls see a window; a match that reaches its end is redone on the whole text.
        end = min(n, pos + _WINDOW)
        if end < n and "<" in text[pos:end]:
            end = min(n, pos + _WINDOW_SGML)
        latin = narrow and _is_latin1(text[pos:end])
        best, best_end = _longest(text, pos, end, latin)
        if end < n and best_end > end - 8:
            best, best_end = _longest(text, pos, n, narrow and _is_latin1(text[pos:]))
        token, used = best.action(text[pos : best.body_end(text, pos, best_end)])
        if token is not None:
            out.append(token)
        pos += used
    return out, pos


def _longest(text: str, pos: int, end: int, narrow: bool) -> tuple[_Rule, int]:
    """The rule with the longest match at ``pos`` (the first one on ties), and its end."""
    best, best_end = None, pos
    for rule in _candidates(text[pos], narrow):
        m = rule.total.match(text, pos, end)
        if m is not None and m.end() > best_end:
            best, best_end = rule, m.end()
    if best is None:  # cannot happen: the last rule matches any character but \n
        raise AssertionError(f"no PTB rule matches at {pos}: {text[pos : pos + 10]!r}")
    return best, best_end
