"""Compiled templates kept between builds, so a build does not compile every template again.

Compiling the theme's templates was a sixth of a small site's build (each of Pelican's
generators compiles them in its own environment) and is the same work every time. Jinja keeps
the compiled code in a folder of the system's temporary directory that only this user may
read (its default), under a name that also holds what else shapes the code: the environment's
options and the source of Kindred's own template tags. A template whose source changes is
compiled again (Jinja checks each one's checksum). The cache only ever speeds a build up: when
its folder cannot be made or written, templates are compiled as before.
"""

from __future__ import annotations

import contextlib
import hashlib
import inspect
from typing import Any

from jinja2 import BytecodeCache, FileSystemBytecodeCache
from jinja2.bccache import Bucket

from kindred.site import fragments


class QuietFileCache(FileSystemBytecodeCache):
    """Jinja's file cache, which a full disk or a file size limit turns into no cache."""

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except OSError:
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def template_cache(options: dict[str, Any]) -> BytecodeCache | None:
    """A cache for templates compiled with these environment ``options``, or None where the
    system's temporary directory has no safe place for one."""
    shaping = repr(sorted((key, repr(value)) for key, value in options.items()))
    shaping += inspect.getsource(fragments)
    digest = hashlib.sha256(shaping.encode("utf-8")).hexdigest()[:16]
    try:
        return QuietFileCache(pattern=f"__kindred_{digest}_%s.cache")
    except (OSError, RuntimeError):  # no temporary directory this user alone can use
        return None
