"""Pausing the cyclic garbage collector while a large input is loaded or evaluated. Internal module.

Loading a country's observations makes hundreds of thousands of small objects that all stay alive;
each time the collector runs it walks every one of them, for nothing (reference counting frees what
is not kept: the library makes no reference cycles, which a test holds it to). Pausing it
for the duration of one call, as Mercurial's ``util.nogc`` does, removes that cost; it is resumed
afterwards, only if it was running.

Resumed, the collector would still walk what the call made and kept, twice (the youngest generation,
then the middle one) before learning that it is long-lived. When a call keeps many objects
(:data:`MANY`), they are moved to the oldest generation at once instead, by ``gc.freeze`` and
``gc.unfreeze``, which splice the generations' lists without walking them (national data through
the Python API: 0.17 s of collection → 0.001 s). The caller's own young objects, made before the
call, move with them; a full collection (the collector's own schedule, or ``gc.collect()``) still
examines every one. This is not done when the caller keeps frozen objects of its own (``gc.freeze``
before a ``fork``, say), which ``gc.unfreeze`` would release.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["MANY", "paused_gc"]

#: Objects a call keeps (tracked by the collector, net of those freed) from which they are moved to
#: the oldest generation when it ends: a province's hierarchy is far below it, a country's above.
MANY = 10_000


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector inside the ``with`` block (nested blocks are fine); when it
    resumes, what the block kept is moved to the oldest generation if it is :data:`MANY` objects."""
    enabled = gc.isenabled()
    if enabled:
        gc.disable()
    try:
        yield
    finally:
        if enabled:
            if gc.get_count()[0] >= MANY and not gc.get_freeze_count():
                gc.freeze()
                gc.unfreeze()
            gc.enable()
