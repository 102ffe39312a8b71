"""Longest common subsequences with bit-parallel rows (Allison–Dix), for ROUGE-L and ROUGE-Lsum.

A DP row ``T[i][0..n]`` (LCS lengths of ``ref[:i]`` against every prefix of ``can``) rises in steps
of 0 or 1, so it is stored as one Python int ``D_i`` whose bit ``j-1`` says
``T[i][j] - T[i][j-1] == 1``. One row costs a few big-int operations instead of ``n`` cell updates:

    X = M_i | D_{i-1};   D_i = X & ~(X - ((D_{i-1} << 1) | 1))

where ``M_i`` has bit ``j`` set where ``can[j] == ref[i-1]`` (Allison & Dix 1986).

ROUGE-Lsum needs, for each reference line, the *positions* of one particular LCS against each
candidate line: the one rouge-score's ``_backtrack_norec`` reads out of the full DP table. All
candidate lines are packed side by side in one int ("lanes", each topped by a guard bit so the
subtraction's borrow never leaks into the next lane), so one pass over a reference line computes
its rows against every candidate line at once. The backtrack is then replayed row by row from the
stored rows, exactly as the original walks the table (see :meth:`PackedLines.union_positions`).
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import accumulate, chain, compress, count

try:  # the C helper behind Counter.update
    from collections import _count_elements  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - other Python implementations

    def _count_elements(mapping: dict, iterable) -> None:  # type: ignore[no-redef]
        for elem in iterable:
            mapping[elem] = mapping.get(elem, 0) + 1


def match_masks(tokens: Sequence[str]) -> dict[str, int]:
    """``{token: bitmask}`` with bit ``j`` set where ``tokens[j] == token``."""
    masks: dict[str, int] = {}
    get = masks.get
    for j, tok in enumerate(tokens):
        masks[tok] = get(tok, 0) | (1 << j)
    return masks


def lcs_length(ref: Sequence[str], can: Sequence[str] | dict[str, int]) -> int:
    """Length of the longest common subsequence of two token lists; O(len(ref)·len(can)/64).

    ``can`` may be given as its :func:`match_masks` (or :attr:`PackedLines.masks`).
    """
    if not ref or not can:
        return 0
    masks = can if isinstance(can, dict) else match_masks(can)
    get = masks.get
    d = 0
    for tok in ref:
        m = get(tok)
        if m:
            x = m | d
            d = x & ~(x - ((d << 1) | 1))
    return d.bit_count()


class PackedLines:
    """Candidate lines packed into lanes of one int, reused against every reference line.

    Candidate ``k`` occupies bits ``lo_k .. hi_k - 1`` with a guard bit at ``hi_k``; empty lines
    are left out (their LCS is empty). ``masks`` also serves :func:`lcs_length` on the whole
    candidate text: guard columns never match, and a column that never matches leaves the LCS
    unchanged.
    """

    def __init__(self, cands: Sequence[Sequence[str]]) -> None:
        masks: dict[str, int] = {}
        get = masks.get
        lanes: list[tuple[int, int, int, int]] = []
        guard = start_bits = 0
        base = 0
        for cand in cands:
            if not cand:
                continue
            bit = lo_bit = 1 << base
            for tok in cand:
                masks[tok] = get(tok, 0) | bit
                bit <<= 1
            hi = base + len(cand)
            lanes.append((base, lo_bit, hi, bit - lo_bit))  # bit == 1 << hi
            start_bits |= lo_bit
            guard |= bit
            base = hi + 1
        self.masks = masks
        self._lanes = lanes
        self._lane_bits = ((1 << base) - 1) ^ guard  # every lane's columns, no guard bit
        self._guard = guard
        self._start_bits = start_bits

    def union_positions(self, ref: Sequence[str]) -> list[int]:
        """Sorted union over the lines of the reference positions of rouge-score's LCS read-out.

        Equals ``rouge_scorer._find_union([lcs_ind(ref, c) for c in cands])``.
        """
        taken = self.union_mask(ref)
        return [i for i in range(len(ref)) if (taken >> i) & 1]

    def union_tokens(self, ref: Sequence[str]) -> list[str]:
        """The reference tokens at :meth:`union_positions` (in no particular order)."""
        taken = self.union_mask(ref)
        return [tok for i, tok in enumerate(ref) if (taken >> i) & 1] if taken else []

    def union_counts(self, ref_lines: Sequence[Sequence[str]]) -> dict[str, int]:
        """``{token: occurrences}`` over every reference line's :meth:`union_tokens`."""
        return self.lcs_and_union_counts(ref_lines)[1]

    def lcs_and_union_counts(
        self,
        ref_lines: Sequence[Sequence[str]],
        ref_tokens: Sequence[str] | None = None,
        ref_masks: list[int | None] | None = None,
    ) -> tuple[int, dict[str, int]]:
        """ROUGE-L's and ROUGE-Lsum's LCS work on one pair, in one pass over the reference.

        Returns the LCS length of the concatenated reference lines (``ref_tokens``, if given,
        must be that concatenation, and ``ref_masks``, if given, ``[masks.get(t) for t in
        ref_tokens]``) against the whole candidate, i.e.
        ``lcs_length(chain(*ref_lines), self.masks)``, and ``{token: occurrences}`` over every
        reference line's :meth:`union_tokens`. The walk of :meth:`union_mask`, inlined over all
        lines (ROUGE-Lsum's hot loop): a taken row is stored under its position in the
        concatenated lines, so a row that several lanes take counts once.

        Only rows whose token occurs in the candidate change anything; they are picked out of
        the whole reference at C level, and a line ends where such a row's position reaches
        the line's end (many short lines cost no per-line setup). A lane's walk stops as soon
        as it has taken as many rows as its LCS is long (the popcount of the line's last row
        in the lane): the rows above cannot be taken.
        """
        get = self.masks.get
        lane_bits, guard, start_bits = self._lane_bits, self._guard, self._start_bits
        lanes = self._lanes
        if ref_tokens is None:
            ref_tokens = list(chain.from_iterable(ref_lines))
        ms = list(map(get, ref_tokens)) if ref_masks is None else ref_masks
        rows = list(compress(zip(count(), ref_tokens, ms), ms))  # (at, tok, M) with M != 0
        taken: dict[int, str] = {}  # position in the concatenated reference lines -> token
        if not rows:
            return 0, {}
        ends = accumulate(map(len, ref_lines))
        end = next(ends)
        rows.append((len(ref_tokens), "", 0))  # a sentinel that ends the last line
        whole = 0  # the whole-text LCS row (ROUGE-L): never reset between lines
        active: list[tuple[int, str, int, int, int]] = []  # (at, tok, M_i, D_i, diff)
        d = 0
        for at, tok, m in rows:
            if at >= end:  # the line is complete: walk back from its last row in every lane
                if d:
                    active.reverse()
                    for _lo, lo_bit, pos, window in lanes:
                        left = (d & window).bit_count()  # the lane's LCS: rows still to take
                        if not left:
                            continue
                        for k, t, mk, d_i, diff in active:
                            mm = mk & window
                            if not mm:
                                continue
                            mpos = mm.bit_length()
                            if mpos != pos:
                                diff &= window
                                if not diff:
                                    continue
                                top = diff.bit_length() - 1
                                if not (d_i >> top) & 1:
                                    continue
                                if top > mpos:
                                    pos = top
                                    window = (1 << pos) - lo_bit
                                    continue
                            taken[k] = t
                            left -= 1
                            if not left:
                                break
                            pos = mpos - 1
                            window = (1 << pos) - lo_bit
                    active = []
                    d = 0
                if not m:
                    break  # the sentinel
                end = next(ends)
                while at >= end:  # lines without a matching row
                    end = next(ends)
            x = m | whole
            whole = x & ~(x - ((whole << 1) | 1))
            x = m | d
            new = x & ~((x | guard) - (((d << 1) & lane_bits) | start_bits))
            active.append((at, tok, m, new, new ^ d))
            d = new
        counts: dict[str, int] = {}
        _count_elements(counts, taken.values())
        return whole.bit_count(), counts

    def union_mask(self, ref: Sequence[str]) -> int:
        """:meth:`union_positions` as a bitmask (bit ``i`` for ``ref[i]``).

        Forward pass: the DP rows of ``ref`` against every line at once; only rows whose token
        occurs in some line change anything, and only those are kept (``D_i != D_{i-1}`` needs a
        match). Backtrack, per line, replaying rouge-score's walk from the bottom-right corner:
        on equal tokens it takes ``ref[i-1]`` and steps diagonally; else it steps left if
        ``T[i][j-1] > T[i-1][j]`` and up otherwise. Without a match, stepping left happens exactly
        when the vertical difference ``V(i, j) = T[i][j] - T[i-1][j]`` is 1, so along row ``i``
        the walk stops at the largest column with a match or with ``V == 0``. ``V`` changes only
        where ``D_i`` and ``D_{i-1}`` differ, +1 at a bit of ``D_i`` and −1 at a bit of
        ``D_{i-1}``; hence ``V(i, j) == 1`` iff the highest differing bit left of column ``j``
        belongs to ``D_i``. A row with no match left of column ``j`` equals the row above there
        (``V == 0``): the walk goes straight up. ``pos`` is the absolute bit just above the
        current column (column ``j`` of a lane starting at ``lo`` is bit ``lo + j - 1``).
        """
        get = self.masks.get
        lane_bits, guard, start_bits = self._lane_bits, self._guard, self._start_bits
        active: list[tuple[int, int, int, int]] = []  # (1 << (i-1), M_i, D_i, D_i ^ D_{i-1})
        touched = 0
        d = 0
        for i, tok in enumerate(ref):
            m = get(tok)
            if m:
                x = m | d
                # Per lane: X & ~(X - ((D << 1) | 1)); the guard bit absorbs the lane's borrow.
                new = x & ~((x | guard) - (((d << 1) & lane_bits) | start_bits))
                active.append((1 << i, m, new, new ^ d))
                touched |= m
                d = new
        taken = 0
        if not active:
            return taken
        active.reverse()
        for lo, lo_bit, pos, window in self._lanes:
            if not touched & window:
                continue
            for bit, m, d_i, diff in active:
                mm = m & window  # matches in columns 1..j of this lane
                if not mm:
                    continue  # V == 0 at column j: step up
                mpos = mm.bit_length()  # just above the last match column
                if mpos != pos:  # no match at column j itself
                    diff &= window
                    if not diff:
                        continue  # V == 0 at column j: step up
                    top = diff.bit_length() - 1
                    if not (d_i >> top) & 1:
                        continue  # V == 0 at column j: step up
                    if top > mpos:  # V == 0 at column top, right of the last match
                        pos = top
                        window = (1 << pos) - lo_bit
                        continue
                taken |= bit  # diagonal step from the last match (ties: equality is tested first)
                pos = mpos - 1
                if pos == lo:
                    break
                window = (1 << pos) - lo_bit
        return taken
