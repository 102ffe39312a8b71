"""pycocoevalcap's caption tokenisation (Stanford PTBTokenizer + punctuation removal) in Python.

``ptb_tokenize(captions)`` returns what ``pycocoevalcap.tokenizer.ptbtokenizer.PTBTokenizer``
returns for the same captions in one call, without Java:

1. every caption's ``\\n`` becomes a space, and the captions are joined with ``\\n``;
2. the text is tokenised as ``PTBTokenizer -preserveLines -lowerCase`` does (rules in
   :mod:`mmbench.metrics._ptb.lexer`); each newline starts a new output line;
3. output line *i* belongs to caption *i*; its tokens equal to ``''`` ``'`` ```` ``` ```` `` ` ``
   ``.`` ``?`` ``!`` ``,`` ``:`` ``-`` ``--`` ``...`` ``;`` are dropped. Brackets come out as
   ``-lrb-`` etc. and stay: the original's removal list is upper-case.

Being one call matters: the lexer looks across caption boundaries (``the letter a.`` keeps its
period unless the next caption starts with e.g. ``The``), and characters Java reads as line breaks
inside a caption (``\\r``, U+2028, U+0085, …) shift every later caption by a line, as they do in
pycocoevalcap (a warning is logged).

Speed: each distinct space-delimited chunk is lexed once and memoised
(:mod:`mmbench.metrics._ptb.chunks`); plain words skip the lexer
(:mod:`mmbench.metrics._ptb.shortcut`). :func:`ptb_word_ids` gives the words of the tokenised
captions (``line.split()``, as CIDEr-D and BLEU read them) as integer ids straight from that
memo.

Checked against the Java tokenizer on thousands of generated captions (adversarial punctuation,
clitics, abbreviations, numbers, URLs, SGML, quotes, unicode, emoji, odd whitespace) and on every
BMP character in 11 contexts: no difference left. Known limits:

* Unicode: letters and digits follow JFlex's Unicode 6 tables as measured (BMP); a change between
  Unicode versions that those sweeps did not expose would differ. Java 17's lower-casing is
  reproduced for the final sigma by approximating its word ``BreakIterator``.
* The regex engine sees 512 characters ahead (8192 near a ``<``); a match reaching that end is
  redone on the whole text, but a rule failing only because of the cut (e.g. > 500 spaces between
  ``I.`` and ``The``) would not be.
* Lone surrogates make pycocoevalcap fail (``str.encode``); here they are dropped, as the lexer
  drops any untokenizable character.
"""

from __future__ import annotations

import logging
import shutil
from itertools import chain

import numpy as np

from mmbench.errors import MmbenchError
from mmbench.metrics._ptb import chunks as ptb_chunks
from mmbench.metrics._ptb import javastr as ptb_javastr
from mmbench.metrics._ptb import lexer as ptb_lexer
from mmbench.metrics._ptb import shortcut as ptb_shortcut

log = logging.getLogger(__name__)

PUNCTUATIONS = frozenset(
    ["''", "'", "``", "`", "-LRB-", "-RRB-", "-LCB-", "-RCB-", ".", "?", "!", ",", ":", "-", "--"]
    + ["...", ";"]
)
_MEMO_MAX = 1_000_000
NL_CODE, EMPTY_CODE = -1, -2  # word-id codes of a line break and of a chunk without words


class _Memo(dict):
    """chunk → value, computed on a miss (``map(memo.__getitem__, chunks)`` runs in C)."""

    def __init__(self, compute) -> None:
        super().__init__()
        self.compute = compute

    def __missing__(self, chunk: str):
        value = self.compute(chunk)
        if value is None:
            raise ptb_chunks.Unhandled(chunk)
        self[chunk] = value
        return value


def clear_cache() -> None:
    """Forget the memoised chunks and word ids (for cold-start timings, or to free memory)."""
    for memo in (_strings, _codes, _vocab, _multi, ptb_chunks.sensitive):
        memo.clear()
    _strings.update({"": "", "\n": "\n"})
    _codes.update({"": EMPTY_CODE, "\n": NL_CODE})


