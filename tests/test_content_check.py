"""Guidance Markdown with scripts, event handlers, active links, frames, forms or third-party
images stops the build with FILE:LINE, and the last good site stays as it was."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kindred.site.content_check import unsafe_markup
from tests.conftest import ROOT, TAXONOMY
from tests.site_helpers import build_site, read_page
from tests.test_catalog import VALID

# Safe content: tags shown as code, images from the site, ordinary links of every kind.
GOOD = """\
Title: Staying private
Date: 2026-01-01
Order: 1
Summary: How to keep what you read to yourself.

A page can show `<script>` as code, or `<img src="https://x.example/a.png">`.

```html
<script>alert("shown, not run")</script>
<iframe src="https://video.example/"></iframe>
```

    <form action="https://collect.example/"></form>

![A calm harbour]({static}/images/harbour.png) and ![Map](images/map.png)

[A helpline](https://findahelpline.com/), [mail us](mailto:help@example.org),
[call](tel:988), [the directory]({filename}/groups/?cost=free) and [top](#top).
"""

# Each unsafe thing on its own line, with what the build must say about that line.
BAD_ARTICLE: list[tuple[str, list[str]]] = [
    ("Title: Unsafe article", []),
    ("Date: 2026-01-02", []),
    ("Order: 2", []),
    ("", []),
    ("Showing `<script>` and `<iframe>` in code is fine, and so is this:", []),
    ("```", []),
    ("<script>shown()</script>", []),
    ("```", []),
    ("<script>alert(1)</script>", ["<script> element"]),
    ("", []),
    ("<style>body { display: none }</style>", ["<style> element"]),
    ("", []),
    ('<p onclick="alert(2)">Click me</p>', ["onclick= attribute"]),
    ("", []),
    (
        "[Run](javascript:alert(3)) or [old](vbscript:msgbox(4))",
        ["javascript: URL", "vbscript: URL"],
    ),
    ("", []),
    ("![tracker](https://tracker.example/pixel.gif)", ["image from another site (https://"]),
    ("", []),
    ('<img src="//cdn.example/banner.png" alt="banner">', ["image from another site (//cdn"]),
    ("", []),
    ('<iframe src="https://video.example/embed"></iframe>', ["<iframe> element"]),
    ("", []),
    ('<object data="a.swf"></object><embed src="a.swf">', ["<object> element", "<embed> element"]),
    ("", []),
    ('<form action="https://collect.example/"><input name="q"></form>', ["<form> element"]),
    ("", []),
    ("[a document](data:text/html;base64,PHNjcmlwdD5hbGVydCg1KTwvc2NyaXB0Pg==)", ["data: URL"]),
    ("", []),
    (
        '<span style="color: red">red</span> <a href=" java\tscript:alert(6)">tabbed</a>',
        ["style= attribute", "javascript: URL"],
    ),
    ("", []),
    ("Read [the leaflet][leaflet].", []),
    ("", []),
    ("[leaflet]: javascript:alert(7)", ["javascript: URL"]),
]
BAD_PAGE = """\
Title: Unsafe page
Summary: A summary with <script>alert(8)</script> in it.

A clean paragraph.

<img src="https://tracker.example/page.gif" alt="">
"""


def settings(content: Path, groups: Path) -> dict[str, str]:
    return {
        "PATH": str(content),
        "KINDRED_GROUPS": str(groups),
        "KINDRED_TAXONOMY": str(TAXONOMY),
    }


def pelican(output: Path, overrides: dict[str, str]) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "pelican", "-o", str(output), "-e"]
    command += [f"{key}={json.dumps(value)}" for key, value in overrides.items()]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.fixture
def content(tmp_path: Path) -> Path:
    folder = tmp_path / "content"
    (folder / "guidance").mkdir(parents=True)
    (folder / "pages").mkdir()
    (folder / "images").mkdir()
    (folder / "images" / "harbour.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (folder / "guidance" / "private.md").write_text(GOOD, encoding="utf-8")
    (folder / "pages" / "about.md").write_text("Title: About\n\nAbout us.\n", encoding="utf-8")
    return folder


def test_unsafe_markup_stops_the_build_naming_each_line(tmp_path: Path, content: Path) -> None:
    groups = tmp_path / "groups.yaml"
    groups.write_text(VALID, encoding="utf-8")
    overrides = settings(content, groups)
    output = build_site(tmp_path / "output", groups, PATH=str(content))
    shown = read_page(output / "guidance" / "staying-private" / "index.html")
    assert "<script>" in "".join(shown.text)  # code samples come through, as text
    before = snapshot(output)

    article = content / "guidance" / "unsafe.md"
    article.write_text("\n".join(text for text, _ in BAD_ARTICLE) + "\n", encoding="utf-8")
    page = content / "pages" / "unsafe.md"
    page.write_text(BAD_PAGE, encoding="utf-8")
    result = pelican(output, overrides)

    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    for line, (_, messages) in enumerate(BAD_ARTICLE, start=1):
        found = [e for e in errors if e.startswith(f"{article}:{line}: error: ")]
        assert len(found) == len(messages), f"line {line}: {found}"
        for message in messages:
            assert any(message in e for e in found), f"line {line}: {message}\n{result.stderr}"
    assert any(e.startswith(f"{page}:2: error: <script> element") for e in errors), errors
    assert any(e.startswith(f"{page}:6: error: image from another site") for e in errors)
    expected = sum(len(messages) for _, messages in BAD_ARTICLE) + 2
    assert len(errors) == expected, "\n".join(errors)
    assert snapshot(output) == before  # the last good site is untouched
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "groups.yaml", "output"]


def test_images_from_the_sites_own_address_are_allowed() -> None:
    site = "https://intranet.example/wellbeing"
    own = f'<img src="{site}/theme/x.png" alt=""><img srcset="{site}/a.png 2x, b.png 1x" alt="">'
    assert unsafe_markup(own, site) == []
    other = '<img srcset="a.png 1x, https://cdn.example/b.png 2x" alt="">'
    [finding] = unsafe_markup(other, site)
    assert "https://cdn.example/b.png" in finding.message
    assert unsafe_markup(f'<img src="{site}.evil.example/x.png">', site)  # not a prefix trick
