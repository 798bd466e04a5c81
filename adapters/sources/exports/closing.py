"""What the two readers of an export share: they hold something open until closed."""

from __future__ import annotations

from types import TracebackType
from typing import Self


class Closing:
    """Closed at the end of a ``with`` block, however it ends: the reader holds an open file,
    or a parser process that must not outlive the import."""

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
