"""The theme's templates compiled once per process, not once per build.

MkDocs makes a new Jinja environment at every build, so `mkdocs serve` compiled the theme's
templates again at every reload (about 0.2 s at 10,000 entries). `MEMO` is a Jinja bytecode cache
that keeps the compiled code objects in memory, for the life of the process: nothing is written
to disk, and nothing read from disk is ever run (a cache folder can come from elsewhere).

Compiled code depends on more than a template's source: on the environment's syntax and options,
its extensions and the filters and tests it knows (Jinja calls constant filters at compile
time). Each entry records them, and is used only by an environment equal in all of them.
"""

from __future__ import annotations

from operator import itemgetter
from types import CodeType

import jinja2
from jinja2.bccache import Bucket

Fingerprint = tuple[object, ...]


def fingerprint(env: jinja2.Environment) -> Fingerprint:
    """What the compiled code of a template may depend on, besides its name, file and source."""
    settings = sorted((k, v) for k, v in vars(env).items() if v is None or isinstance(v, bool | int | float | str))
    extensions = sorted(((name, type(ext), ext.priority) for name, ext in env.extensions.items()), key=itemgetter(0))
    return (type(env), env.code_generator_class, env.context_class, env.undefined, env.finalize, env.autoescape,
            tuple(settings), tuple(extensions),
            tuple(sorted(env.filters.items(), key=itemgetter(0))), tuple(sorted(env.tests.items(), key=itemgetter(0))),
            env.policies.get("compiler.ascii_str"))


class CompiledTemplates(jinja2.BytecodeCache):
    """Code objects by template (Jinja's bucket key: name and file), each with the checksum of
    the source and the fingerprint of the environment it was compiled in; one per template, the
    last compiled."""

    def __init__(self) -> None:
        self.codes: dict[str, tuple[str, Fingerprint, CodeType]] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        found = self.codes.get(bucket.key)
        if found is not None and found[0] == bucket.checksum and found[1] == fingerprint(bucket.environment):
            bucket.code = found[2]

    def dump_bytecode(self, bucket: Bucket) -> None:
        if bucket.code is not None:
            self.codes[bucket.key] = (bucket.checksum, fingerprint(bucket.environment), bucket.code)

    def clear(self) -> None:
        self.codes.clear()


MEMO = CompiledTemplates()
