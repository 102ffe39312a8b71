"""Where Java strings differ from Python's, for the PTB tokenizer's output.

* Java works on UTF-16 chars: a character above U+FFFF is two surrogates to the lexer, and a lone
  surrogate left in a token is written as ``?`` by Java's UTF-8 encoder.
* ``String.toLowerCase(Locale.ENGLISH)`` decides the final sigma differently from ``str.lower``.
"""

from __future__ import annotations

import regex


def to_utf16(text: str) -> str:
    """Characters above U+FFFF as two surrogate code points, as Java sees them."""
    if text.isascii():
        return text
    return _ASTRAL.sub(lambda m: _split_astral(m[0]), text)


def _split_astral(c: str) -> str:
    v = ord(c) - 0x10000
    return chr(0xD800 + (v >> 10)) + chr(0xDC00 + (v & 0x3FF))


def from_utf16(text: str) -> str:
    """Re-join surrogate pairs; a lone surrogate becomes ``?`` (Java's UTF-8 encoder does so)."""
    if text.isascii():
        return text
    return _SURROGATES.sub(lambda m: _join_pair(m[0]) if len(m[0]) == 2 else "?", text)


_ASTRAL = regex.compile("[\U00010000-\U0010ffff]")
_SURROGATES = regex.compile("[\ud800-\udbff][\udc00-\udfff]|[\ud800-\udfff]")


def _join_pair(p: str) -> str:
    return chr(0x10000 + ((ord(p[0]) - 0xD800) << 10) + (ord(p[1]) - 0xDC00))


_WORDISH = regex.compile(r"[\p{L}\p{M}\p{N}\p{Cf}]")
_LETTERISH = regex.compile(r"\p{L}")
_MARK = regex.compile(r"\p{M}")
_MID_WORD = regex.compile(r"[\p{Pc}\p{Pd}\u00AD\u2027\"'.]")  # joins letters
_MID_NUM = regex.compile(r"[\"',\u066B.]")  # joins digits
# Java's ConditionalSpecialCasing.isCased: Lu, Ll, Lt and a short list of Other_Lowercase /
# Other_Uppercase ranges (not U+00AA, U+00BA).
_CASED = regex.compile(
    r"[\p{Lu}\p{Ll}\p{Lt}\u02B0-\u02B8\u02C0-\u02C1\u02E0-\u02E4\u0345\u037A\u1D2C-\u1D61"
    r"\u2160-\u217F\u24B6-\u24E9]"
)


# Capitals that Python's Unicode (14) lower-cases and Java 17's (13) does not know yet; they
# survive only inside URL, e-mail or SGML tokens.
_NEW_CAPITALS = regex.compile("[\u2c2f\ua7c0\ua7d0\ua7d6\ua7d8\U00010570-\U00010595]")


def java_lower(token: str) -> str:
    """``token.toLowerCase(Locale.ENGLISH)`` as Java 17 does it.

    Python's ``str.lower`` agrees except for the capital sigma and a few capitals added in
    Unicode 14. Java writes the final sigma ``ς`` when a cased letter precedes it and none follows
    it *within the same word*, words being delimited roughly as by Java's word ``BreakIterator``
    (letters and digits run together; ``- _ . '`` join letters, ``, . '`` join digits); Python
    looks only at neighbouring letters.
    """
    if token.isascii():
        return token.lower()
    if "\u03a3" not in token and not _NEW_CAPITALS.search(token):
        return token.lower()
    out = []
    for i, c in enumerate(token):
        if c == "\u03a3":
            before = any(_CASED.match(token[j]) for j in _word_side(token, i, -1))
            after = any(_CASED.match(token[j]) for j in _word_side(token, i, 1))
            out.append("\u03c2" if before and not after else "\u03c3")
        else:
            out.append(c if _NEW_CAPITALS.match(c) else c.lower())
    return "".join(out)


def _word_side(s: str, i: int, step: int) -> list[int]:
    """Indices from ``i`` (exclusive) in direction ``step`` up to the end of its word."""
    out, j = [], i + step
    while 0 <= j < len(s):
        if _WORDISH.match(s[j]):
            out.append(j)
        elif 0 <= j + step < len(s) and _joins(s, j):
            out.append(j)
        else:
            break
        j += step
    return out


def _joins(s: str, j: int) -> bool:
    """Whether the punctuation ``s[j]`` sits inside a word (between letters, or digits)."""
    left, right = j - 1, j + 1
    while left > 0 and _MARK.match(s[left]):  # marks belong to the letter before them
        left -= 1
    if right >= len(s) or left < 0:
        return False
    a, b = s[left], s[right]
    if _LETTERISH.match(a) and _LETTERISH.match(b):
        return bool(_MID_WORD.match(s[j]))
    return a.isdigit() and b.isdigit() and bool(_MID_NUM.match(s[j]))
