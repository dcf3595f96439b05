"""Benchmark: candidate stores for a response cache shared by the worker processes of one machine.

Three stores behind the same async backend protocol (`pagemill.cachebackend.CacheBackend`):

- `sqlite-wal`: stdlib `sqlite3` in WAL mode with `synchronous=normal`, implemented here
  minimally (`SqliteCache`): entries (key, value, expiry, last use), tags, locks, an entry
  count, LRU eviction by last use beyond `max_entries`, the same once-a-second touch on
  reads as MachineCache.
- `lmdb`: `pagemill.machine_cache.MachineCache`, the default backend.
- `memory`: `pagemill.memory_cache.MemoryCache`, this process's memory: the reference for speed,
  but not shareable across processes (each worker has its own copy, lost when it dies).

Three measurements, each store in its own temporary directory (removed at the end):

1. One process, 8 KB values, 2,000 distinct keys: median and p99 µs of get (hit), get
   (miss), set (new key, replacing, evicting the least recently used), purge of a tag
   holding 10 keys, lock+unlock.
   A get of a key not read for a second also writes its last use (the LRU touch), as in
   production; for SQLite every commit appends to the WAL and some run a checkpoint.
2. Two fresh processes (like workers) at once on the SAME store, each a fixed number of
   operations, 95% get / 5% set over the 2,000 keys, in rounds that alternate the stores'
   order: total ops/s and latencies, then every value is read back and checked.
3. Crash safety: a child process sets unique keys in a tight loop and is killed with
   SIGKILL at a random (seeded) moment, 20 times in a row on one store. After each kill the
   parent opens the store, reads every entry back and checks it byte for byte, checks the
   store's own counts against what is readable, that the last acknowledged write is there,
   and that a new write succeeds.

Run from the repository root (the whole run is bounded to under 3 minutes):

    .venv/bin/python bench/cache_store.py [--quick] [--seed 1] [--dir /tmp]
"""

from __future__ import annotations

import argparse
import asyncio
import faulthandler
import gc
import hashlib
import logging
import multiprocessing
import os
import platform
import random
import shutil
import signal
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from multiprocessing.context import ForkServerContext
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier
from pathlib import Path
from typing import Any, Protocol

import lmdb

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from pagemill import machine_cache
from pagemill.cachebackend import CacheBackend
from pagemill.machine_cache import TOUCH_SECONDS, MachineCache
from pagemill.memory_cache import MemoryCache

KINDS = ("sqlite-wal", "lmdb", "memory")
SHARED = ("sqlite-wal", "lmdb")
VALUE_SIZE = 8 * 1024
KEYS = 2_000
TAG_SIZE = 10  # keys per tag, for the purges
MAX_BYTES = 256 * 1024 * 1024
CRASH_MAX_ENTRIES = 500  # small, so the killed writer is evicting on every set
BUILD_ID = "bench-cache-store"
TTL = 3600.0
TIME_LIMIT = 175.0  # the whole run, enforced by faulthandler
CHILD_START_SECONDS = 30.0


# -- values that prove themselves -----------------------------------------------------------


