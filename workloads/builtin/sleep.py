"""blocking sleeps (I/O-bound: the GIL is released while waiting)

Each task sleeps `size` milliseconds with time.sleep, which releases the GIL,
so threads overlap the waits; run_async does the same with asyncio.sleep.
"""

import asyncio
import time

KIND = "io"
DEFAULT_SIZE = 50


def run(arg):
    """Sleeps arg milliseconds and returns arg."""
    time.sleep(arg / 1000.0)
    return arg


async def run_async(arg):
    """Sleeps arg milliseconds without blocking the event loop; returns arg."""
    await asyncio.sleep(arg / 1000.0)
    return arg
