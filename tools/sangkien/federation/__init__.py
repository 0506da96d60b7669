"""Federation: other provinces' catalogues (their open data, du-lieu/sang-kien.json) harvested
into snapshots under federation/, read offline by the novelty check and shown on the site.

    sources.py   entries/federation.yaml -> the sources, with their own cross-checks (SK340-SK349)
    fetch.py     one source's bytes: HTTP(S) with timeouts, a size limit and conditional requests, or a local file
    store.py     snapshots with provenance (federation/<id>.json + <id>.meta.json) and the failure log
    harvest.py   fetch -> check against schema/catalogue.schema.json -> store; a failure keeps the last good copy
    status.py    fresh / stale for N days / failing since ..., for the CLI and the site

A feature package: core modules never import it.
"""
