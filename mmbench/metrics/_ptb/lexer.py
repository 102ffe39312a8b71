"""Stanford's PTBLexer (CoreNLP 3.4.1, shipped in pycocoevalcap 1.2) as an exact, slow Python lexer.

pycocoevalcap runs ``edu.stanford.nlp.process.PTBTokenizer -preserveLines -lowerCase``, whose
lexer is a JFlex scanner. :data:`RULES` restates its rules in order (patterns from
:mod:`mmbench.metrics._ptb.grammar`), and :func:`lex` applies them as JFlex does:

* **Longest match, first rule on ties.** At each position every rule is tried; the longest match
  wins and, among equally long matches, the rule listed first. A rule ``body/context`` counts the
  context in its length but returns only the body (the longest body that leaves a valid context).
* **UTF-16.** Java works on 16-bit chars: a character above U+FFFF is two surrogates, which no
  letter class matches (an emoji on its own is dropped as "untokenizable"); see
  :mod:`mmbench.metrics._ptb.javastr`.
* Options in force: ``tokenizeNLs`` (from ``-preserveLines``) and the PTB3 defaults (brackets to
  ``-LRB-`` …, quotes to LaTeX style, ``...``, ``--``, currency and fraction normalisation,
  ``gonna`` → ``gon na``); ``americanize`` and ``escapeForwardSlashAsterisk`` are off.

Every rule is tried at every token, so this is slow (~30 µs a token);
:mod:`mmbench.metrics._ptb.tokenizer` memoises it per space-delimited chunk. Compiling the rules
costs more than most calls: where the text under the regex window is all ≤ U+00FF the rules'
Latin-1 forms are used (same matches, a third of the compile time; see
:func:`ptb_grammar.latin1`), and compiled rules are kept on disk between processes
(:mod:`mmbench.metrics._ptb.rule_cache`).
"""

from __future__ import annotations

import regex

from mmbench.metrics._ptb import actions as a
from mmbench.metrics._ptb import grammar as g
from mmbench.metrics._ptb import rule_cache as ptb_rule_cache

NL = a.NL  # the token a newline becomes


