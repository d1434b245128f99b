"""The cache backend of the API throttle counters (``CACHES["throttle"]`` on one host).

DRF's throttles keep, per user and per client address, the list of the request times inside the
window (``SimpleRateThrottle.history``) and write the whole list back on every request. Django's
``FileBasedCache`` zlib-compresses every value it writes: for a list of a few thousand times (an
address near its ``API_THROTTLE_ADDRESS`` limit of 3000/min, a busy API client) that compression
alone cost ~0.4 ms of CPU per write at 2,500 entries and ~0.7 ms at 5,000 (measured: get + set
0.75 → 0.34 ms and 1.14 → 0.45 ms), more than the rest of the throttling.
This backend is ``FileBasedCache`` with the values pickled but not compressed (the lists of floats
compress by ~2× only): the same files, keys, expiry and atomic rename, so the counters, their
window and their sharing between worker processes are unchanged. A file written compressed (by
Django's backend, before a deploy) is still read.

``FileBasedCache`` also lists the whole directory on every write to see whether ``MAX_ENTRIES`` is
reached (``_cull``): a directory of the 1,000 users and addresses seen lately costs ~1 ms a write,
two writes a request, and the files of callers who do not come back stay until the cull. Here the
count is taken at most once every ``CULL_INTERVAL`` seconds per cache object (one per worker
thread; a directory may exceed ``MAX_ENTRIES`` by the keys first written within that interval);
the cull itself is Django's.
"""

import pickle
import time
import zlib

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache
from django.core.files import locks

#: every pickle this backend writes starts with the PROTO opcode; zlib streams start with 0x78
_PICKLE = b"\x80"


def _loads(data: bytes):
    return pickle.loads(data if data[:1] == _PICKLE else zlib.decompress(data))


class ThrottleFileCache(FileBasedCache):
    """``FileBasedCache`` without the zlib step and with the entry count taken at most every
    ``CULL_INTERVAL`` seconds (see the module docstring)."""

    CULL_INTERVAL = 10.0
    _next_cull = 0.0

    def _cull(self):
        now = time.monotonic()
        if now < self._next_cull:
            return
        self._next_cull = now + self.CULL_INTERVAL
        super()._cull()

    def _write_content(self, file, timeout, value):
        expiry = self.get_backend_timeout(timeout)
        file.write(pickle.dumps(expiry, self.pickle_protocol))
        file.write(pickle.dumps(value, self.pickle_protocol))

    def get(self, key, default=None, version=None):
        fname = self._key_to_file(key, version)
        try:
            with open(fname, "rb") as f:
                if not self._is_expired(f):
                    return _loads(f.read())
        except FileNotFoundError:
            pass
        return default

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            with open(self._key_to_file(key, version), "r+b") as f:
                try:
                    locks.lock(f, locks.LOCK_EX)
                    if self._is_expired(f):
                        return False
                    previous_value = _loads(f.read())
                    f.seek(0)
                    self._write_content(f, timeout, previous_value)
                    f.truncate()
                    return True
                finally:
                    locks.unlock(f)
        except FileNotFoundError:
            return False
