"""The fast path of the PTB tokenizer port: lex each distinct space-delimited chunk once.

The exact lexer (:mod:`mmbench.metrics._ptb.lexer`) costs tens of microseconds a token, but
captions reuse few distinct words. Text is cut at spaces (and at the newlines that join
captions) into chunks, and a chunk's tokens depend on the chunk alone, except where a token or a
look-ahead crosses a space:

* numbers with spaces: ``1 1/2``, ``(555) 123-4567``, ``123 456 7890`` (digit or ``)``, space,
  digit);
* a spaced ellipsis ``. . .``;
* a one-letter acronym before a capitalised sentence opener (``a. The``: ``a`` vs ``a.``),
  ``no.``/``fig.``/… before a digit, ``PTY.`` before ``LTD`` (candidates found by regex are
  confirmed by lexing their chunk);
* SGML tags (``<a href="x y">``, which may even span captions), and ``\\r\\n`` (one line break);
* the very last chunk, which is followed by the end of the input.

Those spots are found with a few regex and byte searches over the whole text, and the chunks
around them are lexed exactly, in context. A chunk is lexed followed by ``" z"``: a space then a
lower-case letter matches none of the look-aheads above.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from mmbench.metrics._ptb import lexer as ptb_lexer

NEUTRAL = " z"  # what a chunk is lexed before: matches none of the look-aheads across a space
# Candidates for a look-ahead across a space; each regex starts with a literal, so scanning the
# whole text stays fast. _context_sensitive() then checks the chunk's last token.
_HOT_ACRONYM = re.compile(r"\.(?<![A-Za-z]{2}\.)(?<=[A-Za-z]\.)(?=\s+[ABEHILMNOSTWY<])")
_HOT_PTY = re.compile(r"\.(?= [lL][tTiI][dDmM])")  # "PTY. LTD"
_HOT_WWW = re.compile(r"\.(?<=[wW]{3}\.)")  # a www-URL may end inside a word (TLD ≤ 4 letters)
_HOT_DIGIT = re.compile(r" (?<=[\d)] )(?=\d)")  # "1 1/2", "(12) 345-6789"
_HOT_NUMBER = re.compile(r"\.(?=\s?\s?\d)")  # "no. 5", "fig. 3"
_NON_ASCII_DIGIT = re.compile(
    "[" + "".join(c for c in map(chr, range(0x80, 0x10000)) if c.isdecimal()) + "]"
)
# Bytes: ASCII digits → "0", ASCII whitespace → " ".
_SHAPES = bytes.maketrans(b"0123456789\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f", b"0" * 10 + b" " * 9)
_ONE_LETTER = re.compile(r"[A-Za-z]\.")
_AB3_WORD = re.compile(r"(?i:ca|figs?|prop|nos?|art|bldg|pp|op|pt[ey])")
sensitive: dict[str, bool] = {}  # chunk → _context_sensitive(chunk)


def _context_sensitive(chunk: str) -> bool:
    """Whether the chunk's last token is one a look-ahead across the space could change."""
    if chunk not in sensitive:
        tokens, _ = ptb_lexer.lex(chunk + NEUTRAL, 0, len(chunk) + 1)
        while tokens and tokens[-1] == ptb_lexer.NL:  # a look-ahead crosses line breaks too
            tokens.pop()
        last = tokens[-2:] if len(tokens) >= 2 else ["", *tokens]
        sensitive[chunk] = bool(
            tokens
            and (
                _ONE_LETTER.fullmatch(last[-1])
                or (last[-1] == "." and _AB3_WORD.fullmatch(last[0]))
            )
        )
    return sensitive[chunk]


def _byte_finds(raw: bytes, patterns: tuple[bytes, ...]) -> list[int]:
    out = []
    for pat in patterns:
        i = raw.find(pat)
        while i >= 0:
            out.append(i)
            i = raw.find(pat, i + 1)
    return out


def _char_offsets(text: str, raw: bytes, offsets: list[int]) -> list[int]:
    """Byte offsets of ``raw = text.encode("utf-8")`` as character offsets of ``text``."""
    if text.isascii():
        return offsets
    out, byte, char = [], 0, 0
    for off in sorted(offsets):
        char += len(raw[byte:off].decode("utf-8", "surrogatepass"))
        byte = off
        out.append(char)
    return out


