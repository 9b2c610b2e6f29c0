"""Pausing the cyclic garbage collector while a large input is loaded or evaluated. Internal module.

Loading a country's observations makes hundreds of thousands of small objects that all stay alive;
each time the collector runs it walks every one of them, for nothing (reference counting frees what
is not kept, and this library makes no reference cycles it relies on the collector for). Pausing it
for the duration of one call, as Mercurial's ``util.nogc`` does, removes that cost; it is resumed
afterwards, only if it was running.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["paused_gc"]


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector inside the ``with`` block (nested blocks are fine)."""
    enabled = gc.isenabled()
    if enabled:
        gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
