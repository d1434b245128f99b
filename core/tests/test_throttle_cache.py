"""The throttle counters' cache backend (core.throttle_cache): values written without zlib (the
per-request cost of a long request history), files written by Django's compressing backend still
read, expiry and touch as FileBasedCache."""

import pickle
import time

from django.core.cache.backends.filebased import FileBasedCache

from core.throttle_cache import ThrottleFileCache


def _cache(tmp_path, cls=ThrottleFileCache):
    return cls(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 100}})


def test_the_throttle_cache_is_this_backend():
    from django.core.cache import caches

    assert isinstance(caches["throttle"], ThrottleFileCache)


def test_values_are_stored_uncompressed_and_read_back(tmp_path):
    cache = _cache(tmp_path)
    history = [time.time() - i * 0.01 for i in range(3000)]
    cache.set("throttle_user_7", history, 60)
    assert cache.get("throttle_user_7") == history
    with open(cache._key_to_file("throttle_user_7"), "rb") as fh:
        pickle.load(fh)  # the expiry
        assert pickle.load(fh) == history  # the value: a plain pickle, no zlib stream


def test_a_file_written_by_djangos_compressing_backend_is_still_read(tmp_path):
    _cache(tmp_path, FileBasedCache).set("throttle_address_127.0.0.1", [1.5, 2.5], 60)
    cache = _cache(tmp_path)
    assert cache.get("throttle_address_127.0.0.1") == [1.5, 2.5]
    assert cache.touch("throttle_address_127.0.0.1", 60)
    assert cache.get("throttle_address_127.0.0.1") == [1.5, 2.5]


def test_expired_values_are_gone_and_touch_extends(tmp_path):
    cache = _cache(tmp_path)
    cache.set("a", [1.0], 60)
    assert cache.touch("a", 0.01)
    time.sleep(0.05)
    assert cache.get("a", "none") == "none" and not cache.touch("a", 60)
    assert not cache.touch("missing", 60)


def test_the_directory_is_counted_at_most_once_an_interval_and_still_culled(tmp_path, monkeypatch):
    """FileBasedCache lists the whole directory on every write; here at most once every
    CULL_INTERVAL seconds, and a full directory is still culled (Django's cull)."""
    cache = ThrottleFileCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 10, "CULL_FREQUENCY": 2}})
    listed = []
    original = cache._list_cache_files
    monkeypatch.setattr(cache, "_list_cache_files", lambda: listed.append(1) or original())
    for i in range(30):
        cache.set(f"k{i}", [float(i)], 60)
    assert len(listed) == 1 and len(original()) == 30  # one count, at the first write
    cache._next_cull = 0.0  # the interval is over
    cache.set("k30", [30.0], 60)
    assert len(listed) == 2 and len(original()) <= 17  # culled: 31 - 31 // 2 (+ the new one)
