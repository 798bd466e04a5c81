"""What the server does once it has started, before the first request."""

from __future__ import annotations

import gc
import weakref

from bot.app import freeze_startup_objects


class Node:
    def __init__(self) -> None:
        self.peer: Node | None = None


def test_objects_alive_at_startup_are_left_out_of_later_collections() -> None:
    """A full collection used to rescan every object the imports left alive (~75 ms, paid by
    whichever request was in flight). After start-up they are frozen out of its reach, while
    start-up garbage is freed first and objects made later are still collected."""
    loaded_at_startup = [object()]
    cycle = Node()
    cycle.peer = cycle  # garbage only the collector can free
    left_over = weakref.ref(cycle)
    del cycle
    try:
        freeze_startup_objects()
        assert left_over() is None  # freed, not frozen
        assert not any(o is loaded_at_startup for o in gc.get_objects())
        made_later = [object()]
        assert any(o is made_later for o in gc.get_objects())
    finally:
        gc.unfreeze()
    assert any(o is loaded_at_startup for o in gc.get_objects())
