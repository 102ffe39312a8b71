"""Named, versioned text normalisers for WER/CER (off by default).

The name and version (``whisper_en/1``) go into the metric's fingerprint: scores computed with
different normalisers are never comparable. Bump the version whenever an output could change.

- ``none``: the text is left as it is (jiwer's own whitespace rules still apply in WER/CER).
- ``basic/1``: lowercase (``str.lower``); delete apostrophes (``'`` ``’`` ``‘``); replace every
  other Unicode punctuation character (category ``P*``) by a space; collapse whitespace runs to
  one space; strip.
- ``whisper_en/1``: a Whisper-style English normaliser of our own, in this order:

  1. Unicode NFKC, then lowercase;
  2. text in ``[...]``, ``(...)``, ``<...>`` and ``{...}`` (not nested) is removed;
  3. the filler words ``hmm mm mhm mmm uh um`` are removed;
  4. curly apostrophes become ``'``; contractions are expanded: ``won't``→``will not``,
     ``can't``→``can not``, ``let's``→``let us``, ``it's/that's/there's/what's/he's/she's``
     → ``… is``, then the suffixes ``n't``→`` not``, ``'re``→`` are``, ``'ll``→`` will``,
     ``'ve``→`` have``, ``'m``→`` am``, ``'d``→`` would``;
  5. titles ``mr``/``mrs``/``dr`` (with or without a period) → ``mister``/``missus``/``doctor``;
  6. symbols: ``%``→`` percent``, ``&``→`` and ``, ``$N``→``N dollars``; commas between digits
     are deleted (``1,000``→``1000``);
  7. remaining apostrophes are deleted; every other punctuation or symbol character (Unicode
     category ``P*`` or ``S*``) becomes a space, except a ``.`` between two digits (``2.5``);
  8. runs of English cardinal number words become digits: ``twenty one``→``21``,
     ``one hundred and five``→``105``, ``two thousand twenty``→``2020``, ``zero``→``0``; a unit
     after a unit starts a new number (``one two three``→``1 2 3``); ordinals, years read as
     pairs (``nineteen ninety``→``19 90``) and British spellings are left alone;
  9. whitespace runs collapse to one space; strip.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from mmbench.errors import MmbenchError
from mmbench.registry import did_you_mean, list_choices


@dataclass(frozen=True)
class TextNormalizer:
    name: str
    version: str
    fn: Callable[[str], str]

    @property
    def tag(self) -> str:
        """``name/version`` for fingerprints; ``none`` for the identity."""
        return "none" if self.name == "none" else f"{self.name}/{self.version}"

    def __call__(self, text: str) -> str:
        return self.fn(text)


_WS = re.compile(r"\s+")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'"})


def _is_punct(ch: str) -> bool:
    return unicodedata.category(ch).startswith("P")


def basic_v1(text: str) -> str:
    text = text.lower().translate(_APOSTROPHES).replace("'", "")
    text = "".join(" " if _is_punct(ch) else ch for ch in text)
    return _WS.sub(" ", text).strip()


# ---- whisper_en/1 -------------------------------------------------------------------------------
_BRACKETS = re.compile(r"\[[^\]]*\]|\([^)]*\)|<[^>]*>|\{[^}]*\}")
_FILLERS = re.compile(r"\b(?:hmm|mm|mhm|mmm|uh|um)\b")
_WHOLE_CONTRACTIONS = [
    (re.compile(r"\bwon't\b"), "will not"),
    (re.compile(r"\bcan't\b"), "can not"),
    (re.compile(r"\blet's\b"), "let us"),
    (re.compile(r"\b(it|that|there|what|he|she)'s\b"), r"\1 is"),
]
_SUFFIXES = [
    (re.compile(r"n't\b"), " not"),
    (re.compile(r"'re\b"), " are"),
    (re.compile(r"'ll\b"), " will"),
    (re.compile(r"'ve\b"), " have"),
    (re.compile(r"'m\b"), " am"),
    (re.compile(r"'d\b"), " would"),
]
_TITLES = [
    (re.compile(r"\bmrs\b\.?"), "missus"),
    (re.compile(r"\bmr\b\.?"), "mister"),
    (re.compile(r"\bdr\b\.?"), "doctor"),
]
_DOLLARS = re.compile(r"\$\s*(\d[\d,]*(?:\.\d+)?)")
_DIGIT_COMMA = re.compile(r"(?<=\d),(?=\d)")
_DECIMAL_POINT = re.compile(r"(?<=\d)\.(?=\d)")

_UNITS = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen "
        "fourteen fifteen sixteen seventeen eighteen nineteen".split()
    )
}
_TENS = {
    w: 10 * (i + 2)
    for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split())
}
_SCALES = {"thousand": 10**3, "million": 10**6, "billion": 10**9}


def _numbers_to_digits(words: list[str]) -> list[str]:
    """Replace runs of cardinal number words by digits (see step 8 of ``whisper_en/1``)."""
    out: list[str] = []
    total = current = 0
    last = ""  # kind of the previous number word: unit, ten, hundred, scale; "" outside a number

    def flush() -> None:
        nonlocal total, current, last
        if last:
            out.append(str(total + current))
        total = current = 0
        last = ""

    for i, w in enumerate(words):
        if w in _UNITS:
            value = _UNITS[w]
            if last == "unit" or (last == "ten" and value >= 10) or w == "zero":
                flush()
            if w == "zero":
                out.append("0")
                continue
            current += value
            last = "unit"
        elif w in _TENS:
            if last in ("unit", "ten"):
                flush()
            current += _TENS[w]
            last = "ten"
        elif w == "hundred" and last in ("unit", "ten"):
            current *= 100
            last = "hundred"
        elif w in _SCALES and last in ("unit", "ten", "hundred"):
            total += current * _SCALES[w]
            current = 0
            last = "scale"
        elif (
            w == "and"
            and last in ("hundred", "scale")
            and i + 1 < len(words)
            and (words[i + 1] in _UNITS or words[i + 1] in _TENS)
        ):
            continue
        else:
            flush()
            out.append(w)
    flush()
    return out


def _symbol_or_punct(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "PS"


def whisper_en_v1(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    text = _BRACKETS.sub(" ", text)
    text = _FILLERS.sub(" ", text)
    text = text.translate(_APOSTROPHES)
    for pattern, repl in _WHOLE_CONTRACTIONS + _SUFFIXES + _TITLES:
        text = pattern.sub(repl, text)
    text = _DOLLARS.sub(r"\1 dollars", text)
    text = text.replace("%", " percent ").replace("&", " and ")
    text = _DIGIT_COMMA.sub("", text)
    text = text.replace("'", "")
    text = _DECIMAL_POINT.sub("\0", text)  # protect decimal points from the punctuation pass
    text = "".join(" " if _symbol_or_punct(ch) else ch for ch in text).replace("\0", ".")
    return " ".join(_numbers_to_digits(text.split()))


NORMALIZERS: dict[str, TextNormalizer] = {
    n.name: n
    for n in (
        TextNormalizer("none", "1", lambda text: text),
        TextNormalizer("basic", "1", basic_v1),
        TextNormalizer("whisper_en", "1", whisper_en_v1),
    )
}


def get_normalizer(name: str) -> TextNormalizer:
    """The normaliser ``name`` (``none``, ``basic``, ``whisper_en``); MmbenchError if unknown."""
    if name not in NORMALIZERS:
        choices = list(NORMALIZERS)
        raise MmbenchError(
            f"unknown normalizer '{name}'{did_you_mean(name, choices)} {list_choices(choices)}"
        )
    return NORMALIZERS[name]
