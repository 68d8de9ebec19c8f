"""Writing a file a command was asked to write, so that a failure says "cannot write" and
names the file (an OSError alone reads as a file that could not be read)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path


class WriteFailed(Exception):
    """``path`` could not be written; ``reason`` says why."""

    def __init__(self, path: Path | str, reason: str):
        super().__init__(f"cannot write {path}: {reason}")
        self.path, self.reason = path, reason


@contextlib.contextmanager
def writing(path: Path | str) -> Iterator[None]:
    """Turn an OSError raised inside into WriteFailed for ``path``."""
    try:
        yield
    except OSError as error:
        raise WriteFailed(path, error.strerror or str(error)) from None
