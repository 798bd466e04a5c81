"""Turning a pydantic ValidationError into the one line a RowProblem or SourceError shows.

Our own validators raise ValueErrors that already name the bad value ("expected a count, got
'lots'"); those are shown as they are. Pydantic's own errors get the field path in front.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BeforeValidator, ValidationError

from adapters.sources.http import count

# A count as platforms send it: an int, or a string of digits (YouTube); None when absent.
Count = Annotated[int | None, BeforeValidator(count)]


def _path(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc)


def describe_first(error: ValidationError) -> str:
    """The first problem as ``field.path: message`` (Mastodon, Bluesky)."""
    first = error.errors()[0]
    ctx = first.get("ctx") or {}
    message = str(ctx["error"]) if first["type"] == "value_error" else first["msg"]
    where = _path(first["loc"])
    return f"{where}: {message}" if where else message


def describe_all(error: ValidationError, *, locate: bool = False) -> str:
    """Every problem, ``; ``-joined; with ``locate``, our own messages get ``(at a.b)`` when
    the field is nested or one of several (Graph and LinkedIn bodies nest deeply)."""
    problems = error.errors(include_url=False)
    parts: list[str] = []
    for problem in problems:
        cause = (problem.get("ctx") or {}).get("error")
        path = _path(problem["loc"])
        if problem["type"] == "value_error" and isinstance(cause, ValueError):
            located = locate and path and (len(problem["loc"]) > 1 or len(problems) > 1)
            parts.append(f"{cause} (at {path})" if located else str(cause))
        else:
            parts.append(f"{path or '(the object)'}: {problem['msg']}")
    return "; ".join(parts)
