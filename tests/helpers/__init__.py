"""Support code for the tests (not tests themselves): a council's repository and its fills
(council_kit), pull requests replayed against the validator (pr_replay), the slowness harness
(slowness, also a script: `python tests/helpers/slowness.py`), the in-process CLI runner (cli) and
synthetic repositories copied fresh per test (synthrepo)."""
