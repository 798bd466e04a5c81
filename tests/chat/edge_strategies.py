"""Hypothesis strategies for the edge tests: a valid body, mutated where it hurts.

A mutation deletes a field or replaces it (or the whole body) with a value of the wrong kind:
null, a boolean, a huge integer, a float, unicode, a 5,000-character string, a list, an
object, or structures nested hundreds deep.
"""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import strategies as st

Path = tuple[str | int, ...]


def nested(depth: int) -> Any:
    value: Any = "deep"
    for level in range(depth):
        value = [value] if level % 2 else {"a": value}
    return value


JUNK: st.SearchStrategy[Any] = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**80), max_value=2**80),
    st.just(99999999999999999999),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
    st.sampled_from(["", " ", "x" * 5000, "\x00", "é", "١٢٣", "1700000000.000100"]),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
    st.integers(min_value=50, max_value=400).map(nested),
)

# Values no id, ts, URL or object field may hold: not strings, or strings that fit no id.
NOT_AN_ID: st.SearchStrategy[Any] = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**80), max_value=2**80),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(["", " ", "x" * 5000, "\x00", "é", "C 1", "<script>"]),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
    st.integers(min_value=50, max_value=400).map(nested),
)


def paths(value: Any, prefix: Path = ()) -> list[Path]:
    """Every place in a JSON value: the value itself, then each key and index within it."""
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found += paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += paths(item, (*prefix, index))
    return found


def apply(body: Any, path: Path, value: Any, *, delete: bool = False) -> Any:
    """``body`` with the value at ``path`` replaced (or deleted); the root path replaces it all."""
    if not path:
        return value
    parent = body
    for step in path[:-1]:
        parent = parent[step]
    if delete:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    return body


@st.composite
def mutated(draw: st.DrawFn, template: dict[str, Any], *, most: int = 3) -> Any:
    """``template`` with one to ``most`` fields deleted or replaced by junk."""
    body: Any = copy.deepcopy(template)
    for _ in range(draw(st.integers(min_value=1, max_value=most))):
        path = draw(st.sampled_from(paths(body)))
        delete = bool(path) and draw(st.booleans())
        body = apply(body, path, None if delete else draw(JUNK), delete=delete)
        if not isinstance(body, (dict, list)):
            break
    return body


@st.composite
def broken(
    draw: st.DrawFn,
    template: dict[str, Any],
    required: tuple[Path, ...],
    typed: tuple[Path, ...] = (),
    junk: st.SearchStrategy[Any] = NOT_AN_ID,
) -> Any:
    """``template`` with one field it cannot do without deleted or made the wrong kind.

    ``required`` fields may go missing or hold any ``junk``; ``typed`` ones are optional, so
    they only ever hold junk that is not null.
    """
    body = copy.deepcopy(template)
    path = draw(st.sampled_from(required + typed))
    if path in required and draw(st.booleans()):
        return apply(body, path, None, delete=True)
    wrong = junk if path in required else junk.filter(lambda value: value is not None)
    return apply(body, path, draw(wrong))