def _finish(tokens: list[str]) -> str | None:
    """Lower-cased, punctuation-filtered tokens joined by spaces (newlines kept as ``\\n``).

    None where pycocoevalcap's ``line.rstrip()`` could reach into a token (one ending in
    whitespace, or holding a newline): the caller then takes the slow, literal path.
    """
    words = []
    for tok in tokens:
        if tok == ptb_lexer.NL:
            words.append("\n")
            continue
        low = ptb_javastr.java_lower(ptb_javastr.from_utf16(tok))
        if not low or low[-1].isspace() or "\n" in low:
            return None
        if low not in PUNCTUATIONS:
            words.append(low)
    return " ".join(words)


def _string_of(chunk: str) -> str | None:
    """The finished tokens of one chunk, or None when they depend on more than the chunk."""
    return ptb_shortcut.shortcut(chunk) or _lexed(chunk)


def _lexed(chunk: str) -> str | None:
    # Lex through the separator: trailing whitespace may merge with it into one skipped run.
    tokens, end = ptb_lexer.lex(chunk + ptb_chunks.NEUTRAL, 0, len(chunk) + 1)
    return _finish(tokens) if end == len(chunk) + 1 else None


def _word_ids(value: str) -> list[int]:
    """Ids of the whitespace-separated words of a finished value; -1 for each line break."""
    ids: list[int] = []
    for i, line in enumerate(value.split("\n")):
        if i:
            ids.append(NL_CODE)
        ids.extend(_vocab.setdefault(w, len(_vocab)) for w in line.split())
    return ids


def _code_of(chunk: str) -> int:
    """One int per chunk: its word's id, -1/-2 (line break/no word), or ≤ -3 (see _multi)."""
    if chunk.isascii() and chunk.isalpha():  # [A-Za-z]+: the word itself (see ptb_shortcut)
        low = chunk.lower()
        if low not in ptb_shortcut.SPLIT_WORDS:
            return _vocab.setdefault(low, len(_vocab))
    ids = _word_ids(_strings[chunk])
    if len(ids) == 1:
        return ids[0]
    if not ids:
        return EMPTY_CODE
    _multi.append(np.array(ids, np.int64))
    return -2 - len(_multi)


_strings = _Memo(_string_of)  # chunk → its finished tokens, space-joined
_codes = _Memo(_code_of)  # chunk → code of its word ids
_vocab: dict[str, int] = {}  # word → id (ids are only compared within one call)
_multi: list[np.ndarray] = []  # word ids of chunks with several words (code -3 - index)
clear_cache()


def _finished(tokens: list[str]) -> str:
    value = _finish(tokens)
    if value is None:
        raise ptb_chunks.Unhandled()
    return value


def trim_cache() -> None:
    """Clear the memo when it has grown large (never between the calls of one metric: ids!)."""
    if len(_strings) > _MEMO_MAX or len(_vocab) > _MEMO_MAX:
        clear_cache()


def _text(captions: list[str]) -> str:
    text = "\n".join(captions)
    if text.count("\n") >= len(captions):  # a caption holds a newline: it becomes a space
        text = "\n".join(c.replace("\n", " ") for c in captions)
    return ptb_javastr.to_utf16(text)


def _check_lines(n_captions: int, n_lines: int) -> None:
    if n_lines < n_captions:  # not seen: even a token spanning captions keeps its newline
        raise MmbenchError(
            f"PTB tokenizer: {n_captions} captions gave only {n_lines} output lines; "
            "pycocoevalcap would lose captions here too"
        )
    if n_lines > n_captions:
        log.warning(
            "PTB tokenizer: %d captions gave %d lines: a caption holds a character Java reads as "
            "a line break (\\r, U+2028, U+2029, U+0085, \\v, \\f); later captions are "
            "shifted, exactly as in pycocoevalcap",
            n_captions,
            n_lines,
        )


def _slow_lines(text: str) -> list[str]:
    """The literal pipeline: Java's output text, then pycocoevalcap's per-line filtering."""
    tokens, _ = ptb_lexer.lex(text)
    pieces, begin = [], True
    for tok in tokens:
        if tok == ptb_lexer.NL:
            pieces.append("\n")
            begin = True
        else:
            low = ptb_javastr.java_lower(ptb_javastr.from_utf16(tok))
            pieces.append(low if begin else " " + low)
            begin = False
    return [
        " ".join(w for w in line.rstrip().split(" ") if w not in PUNCTUATIONS)
        for line in "".join(pieces).split("\n")
    ]


