"""The default backend of the response cache: one LMDB store on this machine, shared by every
worker of every `pagemill start` serving the same app folder.

LMDB is a memory-mapped B-tree: readers never block and take a few microseconds, one writer
at a time commits atomically, and a process killed in the middle of a write leaves the last
committed state (its transaction is simply gone; the writer lock is a robust mutex). Commits
are not flushed to disk: a process crash loses nothing, and the store is emptied whenever
the machine has rebooted since it was written (a crash of the machine itself could have lost
unflushed pages), as it is when the build id changes, so a new deploy never answers with the
old build's pages.

Layout, one LMDB sub-database each:
- `entries`: key → expiry (8-byte float), last use (8-byte float), tags (NUL-joined, length
  first) and the value.
- `used`: last use (8-byte big-endian µs) + key → nothing: the eviction order, least recently
  used first. A read marks an entry used at most once per `TOUCH_SECONDS` per process, so a
  HIT almost never writes.
- `tags`: tag + NUL + key → nothing, for purges by prefix.
- `locks`: key → expiry.
- `meta`: build id, boot id, entry count and bytes, requests counted by cache status.

Every method returns quickly and never raises: a store that cannot be opened or written
(full disk, permissions, a file where the folder should be) costs speed, never a request;
the failure is logged once a minute.
"""

from __future__ import annotations

import logging
import os
import struct
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import lmdb

logger = logging.getLogger("pagemill")

BOOT_ID = Path("/proc/sys/kernel/random/boot_id")
# LMDB needs room beside the entries for its B-tree pages and pages freed by recent writes.
MAP_OVERHEAD = 64 * 1024 * 1024
TOUCH_SECONDS = 1.0
TOUCH_MEMORY = 10_000
WARN_EVERY_SECONDS = 60.0
_HEAD = struct.Struct("<ddI")  # expiry, last use, length of the tags
_FLOAT = struct.Struct("<d")
_COUNTS = struct.Struct("<QQ")  # entries, bytes
_USE = struct.Struct(">Q")
_COUNT = struct.Struct("<Q")
STATUS_PREFIX = b"requests:"

# LMDB allows one open environment per file per process, and none inherited across fork:
# app instances of one process (tests, several apps mounted together) share one, and a forked
# worker opens its own.
_environments: dict[tuple[int, Path], lmdb.Environment] = {}


def boot_id() -> bytes:
    try:
        return BOOT_ID.read_bytes().strip()
    except OSError:
        return b""


