"""SQLite queries on a file database (C code that releases the GIL)

make_tasks builds one database file, before the timed window: a table of
`size` orders (customer, amount, day) and a table of 1000 customers (region).
Each task opens its own read-only connection to that file, runs one query
that joins every order to its customer and sums the amounts per region (the
orders of one day in eight left out, which day depending on the task), and
returns the 16 result rows. Run time grows with `size`: the query reads every
row.

What it teaches: the sqlite3 module releases the GIL while SQLite executes a
statement, so a query is C code that threads can run in parallel, as
hashlib's is: threads should scale with the cores, where pure Python stays at
1x. What stays GIL-bound is the Python around it (connecting, fetching and
converting rows), kept small here: 16 rows per query, so KIND is "cpu" (the
cores are the limit), not "io" (the file is read from the page cache). How
the connections are used decides the rest. Here each task has its own
connection and only reads, so the connections share nothing but SQLite's
process-wide locks (a shared file lock once per query, the mutexes of its
memory allocator and of its open files), taken rarely next to the work of the
query. One connection shared between threads (check_same_thread=False)
serialises every statement on that connection's mutex: the threads then show
lock wait instead of parallel work. Many tiny queries shift the time to the
Python between them, which holds the GIL. There is no run_async: the standard
library has no asynchronous SQLite API, so the asyncio strategy says
unavailable.

Files: make_tasks builds the database in the run's scratch directory
(GILSCOPE_SCRATCH, in the temporary directory: TMPDIR, else /tmp), which
gilscope makes before the run and removes after it, however the run ended.
"""

import os
import shutil
import sqlite3
import tempfile

KIND = "cpu"
DEFAULT_SIZE = 100000

CUSTOMERS = 1000
REGIONS = 16

_SCHEMA = """
PRAGMA journal_mode = OFF;
PRAGMA synchronous = OFF;
CREATE TABLE customers (id INTEGER PRIMARY KEY, region INTEGER NOT NULL);
CREATE TABLE orders (id INTEGER PRIMARY KEY, customer INTEGER NOT NULL,
                     amount INTEGER NOT NULL, day INTEGER NOT NULL);
"""

# Deterministic rows made by SQLite itself (a recursive CTE), so that
# building a few hundred thousand rows takes a fraction of a second.
_FILL_CUSTOMERS = """
WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i + 1 < ?)
INSERT INTO customers SELECT i, (i * 7) % ? FROM s
"""
_FILL_ORDERS = """
WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i + 1 < ?)
INSERT INTO orders SELECT i, (i * 2654435761) % ?, (i * 40503) % 10007, i % 365 FROM s
"""

QUERY = """
SELECT c.region, COUNT(*), SUM(o.amount), MAX(o.amount)
FROM orders AS o JOIN customers AS c ON c.id = o.customer
WHERE o.day % 8 != ?
GROUP BY c.region ORDER BY c.region
"""


def build_database(path, rows):
    """Writes the database of `rows` orders to path (a new file)."""
    con = sqlite3.connect(path)
    try:
        con.executescript(_SCHEMA)
        con.execute(_FILL_CUSTOMERS, (CUSTOMERS, REGIONS))
        if rows > 0:
            con.execute(_FILL_ORDERS, (rows, CUSTOMERS))
        con.commit()
    finally:
        con.close()


def make_tasks(n, size):
    """Builds the database once; task i is (database path, i)."""
    directory = tempfile.mkdtemp(prefix="sqlite-", dir=os.environ["GILSCOPE_SCRATCH"])
    path = os.path.join(directory, "orders.sqlite")
    try:
        build_database(path, size)
    except BaseException:
        shutil.rmtree(directory, ignore_errors=True)  # a half-built database is no use to anyone
        raise
    return [(path, i) for i in range(n)]



def run(arg):
    """Runs the query on its own read-only connection (query_only); returns
    its rows, (region, orders, total amount, largest amount) per region.

    `arg` is (database path, task index) as made by make_tasks.
    """
    path, index = arg
    # A plain path, not a "file:...?mode=ro" URI: on 3.12.1 a subinterpreter
    # that opened a URI makes the process abort at exit.
    con = sqlite3.connect(path)
    try:
        con.execute("PRAGMA query_only = ON")
        return con.execute(QUERY, (index % 8,)).fetchall()
    finally:
        con.close()
