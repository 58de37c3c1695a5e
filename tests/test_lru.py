"""The bounded LRU behind the per-process caches of the result page."""

from __future__ import annotations

from fazhi_prep.lru import LruCache


def test_keeps_the_most_recently_used_within_its_size():
    cache: LruCache[str] = LruCache(2)
    cache.put("a", "A")
    cache.put("b", "B")
    assert cache.get("a") == "A"  # "a" is now the most recent
    cache.put("c", "C")
    assert len(cache) == 2
    assert cache.get("b") is None and cache.get("a") == "A" and cache.get("c") == "C"
    cache.put("a", "A2")
    assert cache.get("a") == "A2" and len(cache) == 2
