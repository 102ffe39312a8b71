"""The one exception type for user errors (bad spec, bad input file, unknown name).

The CLI prints a ``MmbenchError`` without a traceback and exits with code 2
(``MMBENCH_DEBUG=1`` shows the traceback). Library code raises it for every problem
that the user, not mmbench, can fix.
"""

from __future__ import annotations

from typing import Any

MAX_REPR = 80  # characters of a user's value shown in an error message


class MmbenchError(Exception):
    """A user error holding one or more problem lines.

    Each line should name the file or dotted key, what was found, what is allowed,
    and a fix where one is obvious.
    """

    def __init__(self, problems: str | list[str]):
        if isinstance(problems, str):
            problems = [problems]
        self.problems: list[str] = list(problems)
        super().__init__("\n".join(self.problems))


def short_repr(value: Any, limit: int = MAX_REPR) -> str:
    """``repr(value)`` cut to ``limit`` characters, never building the repr of a huge value."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 4 * limit:
        return f"<an integer of {value.bit_length()} bits>"  # repr refuses > 4300 digits
    if isinstance(value, (dict, list, tuple)) and _too_big(value, limit):
        kind = type(value).__name__
        return f"<a {kind} of {len(value)} items>"
    text = repr(value if not isinstance(value, str) else value[: limit + 1])
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _too_big(value: Any, limit: int) -> bool:
    """Whether the container holds more than ``limit`` values (counting stops early)."""
    stack, seen = [value], 0
    while stack:
        node = stack.pop()
        seen += 1
        if seen > limit:
            return True
        if isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, (list, tuple)):
            stack.extend(node)
    return False