class MachineCache:
    """Entries in the LMDB store at `path`, bounded by `max_entries` and `max_bytes` (least
    recently used dropped first), emptied when `build_id` or the machine's boot changes
    (`build_id` None: a reader, such as `pagemill cache stats`, that empties nothing)."""

    def __init__(
        self,
        path: Path,
        build_id: str | None,
        max_entries: int,
        max_bytes: int,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.path = path
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.clock = clock
        self.build_id = build_id
        self._touched: dict[bytes, float] = {}
        self._warned_at = -WARN_EVERY_SECONDS
        self._pid = 0

    @property
    def env(self) -> lmdb.Environment:
        """The store, opened on first use in each process: an environment opened before a
        fork (by `pagemill start` checking the app) cannot be used, or opened again, after."""
        if self._pid != os.getpid():
            self._env = _open(self.path, self.max_bytes)
            self._entries = self._env.open_db(b"entries")
            self._used = self._env.open_db(b"used")
            self._tags = self._env.open_db(b"tags")
            self._locks = self._env.open_db(b"locks")
            self._meta = self._env.open_db(b"meta")
            self._pid = os.getpid()
            if self.build_id is not None:
                self._empty_if_outdated(self.build_id.encode(), boot_id())
        return self._env

    # --- the backend protocol ------------------------------------------------------------

    async def get(self, key: str) -> bytes | None:
        return self.get_now(key)

    async def head(self, key: str, size: int) -> bytes | None:
        try:
            with self.env.begin(db=self._entries, buffers=True) as txn:
                found = txn.get(key.encode())
                if found is None:
                    return None
                expires, _, tags_length = _HEAD.unpack_from(found)
                start = _HEAD.size + tags_length
                return bytes(found[start : start + size]) if expires > self.clock() else None
        except (lmdb.Error, OSError) as exc:  # OSError: the folder cannot be made
            self._warn("reading", exc)
            return None

    async def set(self, key: str, value: bytes, ttl: float, tags: Sequence[str]) -> None:
        self._write(self._set, key.encode(), value, ttl, [t.encode() for t in tags])

    async def purge(self, tag: str) -> None:
        self._write(self._purge, tag.encode())

    async def lock(self, key: str, ttl: float) -> bool:
        # A store that cannot be written grants every lock: each caller runs gSSP itself
        # rather than wait on a lock nobody can take.
        return bool(self._write(self._lock, key.encode(), ttl, failed=True))

    async def unlock(self, key: str) -> None:
        self._write(self._unlock, key.encode())

    async def record(self, counts: Mapping[str, int]) -> None:
        self._write(self._record, counts)

    async def close(self) -> None:
        return None  # shared by the process's other apps; closed when the process ends

    # --- reads ---------------------------------------------------------------------------

    def get_now(self, key: str) -> bytes | None:
        """The stored value (synchronously: a read takes microseconds and never waits)."""
        raw_key = key.encode()
        try:
            with self.env.begin(db=self._entries, buffers=True) as txn:
                found = txn.get(raw_key)
                if found is None:
                    return None
                expires, used, tags_length = _HEAD.unpack_from(found)
                if expires <= self.clock():
                    return None
                value = bytes(found[_HEAD.size + tags_length :])
        except (lmdb.Error, OSError) as exc:  # OSError: the folder cannot be made
            self._warn("reading", exc)
            return None
        now = self.clock()
        if now - self._touched.get(raw_key, used) >= TOUCH_SECONDS:
            self._write(self._touch, raw_key, now)
        return value

    def stats(self) -> dict[str, Any]:
        """Entries and bytes stored, the bounds, and requests by cache status since the store
        was last emptied."""
        with self.env.begin(db=self._meta) as txn:
            entries, size = self._counts(txn)
            requests = {
                bytes(name[len(STATUS_PREFIX) :]).decode(): _COUNT.unpack(value)[0]
                for name, value in txn.cursor()
                if bytes(name).startswith(STATUS_PREFIX)
            }
        return {
            "path": str(self.path),
            "entries": entries,
            "bytes": size,
            "max_entries": self.max_entries,
            "max_bytes": self.max_bytes,
            "requests": requests,
        }

    # --- writes, each one transaction ----------------------------------------------------

    def _write(self, change: Callable[..., Any], *args: Any, failed: Any = None) -> Any:
        """`change` in one write transaction; `failed` when the store cannot be written."""
        try:
            with self.env.begin(write=True) as txn:
                return change(txn, *args)
        except lmdb.MapFullError:
            self._write(self._evict, self.max_entries // 2, self.max_bytes // 2)
            return failed
        except (lmdb.Error, OSError) as exc:  # OSError: the folder cannot be made
            self._warn("writing", exc)
            return failed

    def _set(
        self, txn: lmdb.Transaction, key: bytes, value: bytes, ttl: float, tags: list[bytes]
    ) -> None:
        if len(value) > self.max_bytes:
            return
        now = self.clock()
        entries, size = self._counts(txn)
        dropped = self._drop(txn, key)
        if dropped is not None:
            entries, size = entries - 1, size - dropped
        joined = b"\0".join(tags)
        txn.put(key, _HEAD.pack(now + ttl, now, len(joined)) + joined + value, db=self._entries)
        txn.put(_USE.pack(_micros(now)) + key, b"", db=self._used)
        for tag in tags:
            txn.put(tag + b"\0" + key, b"", db=self._tags)
        self._put_counts(txn, entries + 1, size + len(value))
        self._evict(txn, self.max_entries, self.max_bytes)

    def _evict(self, txn: lmdb.Transaction, max_entries: int, max_bytes: int) -> None:
        entries, size = self._counts(txn)
        if entries <= max_entries and size <= max_bytes:
            return
        cursor = txn.cursor(db=self._used)
        while (entries > max_entries or size > max_bytes) and cursor.first():
            dropped = self._drop(txn, bytes(cursor.key()[_USE.size :]))  # least recently used
            if dropped is None:
                cursor.delete()  # an index row left without its entry
                continue
            entries, size = entries - 1, size - dropped
        self._put_counts(txn, entries, size)

    def _purge(self, txn: lmdb.Transaction, tag: bytes) -> None:
        prefix = tag + b"\0"
        cursor = txn.cursor(db=self._tags)
        keys = []
        if cursor.set_range(prefix):
            for name, _ in cursor:
                if not bytes(name).startswith(prefix):
                    break
                keys.append(bytes(name[len(prefix) :]))
        entries, size = self._counts(txn)
        for key in keys:
            dropped = self._drop(txn, key)
            if dropped is not None:
                entries, size = entries - 1, size - dropped
        self._put_counts(txn, entries, size)

    def _touch(self, txn: lmdb.Transaction, key: bytes, now: float) -> None:
        found = txn.get(key, db=self._entries)
        if len(self._touched) > TOUCH_MEMORY:
            self._touched.clear()  # only saves writes: forgetting is safe
        self._touched[key] = now
        if found is None:
            return
        expires, used, tags_length = _HEAD.unpack_from(found)
        txn.delete(_USE.pack(_micros(used)) + key, db=self._used)
        txn.put(_USE.pack(_micros(now)) + key, b"", db=self._used)
        txn.put(key, _HEAD.pack(expires, now, tags_length) + found[_HEAD.size :], db=self._entries)

    def _record(self, txn: lmdb.Transaction, counts: Mapping[str, int]) -> None:
        for status, n in counts.items():
            name = STATUS_PREFIX + status.encode()
            found = txn.get(name, db=self._meta)
            total = (_COUNT.unpack(found)[0] if found is not None else 0) + n
            txn.put(name, _COUNT.pack(total), db=self._meta)

    def _lock(self, txn: lmdb.Transaction, key: bytes, ttl: float) -> bool:
        now = self.clock()
        held = txn.get(key, db=self._locks)
        if held is not None and _FLOAT.unpack(held)[0] > now:
            return False
        txn.put(key, _FLOAT.pack(now + ttl), db=self._locks)
        return True

    def _unlock(self, txn: lmdb.Transaction, key: bytes) -> None:
        txn.delete(key, db=self._locks)

    def _drop(self, txn: lmdb.Transaction, key: bytes) -> int | None:
        """Remove an entry with its index rows; the size of its value, or None if absent."""
        found = txn.get(key, db=self._entries)
        if found is None:
            return None
        _, used, tags_length = _HEAD.unpack_from(found)
        tags = bytes(found[_HEAD.size : _HEAD.size + tags_length])
        txn.delete(key, db=self._entries)
        txn.delete(_USE.pack(_micros(used)) + key, db=self._used)
        for tag in tags.split(b"\0") if tags else ():
            txn.delete(tag + b"\0" + key, db=self._tags)
        return int(len(found) - _HEAD.size - tags_length)

    def _empty_if_outdated(self, build_id: bytes, boot: bytes) -> None:
        def check(txn: lmdb.Transaction) -> None:
            if (
                txn.get(b"build", db=self._meta) == build_id
                and txn.get(b"boot", db=self._meta) == boot
            ):
                return
            for db in (self._entries, self._used, self._tags, self._locks, self._meta):
                txn.drop(db, delete=False)
            txn.put(b"build", build_id, db=self._meta)
            txn.put(b"boot", boot, db=self._meta)
            self._put_counts(txn, 0, 0)

        self._write(check)

    def _counts(self, txn: lmdb.Transaction) -> tuple[int, int]:
        raw = txn.get(b"counts", db=self._meta)
        return _COUNTS.unpack(raw) if raw is not None else (0, 0)

    def _put_counts(self, txn: lmdb.Transaction, entries: int, size: int) -> None:
        txn.put(b"counts", _COUNTS.pack(max(entries, 0), max(size, 0)), db=self._meta)

    def _warn(self, doing: str, exc: Exception) -> None:
        now = time.monotonic()
        if now - self._warned_at >= WARN_EVERY_SECONDS:
            self._warned_at = now
            logger.warning(
                "response cache: %s %s failed: %s. Serving without the cache; make `[cache] "
                "dir` (or PAGEMILL_CACHE_DIR) a folder this server can write.",
                doing,
                self.path,
                exc,
            )


def _open(path: Path, max_bytes: int) -> lmdb.Environment:
    path = path.resolve()
    key = (os.getpid(), path)
    env = _environments.get(key)
    if env is None:
        path.mkdir(parents=True, exist_ok=True)
        env = lmdb.open(
            str(path),
            map_size=2 * max_bytes + MAP_OVERHEAD,
            max_dbs=5,
            sync=False,
            metasync=False,
            readahead=False,
            max_spare_txns=4,
        )
        _environments[key] = env
    return env


def _micros(seconds: float) -> int:
    return max(int(seconds * 1_000_000), 0)