def ptb_tokenize(captions: list[str]) -> list[str]:
    """Tokenised captions, as pycocoevalcap's PTBTokenizer gives them for one call.

    Args:
        captions: N raw captions (any text; all of them are tokenised together, as one call).

    Returns:
        N strings of space-separated, lower-cased tokens (empty for an empty caption).
    """
    if not captions:
        return []
    trim_cache()
    text = _text(captions)
    pieces = ptb_chunks.drive(
        text, lambda chunks: list(map(_strings.__getitem__, chunks)), lambda t: [_finished(t)]
    )
    if pieces is None:
        lines = _slow_lines(text)
    else:  # tokens hold no spaces: at most one space on each side of a line break
        out = " ".join(filter(None, chain.from_iterable(pieces)))
        lines = out.replace(" \n", "\n").replace("\n ", "\n").split("\n")
    _check_lines(len(captions), len(lines))
    return lines[: len(captions)]


def ptb_word_ids(captions: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """The words of ``ptb_tokenize(captions)[i].split()`` for all i, as integer ids.

    Returns:
        ``ids`` ``(T,)`` int64 (equal words, equal ids: within one process), and ``n_words``
        ``(N,)`` int64, the number of words of each caption (``ids`` holds them in order).
    """
    if not captions:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    text = _text(captions)
    pieces = ptb_chunks.drive(
        text,
        lambda chunks: np.fromiter(map(_codes.__getitem__, chunks), np.int64, len(chunks)),
        lambda tokens: np.array(_word_ids(_finished(tokens)), np.int64),
    )
    if pieces is None:  # ids from the shared vocabulary: comparable with other calls' ids
        lines = _slow_lines(text)
        _check_lines(len(captions), len(lines))
        words = [line.split() for line in lines[: len(captions)]]
        ids = [_vocab.setdefault(w, len(_vocab)) for w in chain.from_iterable(words)]
        return np.array(ids, np.int64), np.array([len(w) for w in words], np.int64)
    flat = _expand(np.concatenate(pieces))
    breaks = flat == NL_CODE
    line = np.cumsum(breaks)
    _check_lines(len(captions), int(line[-1]) + 1 if len(line) else 1)
    keep = ~breaks & (line < len(captions))
    return flat[keep], np.bincount(line[keep], minlength=len(captions))


def _expand(codes: np.ndarray) -> np.ndarray:
    """Chunk codes → word ids and line breaks (drop empty chunks, unpack multi-word ones)."""
    codes = codes[codes != EMPTY_CODE]
    (multi,) = np.nonzero(codes <= -3)
    if not len(multi):
        return codes
    parts = [_multi[-3 - c] for c in codes[multi].tolist()]
    sizes = np.array([len(p) for p in parts])
    lens = np.ones(len(codes), np.int64)
    lens[multi] = sizes
    out = np.repeat(codes, lens)
    block_start = np.repeat((np.cumsum(lens) - lens)[multi], sizes)
    within = np.arange(int(sizes.sum())) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    out[block_start + within] = np.concatenate(parts)
    return out


def words_to_ids(lines: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """``(ids, n_words)`` of already tokenised lines, split on whitespace (as ptb_word_ids).

    The ids are numbered afresh: compare them only with ids from the same call.
    """
    words = [line.split() for line in lines]
    n_words = np.fromiter(map(len, words), np.int64, len(words))
    flat = np.fromiter(chain.from_iterable(words), object, int(n_words.sum()))
    import pandas as pd

    codes, _ = pd.factorize(flat, size_hint=len(flat))
    return codes.astype(np.int64), n_words


def java_ptb_tokenize(captions: list[str]) -> list[str]:
    """The same through pycocoevalcap's own PTBTokenizer (needs ``java`` on PATH)."""
    if shutil.which("java") is None:
        raise MmbenchError(
            "tokenizer='java' needs a Java runtime on PATH (pycocoevalcap runs Stanford's "
            "PTBTokenizer with it); install Java, or use tokenizer='python' (same output)"
        )
    from pycocoevalcap.tokenizer.ptbtokenizer import PTBTokenizer

    if not captions:
        return []
    out = PTBTokenizer().tokenize({i: [{"caption": c}] for i, c in enumerate(captions)})
    missing = [i for i in range(len(captions)) if i not in out]
    if missing:
        raise MmbenchError(
            f"PTB tokenizer (Java): no output line for captions {missing[:5]} of {len(captions)}"
        )
    return [out[i][0] for i in range(len(captions))]
