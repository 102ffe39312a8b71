"""Reading spec YAML with bounded time and memory, strictly.

A spec is small, hand-written configuration, so every bound here is far above real specs and far
below what exhausts a machine:

- the file must be a regular file (not a directory, a FIFO or ``/dev/zero``) of at most
  ``MAX_SPEC_BYTES``; the size is checked before reading and the read stops at the limit;
- nesting is at most ``MAX_DEPTH`` mappings/sequences deep, checked on the parser's event stream
  before any node tree is built (building one recurses, so a deep file would overflow the stack);
- anchors and aliases are allowed, but the document they expand to holds at most
  ``MAX_VALUES`` values (a "billion laughs" file is refused after counting its few nodes, never
  expanded); a recursive alias is refused;
- a key repeated in one mapping is an error naming the key and both lines (PyYAML silently keeps
  the last one);
- only plain data comes back: mappings with string keys, lists, strings, booleans, integers and
  finite floats (``.inf``/``.nan``, dates, ``!!binary`` and ``!!set`` are refused), each problem
  naming the dotted key; the result shares no objects, so aliases never alias mutations.

libyaml's C parser is used where PyYAML was built with it (``yaml.CSafeLoader``): a 1 MiB spec
parses in well under a second instead of tens.
"""

from __future__ import annotations

import math
import os
import stat
from pathlib import Path
from typing import Any

import yaml

from mmbench.errors import MmbenchError, short_repr

MAX_SPEC_BYTES = 1 << 20  # 1 MiB; the largest spec in experiments/ is about 2 KB
MAX_DEPTH = 64
MAX_VALUES = 100_000  # scalars + collections after alias expansion
MAX_INT_CHARS = 64  # 2**63 has 19 digits

_Loader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_spec_bytes(path: Path, what: str = "spec file") -> str:
    """The UTF-8 text of a regular file of at most ``MAX_SPEC_BYTES``."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise MmbenchError(f"{path}: {what} not found") from None
    except OSError as exc:
        raise MmbenchError(f"{path}: cannot read the {what} ({exc.strerror})") from None
    if stat.S_ISDIR(info.st_mode):
        raise MmbenchError(f"{path}: is a directory; expected a YAML {what}")
    if not stat.S_ISREG(info.st_mode):
        raise MmbenchError(
            f"{path}: is not a regular file (a device, FIFO or socket); expected a YAML {what}"
        )
    if info.st_size > MAX_SPEC_BYTES:
        raise MmbenchError(
            f"{path}: {what} is {info.st_size:,} bytes; the limit is {MAX_SPEC_BYTES:,} bytes "
            "(a spec is configuration: keep data in files that dataset.kwargs point to)"
        )
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_SPEC_BYTES + 1)
    except OSError as exc:
        raise MmbenchError(f"{path}: cannot read the {what} ({exc.strerror})") from None
    if len(data) > MAX_SPEC_BYTES:  # grew while we looked
        raise MmbenchError(f"{path}: {what} is over the limit of {MAX_SPEC_BYTES:,} bytes")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise MmbenchError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None


class _StrictLoader(_Loader):  # type: ignore[misc, valid-type]
    """The safe loader, refusing a key repeated within one mapping."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        first_line: dict[Any, int] = {}
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue  # `<<: *defaults` keys may be overridden by explicit ones
            key = self.construct_object(key_node, deep=True)
            line = key_node.start_mark.line + 1
            try:
                if key in first_line:
                    raise _DuplicateKey(key, first_line[key], line, node.start_mark.line + 1)
                first_line[key] = line
            except TypeError:
                continue  # unhashable key: the base constructor reports it
        return super().construct_mapping(node, deep=deep)

    def construct_bounded_int(self, node: yaml.ScalarNode) -> int:
        # int() of a long digit string is quadratic and refused past 4300 digits (ValueError)
        if len(node.value) > MAX_INT_CHARS:
            raise yaml.constructor.ConstructorError(
                None, None, f"an integer of {len(node.value):,} characters", node.start_mark
            )
        return self.construct_yaml_int(node)


_StrictLoader.add_constructor("tag:yaml.org,2002:int", _StrictLoader.construct_bounded_int)


class YamlSyntaxError(MmbenchError):
    """The text is not YAML (as opposed to YAML that is too big, too deep or not plain data)."""