_ANY2 = r"[\s\S]{2}"
# (name, body, trailing context or None, action) in the grammar's order: order breaks ties.
RULES: list[tuple[str, str, str | None, a.Action]] = [
    ("c++", r"[cC]\+\+", None, a.keep),
    ("c#", r"[cCfF]#", None, a.keep),
    ("cannot", g.ci("cannot"), None, a.pushback(3)),
    ("'twas", g.ci("'twas"), None, a.pushback(3)),
    ("'tis", g.ci("'tis"), None, a.pushback(2)),
    ("gonna", g.alts("gonna|gotta|lemme|gimme|wanna"), None, a.pushback(2)),
    ("sgml", g.SGML, None, a.nbsp),
    ("spmdash", g.SPMDASH, None, a.const("--")),
    ("spamp", g.SPAMP, None, a.amp),
    ("sppunc", g.SPPUNC, None, a.keep),
    ("word/redaux", g.WORD, g.REDAUX, a.soft),
    ("sword/sredaux", g.SWORD, g.SREDAUX, a.soft),
    ("word", g.WORD, None, a.soft),
    ("apoword", g.APOWORD, None, a.keep),
    ("apoword2", g.APOWORD2, g.L1, a.keep),
    ("fullurl", g.FULLURL, None, a.keep),
    ("likelyurl", g.LIKELYURL, None, a.keep),
    ("email", g.EMAIL, None, a.keep),
    ("twitter", g.TWITTER, None, a.keep),
    ("redaux/", g.REDAUX, "[^A-Za-z]", a.quotes(False)),
    ("sredaux/", g.SREDAUX, "[^A-Za-z]", a.quotes(False)),
    ("date", g.DATE, None, a.keep),
    ("number", g.NUMBER, None, a.soft),
    ("subsupnum", g.SUBSUPNUM, None, a.keep),
    ("frac", g.FRAC, None, a.nbsp),
    ("frac2", g.FRAC2, None, a.fraction),
    ("tbspec", g.TBSPEC, None, a.amp),
    ("thing3", g.THING3, None, a.keep),
    ("dolsign", g.DOLSIGN, None, a.keep),
    ("dolsign2", g.DOLSIGN2, None, a.currency),
    ("acronym/", g.ACRONYM, g.ACRONYM_NEXT, a.acronym),
    ("abbrev3/", g.ABBREV3, rf"{g.SPACENL}?[{g.P_ND}]", a.keep),
    ("pty/", rf"(?:[pP][tT][eyEY]|{g.ci('co')})\.", rf"{g.SPACE}{g.alts('ltd|lim')}", a.keep),
    ("abbrev1/sentend", g.ABBREV1, g.SENTEND, a.redup),
    ("abbrev1/2", g.ABBREV1, _ANY2, a.keep),
    ("abbrev1", g.ABBREV1, None, a.redup),
    ("abbrev2", g.ABBREV2, None, a.keep),
    ("abbrev4/", g.ABBREV4, g.SPACE, a.keep),
    ("acro/", g.ACRO, g.SPACENL, a.keep),
    ("tbspec2/", g.TBSPEC2, g.SPACENL, a.keep),
    ("filename/", g.FILENAME, rf"(?:{g.SPACENL}|[.?!,])", a.keep),
    ("word./", rf"{g.WORD}\.", g.INSENTP, a.soft),
    ("phone", g.PHONE, None, a.phone),
    ("dblquot/", g.DBLQUOT, r"[A-Za-z0-9$]", a.quotes(True)),
    ("dblquot", g.DBLQUOT, None, a.quotes(False)),
    ("del", r"\x7f", None, a.skip),
    ("lt", rf"<|{g.ci('&lt;')}", None, a.const("<")),
    ("gt", rf">|{g.ci('&gt;')}", None, a.const(">")),
    ("smiley/", g.SMILEY, "[^A-Za-z0-9]", a.parens),
    ("asiansmiley", g.ASIANSMILEY, None, a.parens),
    ("{", r"\{", None, a.const("-LCB-")),
    ("}", r"\}", None, a.const("-RCB-")),
    ("[", r"\[", None, a.const("-LSB-")),
    ("]", r"\]", None, a.const("-RSB-")),
    ("(", r"\(", None, a.const("-LRB-")),
    (")", r"\)", None, a.const("-RRB-")),
    ("hyphens", r"-+", None, a.hyphens),
    ("ldots", g.LDOTS, None, a.const("...")),
    ("fnmarks", g.FNMARKS, None, a.keep),
    ("asts", g.ASTS, None, a.keep),
    ("insentp", g.INSENTP, None, a.keep),
    ("?!", r"[?!]+", None, a.keep),
    ("period", "[.\u00a1\u00bf\u037e\u0589\u061f\u06d4\u0700-\u0702\u07fa\u3002]", None, a.keep),
    ("=", "=", None, a.keep),
    ("/", "/", None, a.keep),
    ("hthing./", rf"{g.HTHING}\.", g.INSENTP, a.soft),
    ("hthing", g.HTHING, None, a.soft),
    ("thing./", rf"{g.THING}\.", g.INSENTP, a.keep),
    ("thing", g.THING, None, a.keep),
    ("thinga./", rf"{g.THINGA}\.", g.INSENTP, a.amp),
    ("thinga", g.THINGA, None, a.amp),
    ("'/", "'", r"[A-Za-z][^ \t\n\r\u00A0]", a.quotes(True)),
    ("redaux", g.REDAUX, None, a.quotes(False)),
    ("sredaux", g.SREDAUX, None, a.quotes(False)),
    ("quotes", g.QUOTES, None, a.quotes(False)),
    ("duckfeet", "<<|>>", None, a.keep),
    ("miscsymbol", g.MISCSYMBOL, None, a.keep),
    ("space", rf"\x00|{g.SPACE}+|[\u200B\u200E\u200F\uFEFF]", None, a.skip),
    ("newline", g.NEWLINE, None, a.newline),
    ("&nbsp;", g.ci("&nbsp;"), None, a.skip),
    ("untokenizable", r"[^\n]", None, a.skip),
]


class _Rule:
    """One compiled rule; ``total`` (body and context together) decides the longest match."""

    __slots__ = ("name", "action", "total", "_body", "_ctx")

    def __init__(
        self,
        name: str,
        action: a.Action,
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


def _patterns(narrow: bool) -> list[tuple[str, a.Action, str, str | None, str | None]]:
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
