"""The first query through the novelty store takes the stored rows' lengths in the same pass as
its cosines (novelty/packed.py): the same floating-point cosines, lengths and matches as the
plain corpus and as a store whose lengths were taken on their own."""

from __future__ import annotations

import numpy as np
from sangkien import loader
from sangkien.novelty import abbrev, packed
from sangkien.novelty.corpus import from_loaded
from sangkien.novelty.search import Searcher
from test_novelty_packed import _edit, _first_run, kho  # noqa: F401 - kho is the fixture


def test_the_first_query_of_a_fresh_store_view_equals_the_plain_one(kho, monkeypatch):  # noqa: F811
    repo, paths, texts = kho
    _first_run(repo, paths)
    monkeypatch.setattr(packed, "CHUNK", 500)  # many steps of whole rows, as at 10,000 entries
    new = _edit(repo, paths, texts)
    loaded = loader.load(repo.path)
    table = abbrev.load(repo.path)
    plain = from_loaded(loaded, table, use_cache=False)
    searcher = Searcher(plain)
    lengths = packed.view(loaded, table)
    assert lengths is not None
    apart = lengths.stored_norms()  # taken on their own, before any query
    changed = {paths[3], *new}
    for item in plain.items:
        fresh = packed.view(loaded, table)  # no lengths yet: this query's pass takes them
        other = packed.view(loaded, table)
        assert fresh is not None and other is not None and fresh.norms is None
        # the query's features: a changed entry from the fresh view itself (the case of a change
        # set, its lengths not needed), a stored one from another view of the same store
        query = (fresh if item.path in changed else other).by_path()[item.path]
        assert fresh.norms is None
        searched = packed.PackedSearcher(fresh)
        a, b = searcher.index.cosines(item.features), searched.cosines(query.features)
        assert a.dtype == b.dtype and np.array_equal(a, b), item.path
        assert fresh.norms is not None and np.array_equal(fresh.norms, apart), item.path
        again = searched.cosines(query.features)  # a second query: the lengths are those already taken
        assert np.array_equal(again, a)
    for path in sorted(changed):
        fresh = packed.view(loaded, table)
        assert fresh is not None and fresh.norms is None
        item = plain.by_path()[path]
        expected = [(m.item.path, m.measures) for m in searcher.query(item, 4)]
        found = packed.PackedSearcher(fresh).query(fresh.by_path()[path], 4)
        assert [(m.item.path, m.measures) for m in found] == expected, path