class _DuplicateKey(Exception):
    def __init__(self, key: Any, first: int, second: int, mapping_line: int):
        super().__init__(key)
        self.key, self.first, self.second, self.mapping_line = key, first, second, mapping_line


def _check_depth(text: str, source: str) -> None:
    """Refuse nesting deeper than ``MAX_DEPTH`` from the event stream (no recursion)."""
    depth = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                raise MmbenchError(
                    f"{source}: nested more than {MAX_DEPTH} levels deep at line "
                    f"{event.start_mark.line + 1}; a spec is a few levels of mappings"
                )
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1


def _expanded_size(root: yaml.Node, source: str) -> int:
    """Values in the document once aliases are expanded, counted on the node graph."""
    sizes: dict[int, int] = {}
    # iterative post-order walk; a node met again while still open is a recursive alias
    open_nodes: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        nid = id(node)
        if done:
            children = _children(node)
            sizes[nid] = 1 + sum(sizes[id(c)] for c in children)
            open_nodes.discard(nid)
            if sizes[nid] > MAX_VALUES:
                raise MmbenchError(
                    f"{source}: anchors and aliases expand to more than {MAX_VALUES:,} values "
                    f"(the alias at line {node.start_mark.line + 1} and those it holds); "
                    "a spec needs a few hundred"
                )
            continue
        if nid in sizes:
            continue
        if nid in open_nodes:
            raise MmbenchError(
                f"{source}: a recursive alias at line {node.start_mark.line + 1} refers to a "
                "value that contains itself"
            )
        open_nodes.add(nid)
        stack.append((node, True))
        stack.extend((c, False) for c in _children(node) if id(c) not in sizes)
    return sizes[id(root)]


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def parse_yaml(text: str, source: str) -> Any:
    """The document in ``text`` as plain data (see the module doc for what is refused)."""
    try:
        _check_depth(text, source)
        loader = _StrictLoader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                return None
            _expanded_size(node, source)
            data = loader.construct_document(node)
        finally:
            loader.dispose()
    except _DuplicateKey as dup:
        raise MmbenchError(
            f"{source}: key {short_repr(dup.key)} appears twice in the mapping at line "
            f"{dup.mapping_line} (lines {dup.first} and {dup.second}); keep one"
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        if "nesting depth" in problem:  # libyaml's own limit (1000) on flow nesting
            raise MmbenchError(
                f"{source}: nested more than {MAX_DEPTH} levels deep{where}; a spec is a few "
                "levels of mappings"
            ) from None
        raise YamlSyntaxError(f"{source}: invalid YAML{where}: {problem}") from None
    problems: list[str] = []
    plain = to_plain(data, source, "", problems)
    if problems:
        raise MmbenchError(problems)
    return plain


def to_plain(value: Any, source: str, key: str, problems: list[str]) -> Any:
    """A fresh copy of ``value`` made of plain spec data; a problem line per other value.

    ``key`` is the dotted key of ``value`` ("" at the top level). Depth is bounded by the
    caller (``MAX_DEPTH``), so the recursion is too.
    """
    where = key or "(top level)"
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if not isinstance(k, str):
                shown = _yaml_text(k)
                problems.append(
                    f"{source}: {_join(key, shown)}: keys must be strings; found the "
                    f"{type(k).__name__} {shown} (quote it: '{shown}')"
                )
                continue
            out[k] = to_plain(v, source, _join(key, k), problems)
        return out
    if isinstance(value, (list, tuple)):
        return [to_plain(v, source, f"{where}[{i}]", problems) for i, v in enumerate(value)]
    if isinstance(value, float) and not math.isfinite(value):
        problems.append(
            f"{source}: {where}: {value!r} is not allowed; numbers in a spec must be finite"
        )
        return value
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    problems.append(
        f"{source}: {where}: a YAML {type(value).__name__} is not allowed; a spec holds "
        f"mappings, lists, strings, numbers, booleans and null (quote it to make it a string)"
    )
    return None


def _yaml_text(value: Any) -> str:
    """A scalar as YAML writes it (``null``, ``true``), cut short."""
    if value is None or isinstance(value, bool):
        return {None: "null", True: "true", False: "false"}[value]
    return short_repr(value)


def _join(key: str, part: str) -> str:
    return f"{key}.{part}" if key else part
