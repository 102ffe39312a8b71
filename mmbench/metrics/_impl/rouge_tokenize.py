"""rouge-score 0.1.2's default tokenizer, token for token, with a memoised Porter stemmer.

rouge-score (``rouge_score.tokenize.tokenize``) lowercases the text, replaces every run of
characters outside ``[a-z0-9]`` with a space, splits on whitespace, replaces each token longer
than 3 characters by ``nltk.stem.porter.PorterStemmer().stem(token)`` (mode NLTK_EXTENSIONS) and
keeps the tokens matching ``^[a-z0-9]+$``. After the replacement the text holds only ``[a-z0-9]``
runs and spaces, so ``findall(r"[a-z0-9]+")`` on the lowercased text yields the same tokens in
one pass. The stemmer is a pure function of the token, so a dict cache returns its exact output;
a stem that fails the final ``^[a-z0-9]+$`` check is cached as ``""`` and dropped. The cache is
shared by all calls in a process (stemming a new word costs ~5–12 µs, see
:mod:`mmbench.metrics._impl.porter_stem`; a cached one ~50 ns) and is emptied when it exceeds
``_MAX_CACHED`` words.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from importlib import metadata

from mmbench.metrics._impl.porter_stem import PorterStems

_TOKEN_RE = re.compile(r"[a-z0-9]+")
_VALID_RE = re.compile(r"^[a-z0-9]+$")  # rouge-score's VALID_TOKEN_RE, verbatim
_MAX_CACHED = 1_000_000
# ASCII text, byte by byte: A-Z lower-cased, a-z and 0-9 kept, everything else a space (the
# newline kept in _ASCII_LINES). Splitting the result gives findall's tokens, ~1.5× faster.
_ASCII_WORDS = bytes(
    c if 48 <= c <= 57 or 97 <= c <= 122 else c + 32 if 65 <= c <= 90 else 32 for c in range(256)
)
_ASCII_LINES = _ASCII_WORDS[:10] + b"\n" + _ASCII_WORDS[11:]


def words(text: str) -> list[str]:
    """rouge-score's tokens before stemming: the ``[a-z0-9]+`` runs of ``text.lower()``."""
    if text.isascii():
        return text.encode("ascii").translate(_ASCII_WORDS).decode("ascii").split()
    return _TOKEN_RE.findall(text.lower())


def line_words(text: str) -> list[list[str]]:
    """:func:`words` of each ``\\n``-separated line (lines without tokens included)."""
    if text.isascii():
        lines = text.encode("ascii").translate(_ASCII_LINES).decode("ascii").split("\n")
        return [line.split() for line in lines]
    return list(map(_TOKEN_RE.findall, text.lower().split("\n")))


def stemmer_version() -> str:
    """Installed nltk version (its Porter stems define the numbers), e.g. ``"3.10.4"``."""
    return metadata.version("nltk")


class _StemCache(dict):
    """``token -> stem`` as rouge-score computes it; filled on first use of each token."""

    def __init__(self) -> None:
        super().__init__()
        self._stem: Callable[[str], str] = PorterStems()  # = PorterStemmer().stem
        self.saw_invalid = False

    def __missing__(self, token: str) -> str:
        out = self._stem(token) if len(token) > 3 else token
        if not _VALID_RE.match(out):
            out = ""
            self.saw_invalid = True
        self[token] = out
        return out


_SHARED_CACHE: _StemCache | None = None


def clear_stem_cache() -> None:
    """Forget every cached stem (for cold-cache benchmarks)."""
    global _SHARED_CACHE
    _SHARED_CACHE = None


def _stem_cache() -> _StemCache:
    global _SHARED_CACHE
    if _SHARED_CACHE is None or len(_SHARED_CACHE) > _MAX_CACHED:
        _SHARED_CACHE = _StemCache()
    return _SHARED_CACHE


class RougeTokenizer:
    """Callable ``text -> list[str]`` equal to rouge-score's ``DefaultTokenizer(use_stemmer)``."""

    def __init__(self, use_stemmer: bool = False) -> None:
        self.use_stemmer = use_stemmer
        self._cache = _stem_cache() if use_stemmer else None

    def _stem(self, tokens: list[str]) -> list[str]:
        cache = self._cache
        if cache is None:
            return tokens
        tokens = list(map(cache.__getitem__, tokens))
        if cache.saw_invalid:
            tokens = [t for t in tokens if t]
        return tokens

    def __call__(self, text: str) -> list[str]:
        return self._stem(words(text))

    def lines(self, text: str) -> list[list[str]]:
        """Tokens of each ``\\n``-separated line, as ROUGE-Lsum splits a summary.

        rouge-score drops empty lines (``""``) only; lines that tokenise to nothing are
        dropped here too, as they take no part in the summary-level LCS. Lowercasing the whole
        text first is the same as lowercasing each line: ``str.lower`` maps characters one by
        one, except Greek final sigma, whose context never crosses a newline and which is a
        separator either way.
        """
        if text.isascii():  # line_words, inlined (once per text on ROUGE-Lsum's path)
            raw = text.encode("ascii").translate(_ASCII_LINES).decode("ascii").split("\n")
            lines = [toks for toks in map(str.split, raw) if toks]
        else:
            lines = [toks for toks in map(_TOKEN_RE.findall, text.lower().split("\n")) if toks]
        if self._cache is not None:
            lines = [toks for toks in map(self._stem, lines) if toks]
        return lines
