"""The one exception type for user errors (bad spec, bad input file, unknown name).

The CLI prints a ``MmbenchError`` without a traceback and exits with code 2
(``MMBENCH_DEBUG=1`` shows the traceback). Library code raises it for every problem
that the user, not mmbench, can fix.
"""

from __future__ import annotations


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