def make_value(name: str, size: int) -> bytes:
    """`size` bytes derived from `name` alone: `name|` then its digest repeated."""
    head = name.encode() + b"|"
    digest = hashlib.blake2b(head).digest()
    return head + (digest * (size // len(digest) + 1))[: max(size - len(head), 0)]


def crash_size(key: str) -> int:
    """The crash test's value size for `key`: 64 B to 8 KB, so a torn value shows."""
    return 64 + int.from_bytes(hashlib.blake2b(key.encode(), digest_size=2).digest()) % (
        VALUE_SIZE - 64
    )


def key_name(i: int) -> str:
    return hashlib.sha256(f"page-{i}".encode()).hexdigest()  # as long as cache_key()'s


# -- (a) SQLite in WAL mode, minimal, with MachineCache's protocol -------------------------


SCHEMA = """
CREATE TABLE IF NOT EXISTS entries (
    key TEXT PRIMARY KEY, value BLOB NOT NULL, expires REAL NOT NULL, used REAL NOT NULL);
CREATE INDEX IF NOT EXISTS entries_used ON entries (used);
CREATE TABLE IF NOT EXISTS tags (
    tag TEXT NOT NULL, key TEXT NOT NULL, PRIMARY KEY (tag, key)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS tags_key ON tags (key);
CREATE TABLE IF NOT EXISTS locks (key TEXT PRIMARY KEY, expires REAL NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS meta (id INTEGER PRIMARY KEY CHECK (id = 0), entries INTEGER NOT NULL);
INSERT OR IGNORE INTO meta VALUES (0, 0);
CREATE TABLE IF NOT EXISTS counts (status TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;
"""


class SqliteCache:
    """Entries in one SQLite file (WAL, synchronous=normal) at `path`, bounded by
    `max_entries` (least recently used dropped first). Never raises: errors are counted."""

    def __init__(
        self, path: Path, max_entries: int, clock: Callable[[], float] = time.time
    ) -> None:
        path.mkdir(parents=True, exist_ok=True)
        self.path = path / "cache.sqlite3"
        self.max_entries = max_entries
        self.clock = clock
        self.errors = 0
        self._touched: dict[str, float] = {}
        # Autocommit; multi-statement writes take the write lock up front (BEGIN IMMEDIATE),
        # waiting up to `timeout` for another process's writer.
        self.db = sqlite3.connect(self.path, timeout=5.0, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=wal")
        self.db.execute("PRAGMA synchronous=normal")
        try:
            self.db.executescript(SCHEMA)
        except sqlite3.Error:
            self.errors += 1

    async def get(self, key: str) -> bytes | None:
        try:
            row = self.db.execute(
                "SELECT value, expires, used FROM entries WHERE key = ?", (key,)
            ).fetchone()
        except sqlite3.Error:
            self.errors += 1
            return None
        if row is None or row[1] <= self.clock():
            return None
        now = self.clock()
        if now - self._touched.get(key, row[2]) >= TOUCH_SECONDS:
            self._touched[key] = now
            self._write(
                lambda: self.db.execute("UPDATE entries SET used = ? WHERE key = ?", (now, key)),
                immediate=False,
            )
        return bytes(row[0])

    async def set(self, key: str, value: bytes, ttl: float, tags: Sequence[str]) -> None:
        def change() -> None:
            now = self.clock()
            db = self.db
            existed = db.execute("SELECT 1 FROM entries WHERE key = ?", (key,)).fetchone()
            db.execute("DELETE FROM tags WHERE key = ?", (key,))
            db.execute(
                "INSERT INTO entries (key, value, expires, used) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value, "
                "expires = excluded.expires, used = excluded.used",
                (key, value, now + ttl, now),
            )
            db.executemany("INSERT OR IGNORE INTO tags VALUES (?, ?)", [(t, key) for t in tags])
            [(entries,)] = db.execute(
                "UPDATE meta SET entries = entries + ? RETURNING entries",
                (0 if existed else 1,),
            ).fetchall()
            if entries > self.max_entries:
                self._evict(entries - self.max_entries)

        self._write(change)

    async def purge(self, tag: str) -> None:
        def change() -> None:
            keys = "SELECT key FROM tags WHERE tag = ?"
            dropped = self.db.execute(f"DELETE FROM entries WHERE key IN ({keys})", (tag,))
            self.db.execute(f"DELETE FROM tags WHERE key IN ({keys})", (tag,))
            self.db.execute("UPDATE meta SET entries = entries - ?", (dropped.rowcount,))

        self._write(change)

    async def lock(self, key: str, ttl: float) -> bool:
        now = self.clock()
        taken = self._write(
            lambda: (
                self.db.execute(
                    "INSERT INTO locks VALUES (?, ?) ON CONFLICT (key) DO UPDATE "
                    "SET expires = excluded.expires WHERE locks.expires <= ?",
                    (key, now + ttl, now),
                ).rowcount
            ),
            immediate=False,
        )
        return bool(taken == 1)

    async def unlock(self, key: str) -> None:
        self._write(
            lambda: self.db.execute("DELETE FROM locks WHERE key = ?", (key,)), immediate=False
        )

    async def record(self, counts: Mapping[str, int]) -> None:
        self._write(
            lambda: self.db.executemany(
                "INSERT INTO counts VALUES (?, ?) ON CONFLICT (status) DO UPDATE "
                "SET n = n + excluded.n",
                counts.items(),
            )
        )

    async def close(self) -> None:
        self.db.close()

    def stats(self) -> dict[str, Any]:
        (entries,) = self.db.execute("SELECT entries FROM meta").fetchone()
        return {"path": str(self.path), "entries": entries, "max_entries": self.max_entries}

    def _evict(self, count: int) -> None:
        victims = "SELECT key FROM entries ORDER BY used LIMIT ?"
        self.db.execute(f"DELETE FROM tags WHERE key IN ({victims})", (count,))
        dropped = self.db.execute(f"DELETE FROM entries WHERE key IN ({victims})", (count,))
        self.db.execute("UPDATE meta SET entries = entries - ?", (dropped.rowcount,))

    def _write(self, change: Callable[[], Any], immediate: bool = True) -> Any:
        """`change` in one transaction (BEGIN IMMEDIATE), or as one autocommit statement."""
        try:
            if not immediate:
                return change()
            self.db.execute("BEGIN IMMEDIATE")
            try:
                result = change()
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            self.db.execute("COMMIT")
            return result
        except sqlite3.Error:
            self.errors += 1
            return None


# -- opening and closing each kind ----------------------------------------------------------


def open_store(kind: str, path: Path, max_entries: int) -> CacheBackend:
    if kind == "sqlite-wal":
        return SqliteCache(path, max_entries)
    if kind == "lmdb":
        return MachineCache(path, BUILD_ID, max_entries, MAX_BYTES)
    return MemoryCache(max_entries, MAX_BYTES)


async def close_store(store: CacheBackend) -> None:
    await store.close()
    if isinstance(store, MachineCache):
        # MachineCache keeps its environment open for the process; close it for real, so the
        # next open in this process reads the files afresh.
        env = store.env  # opened now if it never was
        cached = machine_cache._environments
        for name in [name for name, value in cached.items() if value is env]:
            del cached[name]
        env.close()


class WarningCount(logging.Handler):
    """Counts MachineCache's warnings (it logs a failed read or write, never raises)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


def store_errors(kind: str, store: CacheBackend, warnings: WarningCount) -> int:
    if isinstance(store, SqliteCache):
        return store.errors
    return warnings.count if kind == "lmdb" else 0


def percentile(samples: Sequence[int], q: float) -> float:
    """The q-quantile (0..1) of nanosecond samples, in µs."""
    ordered = sorted(samples)
    return ordered[min(int(q * len(ordered)), len(ordered) - 1)] / 1000.0


# -- 1. one process -------------------------------------------------------------------------


async def latencies(kind: str, path: Path, ops: int, seed: int) -> dict[str, list[int]]:
    """Nanoseconds per call of each operation, on one store holding 2,000 8 KB entries."""
    rng = random.Random(seed)
    store = open_store(kind, path, KEYS)
    keys = [key_name(i) for i in range(KEYS)]
    values = [make_value(key, VALUE_SIZE) for key in keys]
    tags = [(f"/page/{i // TAG_SIZE}",) for i in range(KEYS)]
    clock = time.perf_counter_ns
    out: dict[str, list[int]] = {name: [] for name in OPERATIONS}
    gc.collect()

    for i in range(KEYS):
        start = clock()
        await store.set(keys[i], values[i], TTL, tags[i])
        out["set, new key"].append(clock() - start)

    for _ in range(ops):
        i = rng.randrange(KEYS)
        start = clock()
        found = await store.get(keys[i])
        out["get, hit"].append(clock() - start)
        if found != values[i]:
            raise AssertionError(f"{kind}: get of a stored key returned {found!r:.40}")

    for n in range(ops):
        start = clock()
        found = await store.get(f"missing-{n}")
        out["get, miss"].append(clock() - start)
        if found is not None:
            raise AssertionError(f"{kind}: get of a missing key found something")

    for _ in range(ops):
        i = rng.randrange(KEYS)
        start = clock()
        await store.set(keys[i], values[i], TTL, tags[i])
        out["set, replace"].append(clock() - start)

    for _ in range(max(ops // 20, 100)):
        page = rng.randrange(KEYS // TAG_SIZE)
        start = clock()
        await store.purge(f"/page/{page}")
        out[f"purge, tag of {TAG_SIZE} keys"].append(clock() - start)
        for i in range(page * TAG_SIZE, (page + 1) * TAG_SIZE):
            if await store.get(keys[i]) is not None:
                raise AssertionError(f"{kind}: purge left a tagged entry")
            await store.set(keys[i], values[i], TTL, tags[i])  # refilled, untimed

    for _ in range(ops):
        lock = f"run:{keys[rng.randrange(KEYS)]}"
        start = clock()
        taken = await store.lock(lock, 10.0)
        await store.unlock(lock)
        out["lock+unlock"].append(clock() - start)
        if not taken:
            raise AssertionError(f"{kind}: a free lock was refused")
    if not await store.lock("held", 10.0) or await store.lock("held", 10.0):
        raise AssertionError(f"{kind}: a held lock was granted twice")

    for n in range(ops):  # the store is full: each new key drops the least recently used
        start = clock()
        await store.set(f"new-{n}", values[n % KEYS], TTL, ("/new",))
        out["set, new key, evicting"].append(clock() - start)
    if isinstance(store, (SqliteCache, MachineCache)) and store.stats()["entries"] != KEYS:
        raise AssertionError(f"{kind}: eviction kept {store.stats()['entries']} entries")

    await close_store(store)
    return out


OPERATIONS = (
    "get, hit",
    "get, miss",
    "set, new key",
    "set, replace",
    "set, new key, evicting",
    f"purge, tag of {TAG_SIZE} keys",
    "lock+unlock",
)


# -- 2. two processes, one store -----------------------------------------------------------


@dataclass
class MixedResult:
    elapsed: float
    get_ns: list[int]
    set_ns: list[int]
    misses: int  # gets that found nothing, although every key is stored: a failure
    errors: int


def mixed_worker(
    kind: str, path: str, ops: int, seed: int, barrier: Barrier, results: Queue[MixedResult]
) -> None:
    """One worker process: `ops` operations, 95% get and 5% set, over the 2,000 keys."""
    warnings = WarningCount()
    logging.getLogger("pagemill").addHandler(warnings)
    rng = random.Random(seed)
    keys = [key_name(i) for i in range(KEYS)]
    plan = [(rng.random() < 0.05, rng.randrange(KEYS)) for _ in range(ops)]

    async def run() -> MixedResult:
        store = open_store(kind, Path(path), KEYS)
        if kind == "memory":  # its own copy: nothing to share
            for i, key in enumerate(keys):
                await store.set(key, make_value(key, VALUE_SIZE), TTL, (f"/page/{i // 10}",))
        clock = time.perf_counter_ns
        get_ns: list[int] = []
        set_ns: list[int] = []
        misses = 0
        barrier.wait(CHILD_START_SECONDS)
        began = time.perf_counter()
        for n, (is_set, i) in enumerate(plan):
            key = keys[i]
            if is_set:
                value = make_value(f"{key}#{seed}-{n}", VALUE_SIZE)
                start = clock()
                await store.set(key, value, TTL, (f"/page/{i // TAG_SIZE}",))
                set_ns.append(clock() - start)
            else:
                start = clock()
                found = await store.get(key)
                get_ns.append(clock() - start)
                misses += found is None
        elapsed = time.perf_counter() - began
        errors = store_errors(kind, store, warnings)
        await close_store(store)
        return MixedResult(elapsed, get_ns, set_ns, misses, errors)

    results.put(asyncio.run(run()))


@dataclass
class MixedSummary:
    rates: list[float]  # total ops/s, one per round
    get_ns: list[int]
    set_ns: list[int]
    misses: int
    errors: int
    corrupt: int  # values read back afterwards that are not what some set wrote


async def mixed(
    ctx: ForkServerContext, kind: str, path: Path, ops: int, processes: int, seed: int
) -> MixedSummary:
    if kind in SHARED:  # filled once, by the parent, for every worker
        store = open_store(kind, path, KEYS)
        for i in range(KEYS):
            key = key_name(i)
            await store.set(key, make_value(key, VALUE_SIZE), TTL, (f"/page/{i // TAG_SIZE}",))
        await close_store(store)
    barrier = ctx.Barrier(processes)
    results: Queue[MixedResult] = ctx.Queue()
    workers = [
        ctx.Process(
            target=mixed_worker,
            args=(kind, str(path), ops, seed * 1000 + n, barrier, results),
            daemon=True,
        )
        for n in range(processes)
    ]
    for worker in workers:
        worker.start()
    try:
        done = [results.get(timeout=CHILD_START_SECONDS + 60.0) for _ in workers]
    finally:
        for worker in workers:
            worker.join(5.0)
            if worker.is_alive():
                worker.kill()
    corrupt = 0
    if kind in SHARED:  # every entry is the last value some worker wrote for its key
        store = open_store(kind, path, KEYS)
        for i in range(KEYS):
            key = key_name(i)
            found = await store.get(key)
            name = found.split(b"|", 1)[0].decode() if found else ""
            if found is None or name.split("#")[0] != key or found != make_value(name, VALUE_SIZE):
                corrupt += 1
        await close_store(store)
    total = sum(len(r.get_ns) + len(r.set_ns) for r in done)
    return MixedSummary(
        rates=[total / max(r.elapsed for r in done)],
        get_ns=[ns for r in done for ns in r.get_ns],
        set_ns=[ns for r in done for ns in r.set_ns],
        misses=sum(r.misses for r in done),
        errors=sum(r.errors for r in done),
        corrupt=corrupt,
    )


def merged(rounds: Sequence[MixedSummary]) -> MixedSummary:
    return MixedSummary(
        rates=[rate for r in rounds for rate in r.rates],
        get_ns=[ns for r in rounds for ns in r.get_ns],
        set_ns=[ns for r in rounds for ns in r.set_ns],
        misses=sum(r.misses for r in rounds),
        errors=sum(r.errors for r in rounds),
        corrupt=sum(r.corrupt for r in rounds),
    )


# -- 3. killed writers ----------------------------------------------------------------------


class SharedInt(Protocol):
    value: int


def crash_writer(kind: str, path: str, prefix: str, acked: SharedInt, in_set: SharedInt) -> None:
    """Sets unique keys `prefix-0`, `prefix-1`, ... until killed; `acked` is the last one
    whose set returned, `in_set` is 1 while a set runs."""
    store = open_store(kind, Path(path), CRASH_MAX_ENTRIES)

    async def run() -> None:
        n = 0
        while True:
            key = f"{prefix}-{n}"
            value = make_value(key, crash_size(key))
            in_set.value = 1
            await store.set(key, value, TTL, (f"/t{n % TAG_SIZE}",))
            in_set.value = 0
            acked.value = n
            n += 1

    asyncio.run(run())


@dataclass
class CrashSummary:
    kills: int = 0
    survived: int = 0
    during_set: int = 0  # kills that landed while a set call was running
    written: int = 0  # sets acknowledged before the kills, in all
    checked: int = 0  # entries read back and compared, in all
    corrupt: int = 0
    problems: list[str] = field(default_factory=list)


async def verify(kind: str, path: Path, last_key: str | None, probe: str) -> tuple[int, list[str]]:
    """Open the store afresh, read every entry back: (entries checked, problems found)."""
    problems: list[str] = []
    store = open_store(kind, path, CRASH_MAX_ENTRIES)
    if isinstance(store, MachineCache):
        with store.env.begin() as txn:  # the index rows too: one `used` and one tag each
            keys = [bytes(k).decode() for k, _ in txn.cursor(db=store._entries)]
            index_rows = {
                "used": txn.stat(store._used)["entries"],
                "tags": txn.stat(store._tags)["entries"],
            }
        stats = store.stats()
    elif isinstance(store, SqliteCache):
        keys = [k for (k,) in store.db.execute("SELECT key FROM entries")]
        index_rows = {"tags": store.db.execute("SELECT count(*) FROM tags").fetchone()[0]}
        (check,) = store.db.execute("PRAGMA integrity_check").fetchone()
        if check != "ok":
            problems.append(f"integrity_check: {check}")
        stats = store.stats()
    else:
        raise TypeError(kind)
    readable = size = 0
    for key in keys:
        found = await store.get(key)
        if found is None:
            problems.append(f"listed but unreadable: {key}")
        elif found != make_value(key, crash_size(key)):
            problems.append(f"corrupt value: {key}")
        else:
            readable += 1
            size += len(found)
    if not stats["entries"] == len(keys) == readable:
        problems.append(f"count {stats['entries']}, listed {len(keys)}, readable {readable}")
    if "bytes" in stats and stats["bytes"] != size:
        problems.append(f"bytes {stats['bytes']}, readable {size}")
    for name, rows in index_rows.items():
        if rows != len(keys):
            problems.append(f"{name} index rows {rows}, entries {len(keys)}")
    if last_key is not None and last_key not in keys:
        problems.append(f"acknowledged write lost: {last_key}")
    value = make_value(probe, crash_size(probe))
    await store.set(probe, value, TTL, ("/probe",))
    if await store.get(probe) != value:
        problems.append("a new write after the kill did not read back")
    await close_store(store)
    return readable, problems


async def crashes(
    ctx: ForkServerContext, kind: str, path: Path, kills: int, seed: int
) -> CrashSummary:
    rng = random.Random(seed)
    summary = CrashSummary()
    await close_store(open_store(kind, path, CRASH_MAX_ENTRIES))  # created
    for round_ in range(kills):
        acked = ctx.Value("q", -1, lock=False)
        in_set = ctx.Value("b", 0, lock=False)
        prefix = f"r{round_}"
        child = ctx.Process(
            target=crash_writer, args=(kind, str(path), prefix, acked, in_set), daemon=True
        )
        child.start()
        deadline = time.monotonic() + CHILD_START_SECONDS
        while acked.value < 0 and child.is_alive() and time.monotonic() < deadline:
            time.sleep(0.005)
        if acked.value < 0:
            child.kill()
            child.join(5.0)
            summary.problems.append(f"round {round_}: no write (exit {child.exitcode})")
            continue
        time.sleep(rng.uniform(0.0, 0.25))
        assert child.pid is not None
        os.kill(child.pid, signal.SIGKILL)
        child.join(5.0)
        summary.kills += 1
        summary.during_set += in_set.value
        summary.written += acked.value + 1
        checked, problems = await verify(kind, path, f"{prefix}-{acked.value}", f"after-{round_}")
        summary.checked += checked
        summary.corrupt += sum(p.startswith(("corrupt", "listed but")) for p in problems)
        summary.survived += not problems
        summary.problems += [f"round {round_}: {p}" for p in problems]
    return summary


# -- the report -----------------------------------------------------------------------------


def load() -> str:
    """The load average and, where Linux reports it, the share of the last 10 s in which
    some task waited for a CPU; flagged when other work competes for the CPUs."""
    average, cpus = os.getloadavg()[0], os.cpu_count() or 1
    try:
        pressure: float | None = float(
            Path("/proc/pressure/cpu").read_text().split()[1].removeprefix("avg10=")
        )
    except (OSError, IndexError, ValueError):
        pressure = None
    if pressure is None:
        busy = average > cpus * 0.75
        waited = ""
    else:  # the load average lags by a minute; the pressure is recent
        busy = pressure > 20.0
        waited = f", CPU waited for {pressure:.0f}% of the last 10 s"
    flag = " (busy machine: p99s and ops/s are noisy)" if busy else ""
    return f"load average {average:.1f} on {cpus} CPUs{waited}{flag}"


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(str(row[c])) for row in [headers, *rows]) for c in range(len(headers))]
    lines = [
        "  ".join(
            str(cell).ljust(w) if c == 0 else str(cell).rjust(w)
            for c, (cell, w) in enumerate(zip(row, widths, strict=True))
        )
        for row in [headers, *rows]
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n", 1)[0])
    parser.add_argument("--quick", action="store_true", help="fewer operations and kills")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--dir", type=Path, default=None, help="where the temporary stores go")
    args = parser.parse_args()
    faulthandler.dump_traceback_later(TIME_LIMIT, exit=True)
    ops = 2_000 if args.quick else 20_000
    mixed_ops = 5_000 if args.quick else 20_000
    mixed_rounds = 1 if args.quick else 3
    kills = 5 if args.quick else 20
    processes = 2
    # Fresh processes, like workers, started from a server that imported the stores' modules
    # but never opened a store.
    ctx = multiprocessing.get_context("forkserver")
    preload = ["lmdb", "sqlite3", "pagemill.memory_cache", "pagemill.machine_cache"]
    ctx.set_forkserver_preload(preload)
    warnings = WarningCount()
    logging.getLogger("pagemill").addHandler(warnings)
    began = mark = time.monotonic()

    def lap() -> str:
        nonlocal mark
        now = time.monotonic()
        took, mark = now - mark, now
        return f"{took:.0f} s"

    root = Path(tempfile.mkdtemp(prefix="pagemill-cache-store-", dir=args.dir))
    try:
        print(
            f"python {platform.python_version()}, sqlite {sqlite3.sqlite_version}, "
            f"lmdb {'.'.join(map(str, lmdb.version()))}, {os.cpu_count()} CPUs, "
            f"stores under {root}"
        )
        print(
            f"values {VALUE_SIZE // 1024} KB, {KEYS:,} keys, {TAG_SIZE} keys per tag, "
            f"seed {args.seed}{', --quick' if args.quick else ''}; {load()}"
        )

        results = {
            kind: asyncio.run(latencies(kind, root / f"one-{kind}", ops, args.seed))
            for kind in KINDS
        }
        print(
            f"\n1. One process, µs per call (median / p99), {ops:,} calls each "
            f"(purge {max(ops // 20, 100):,}, set new key {KEYS:,}) [{lap()}]"
        )
        rows = [
            [
                name,
                *(
                    f"{percentile(results[k][name], 0.5):.1f} / "
                    f"{percentile(results[k][name], 0.99):.1f}"
                    for k in KINDS
                ),
            ]
            for name in OPERATIONS
        ]
        print(table(["operation", *KINDS], rows))
        print("memory: this process only; each worker would hold its own copy.")

        # Rounds alternate the stores' order, so other load on the machine hits each.
        rounds: dict[str, list[MixedSummary]] = {kind: [] for kind in KINDS}
        for n in range(mixed_rounds):
            for kind in KINDS if n % 2 == 0 else KINDS[::-1]:
                path = root / f"mixed-{kind}-{n}"
                rounds[kind].append(
                    asyncio.run(mixed(ctx, kind, path, mixed_ops, processes, args.seed + n))
                )
        print(
            f"\n2. {processes} processes at once on one store, 95% get / 5% set, 8 KB values: "
            f"{mixed_ops:,} ops per process, {mixed_rounds} round(s); ops/s is all ops over "
            f"the slower process's time, median (min-max) of the rounds [{lap()}]"
        )
        mixes = {kind: merged(results) for kind, results in rounds.items()}
        rows = []
        for kind, m in mixes.items():
            every = m.get_ns + m.set_ns
            rows.append(
                [
                    kind if kind in SHARED else f"{kind} (own copy each, NOT shared)",
                    f"{statistics.median(m.rates):,.0f}",
                    f"({min(m.rates):,.0f}-{max(m.rates):,.0f})",
                    f"{percentile(every, 0.5):.1f}",
                    f"{percentile(every, 0.99):.1f}",
                    f"{percentile(m.get_ns, 0.99):.1f}",
                    f"{percentile(m.set_ns, 0.99):.1f}",
                    str(m.misses),
                    str(m.errors),
                    str(m.corrupt) if kind in SHARED else "n/a",
                ]
            )
        print(
            table(
                [
                    "store",
                    "ops/s total",
                    "",
                    "p50 µs",
                    "p99 µs",
                    "get p99",
                    "set p99",
                    "misses",
                    "errors",
                    "corrupt",
                ],
                rows,
            )
        )

        crash = {
            kind: asyncio.run(crashes(ctx, kind, root / f"crash-{kind}", kills, args.seed))
            for kind in SHARED
        }
        print(
            f"\n3. A writer killed with SIGKILL at a random moment, {kills} times in a row on "
            f"one store (max {CRASH_MAX_ENTRIES} entries, so it evicts on every set) [{lap()}]"
        )
        rows = [
            [
                kind,
                f"{c.survived}/{kills}",
                f"{c.during_set}/{c.kills}",
                f"{c.written:,}",
                f"{c.checked:,}",
                str(c.corrupt),
                str(len(c.problems)),
            ]
            for kind, c in crash.items()
        ]
        print(
            table(
                [
                    "store",
                    "survived",
                    "killed in set",
                    "sets acked",
                    "entries checked",
                    "corrupt",
                    "problems",
                ],
                rows,
            )
        )
        for kind, c in crash.items():
            print(f"{kind}: kills survived: {c.survived}/{kills}, corrupt reads: {c.corrupt}")
            for problem in c.problems[:10]:
                print(f"  {problem}")
        print(
            "memory: n/a, it lives in one process: a killed worker loses its whole cache, "
            "which no other process ever saw."
        )
        if warnings.count:
            print(f"MachineCache warnings in this process: {warnings.count}")
        print(f"\n{time.monotonic() - began:.0f} s in all; {load()}")
    finally:
        shutil.rmtree(root, ignore_errors=True)
        faulthandler.cancel_dump_traceback_later()


if __name__ == "__main__":
    main()
