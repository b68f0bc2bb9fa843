"""Big loads on the workers without stalling the window: the garbage collector held off
while they build, one Python-heavy load at a time, and memory settled afterwards."""

from __future__ import annotations

import contextlib
import gc
import linecache
import threading
from collections.abc import Iterator

from engine.heap import give_back_freed

_GC_LOCK = threading.Lock()
_gc_pauses = 0
_LOADING = threading.Lock()


def settle_memory(freeze: bool = True) -> None:
    """After loading: forget the source lines PySide6's import hook reads for every module
    imported after it (``inspect.getsource`` through ``linecache``: about 19 MB that
    nothing else reads; tracebacks read them again when they need them), hand the loads'
    freed buffers back to the system (engine/heap.py), and, with ``freeze``, move every
    object alive now out of the cyclic collector's sight (``gc.freeze``).

    The tables loaded by then (the pronouncing dictionary, inflections, language model,
    ontology) are some 300,000 objects that live as long as the app: without the freeze,
    each full collection walks them all, holding the GIL for about 110 ms on two cores,
    and the window stalls. Frozen objects are still freed when their last reference goes;
    a reference cycle among them would never be collected, so freezing is for the end of
    a load, when what is alive is what was loaded."""
    if freeze:
        gc.freeze()
    linecache.clearcache()
    give_back_freed()


@contextlib.contextmanager
def no_gc_pauses() -> Iterator[None]:
    """Hold off the cyclic garbage collector while a worker builds big structures: a
    collection triggered there would stop the window's thread too (the GIL)."""
    global _gc_pauses
    with _GC_LOCK:
        _gc_pauses += 1
        gc.disable()
    try:
        yield
    finally:
        with _GC_LOCK:
            _gc_pauses -= 1
            last = _gc_pauses == 0
            if last:
                # what was built is out of the collector's sight before it runs again:
                # otherwise the first collection walks every object allocated meanwhile,
                # all counted as young (80-90 ms holding the GIL after a load)
                gc.freeze()
                gc.enable()
        if last:
            settle_memory(freeze=False)  # frozen above, before the collector was back


@contextlib.contextmanager
def one_load_at_a_time() -> Iterator[None]:
    """A big load in Python (the model's metadata and judge, the ontology and its names,
    the language model), with the collector held off, waiting for any other such load to
    finish first. Two Python-heavy loads on two threads pass the GIL between them and the
    window's thread waits behind both: measured on two cores, its timer ran 50-110 ms late
    while the model and the ontology loaded side by side. One at a time, the window's
    thread takes the GIL at the loader's next switch interval."""
    with _LOADING, no_gc_pauses():
        yield