def _hot_spots(text: str) -> list[int]:
    """Positions where lexing needs the real context: tokens or look-aheads crossing a space."""
    try:  # one byte a character: byte offsets are character offsets, no non-ASCII digits
        raw, latin1 = text.encode("latin-1"), True
    except UnicodeEncodeError:
        raw, latin1 = text.encode("utf-8", "surrogatepass"), False
    shapes = raw.translate(_SHAPES)
    unicode_digits = not latin1 and _NON_ASCII_DIGIT.search(text) is not None
    if unicode_digits:
        spots = [m.start() for m in _HOT_DIGIT.finditer(text)]
        numbers = [m.start() for m in _HOT_NUMBER.finditer(text)]
        spots += _char_offsets(text, raw, _byte_finds(shapes, (b". .",)))
    else:  # "[digit or )] [digit]", ". .": search the byte shapes
        found = _byte_finds(shapes, (b"0 0", b") 0", b". ."))
        numbers = _byte_finds(shapes, (b".0", b". 0", b".  0"))
        if not latin1:
            found, numbers = _char_offsets(text, raw, found), _char_offsets(text, raw, numbers)
        spots = found
    candidates = numbers + [m.start() for m in _HOT_ACRONYM.finditer(text)]
    candidates += [m.start() for m in _HOT_PTY.finditer(text)]
    for i in candidates:  # "no. 5", "I. The", "PTY. LTD": only if the chunk ends in such a token
        a = max(text.rfind(" ", 0, i), text.rfind("\n", 0, i)) + 1
        b = min(_find(text, " ", i), _find(text, "\n", i))
        if _context_sensitive(text[a:b]):
            spots.append(i)
    spots += [m.start() for m in _HOT_WWW.finditer(text)]
    for c in "<\r":  # SGML tags (may hold spaces and newlines), "\r\n" (one line break)
        i = text.find(c)
        while i >= 0:
            spots.append(i)
            i = text.find(c, i + 1)
    return spots


def _find(text: str, sub: str, start: int) -> int:
    i = text.find(sub, start)
    return len(text) if i < 0 else i


def regions(text: str) -> list[tuple[int, int]]:
    """Chunk-aligned spans to lex exactly: around each hot spot, and the last chunk (EOF)."""
    spans = []
    for i in _hot_spots(text):
        a = max(text.rfind(" ", 0, i), text.rfind("\n", 0, i)) + 1
        j = i + 2  # the chunk after the hot spot's separator is included too
        spans.append((a, min(_find(text, " ", j), _find(text, "\n", j))))
    spans.append((max(text.rfind(" "), text.rfind("\n")) + 1, len(text)))
    merged: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged


class Unhandled(Exception):
    """A case the fast path leaves to the slow one (raised by the value functions)."""


def drive(
    text: str,
    of_chunks: Callable[[list[str]], Any],
    of_tokens: Callable[[list[str]], Any],
) -> list[Any] | None:
    """Values of ``text``'s pieces, in order, or None if a value function raised ``Unhandled``.

    ``of_chunks(chunks)`` gets the chunks of a stretch without hot spots (typically a memo
    lookup of each); ``of_tokens(tokens)`` gets the tokens of an exactly lexed region.
    """
    out: list[Any] = []
    pos = 0
    try:
        for a, b in regions(text):
            if b <= pos:
                continue
            a = max(a, pos)
            if a > pos:
                _stretch(text, pos, a, of_chunks, out)
            tokens, pos = ptb_lexer.lex(text, a, b)
            out.append(of_tokens(tokens))
    except Unhandled:
        return None
    return out


_BLOCK = 1 << 16  # characters per piece of a long stretch


def _stretch(text: str, a: int, b: int, of_chunks: Callable[[list[str]], Any], out: list) -> None:
    """Values of the chunks of ``text[a:b]``, a piece of ~64 KB at a time.

    A piece ends just before a space, which is dropped: the pieces' chunks, one after the other,
    are the stretch's chunks. Small pieces keep the chunk lists small, so that their memory is
    reused instead of newly mapped (page faults cost as much as the lookups on a first call).
    """
    while b - a > _BLOCK:
        cut = text.find(" ", a + _BLOCK, b)
        if cut < 0:
            break
        out.append(of_chunks(text[a:cut].replace("\n", " \n ").split(" ")))
        a = cut + 1
    out.append(of_chunks(text[a:b].replace("\n", " \n ").split(" ")))
