"""Batch runs on a Dask cluster: the executor ``batch.run_all`` uses for ``--dask ADDRESS``.

For archives larger than one machine. Each file is one task; a worker loads the rule packs
once (on its first task), and every task returns the same ``Outcome`` the process pool gives,
so outputs, exit codes and the failure summary come from the same code. dask.distributed is
imported only here, and only for ``--dask`` (it comes with ``cleaner[dask]``).
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

from ..errors import CleanerError
from ..remote import EXTRA_HINT

CONNECT_TIMEOUT = "20s"
_READY: set[str] = set()  # the runs whose packs this worker has loaded
_LOCK = threading.Lock()


def run_on_dask(guarded: Callable[..., Any], work: Callable[[Any], Any], items: Sequence[Any],
                names: Sequence[str], address: str, init: Callable[..., None], init_args: tuple,
                progress: Any) -> list[Any]:
    """``guarded(work, item, name)`` (an ``Outcome``) for every item on the cluster at
    ``address``, in input order; None for an item whose workers kept dying (Dask retries it
    on another worker first). ``progress`` steps as each file is done."""
    distributed = require_distributed()
    _check_address(distributed, address)
    try:
        client = distributed.Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as error:
        raise CleanerError(f"cannot reach the Dask scheduler: {' '.join(str(error).split())}",
                           address) from None
    with client:
        task = partial(_on_worker, guarded, work, init, init_args, uuid.uuid4().hex)
        futures = client.map(task, items, names, pure=False)
        position = {future.key: number for number, future in enumerate(futures)}
        outcomes: list[Any] = [None] * len(items)
        for future in distributed.as_completed(futures, loop=client.loop):
            try:
                outcomes[position[future.key]] = future.result()
            except Exception:  # KilledWorker, or a worker lost for good: reported as died
                pass
            future.release()  # the cluster need not keep it
            progress.step()
    return outcomes


def require_distributed():
    """The ``distributed`` module, or a one-line error saying how to install it."""
    try:
        import distributed
    except ImportError:
        raise CleanerError(f"--dask needs Dask: {EXTRA_HINT}") from None
    return distributed


def _check_address(distributed, address: str) -> None:
    """Refuse an address without a port before a Client is made: a Client that fails on one
    only gives up on closing itself at exit, 40 s later and with a traceback."""
    try:
        protocol, _ = distributed.comm.parse_address(address)
        if protocol in ("tcp", "tls"):
            distributed.comm.get_address_host_port(address)
    except ValueError as error:
        raise CleanerError(f"not a scheduler address (tcp://host:8786): {error}",
                           address) from None


def _on_worker(guarded: Callable[..., Any], work: Callable[[Any], Any],
               init: Callable[..., None], init_args: tuple, run: str, item: Any,
               name: str) -> Any:
    """One task: load the packs once per run in this worker, then ``work(item)`` guarded.

    ``run`` is new for every command: workers outlive it, and the packs may have changed
    since the last one.
    """
    return guarded(partial(_initialised, work, init, init_args, run), item, name)


def _initialised(work: Callable[[Any], Any], init: Callable[..., None], init_args: tuple,
                 run: str, item: Any) -> Any:
    with _LOCK:  # a worker may run several tasks in threads; one loads the packs
        if run not in _READY:
            init(*init_args)
            _READY.add(run)
    return work(item)
