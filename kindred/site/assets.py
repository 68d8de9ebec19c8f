"""The theme's own scripts and style sheets, published without comments and spare space.

Pelican copies theme/static into the output as it is, so every reader would download every
comment and indent: a sixth of the first filtered view at 10,000 listings. The copies in the
output are minified before the site is published (rjsmin and rcssmin take out white space
and comments only, and rename nothing, so what runs still reads like the source); the sources
stay as they are.
"""

from __future__ import annotations

import os
from pathlib import Path

import rcssmin
import rjsmin

_MINIFIERS = {
    ".js": lambda text: rjsmin.jsmin(text, keep_bang_comments=True),
    ".css": lambda text: rcssmin.cssmin(text, keep_bang_comments=True),
}


def minify_theme(folder: Path) -> None:
    """Minify the scripts and style sheets under ``folder`` (the theme's files in a build's
    output). Each is replaced whole, never written in place: the output may share a file
    with the theme's source by a hard link."""
    for path in sorted(folder.rglob("*")):
        minify = _MINIFIERS.get(path.suffix)
        if minify is None or not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:  # not text this can read: published as it comes
            continue
        smaller = minify(text)
        if len(smaller) < len(text):
            temporary = path.with_name(f".{path.name}.kindred-new")
            temporary.write_text(smaller, encoding="utf-8")
            os.replace(temporary, path)
