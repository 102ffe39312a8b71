"""Escaping user text for Markdown: every report writer puts names and labels through here.

Experiment names, configuration labels, category names and the like are data. ``md_text``
makes one a single inline run of text: ``|`` cannot split a table cell, a newline cannot start
a new line (a heading, a table row), a leading ``#`` or ``>`` is literal, and ``<``, ``>``,
``&`` are HTML entities, so ``<script>`` shows as text. ``md_code`` wraps text in a code span
whose backtick fence is longer than any run of backticks inside it.
"""

from __future__ import annotations

import re

_NEWLINES = re.compile(r"[\r\n\u2028\u2029\x0b\x0c\x85]+")
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def md_text(value: object) -> str:
    """``value`` as inline Markdown text that renders as itself."""
    text = _NEWLINES.sub(" ", str(value))
    text = "".join(_ENTITIES.get(ch, ch) for ch in text)
    text = text.replace("\\", "\\\\").replace("|", "\\|")
    stripped = text.lstrip()
    if stripped[:1] in ("#", "=", "-", "+", "*") or re.match(r"\d+[.)]\s", stripped):
        text = text[: len(text) - len(stripped)] + "\\" + stripped
    return text


def md_code(value: object) -> str:
    """``value`` as an inline code span (its text shown verbatim, on one line)."""
    text = _NEWLINES.sub(" ", str(value))
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return f"{fence}{pad}{text}{pad}{fence}"
