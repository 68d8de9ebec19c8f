"""Compiled templates kept between builds (kindred.site.template_cache)."""

from __future__ import annotations

import shutil
from pathlib import Path

from jinja2 import DictLoader, Environment

from kindred.site.template_cache import QuietFileCache, template_cache
from tests.conftest import ROOT
from tests.site_helpers import build_site


def kept(cache_folder: Path) -> set[str]:
    return {path.name for path in cache_folder.glob("__kindred_*.cache")}


def test_templates_are_kept_compiled_and_one_changed_since_is_compiled_again(
    tmp_path: Path,
) -> None:
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    cache_folder = Path(QuietFileCache().directory)
    before = kept(cache_folder)
    first = build_site(tmp_path / "first", THEME=str(theme))
    added = kept(cache_folder) - before
    assert added, "the build kept no compiled template"
    base = theme / "templates" / "base.html"
    marker = f"Changed since the last build {tmp_path.name}"
    text = base.read_text(encoding="utf-8")
    base.write_text(text.replace("</footer>", f"<p>{marker}</p></footer>", 1), encoding="utf-8")
    second = build_site(tmp_path / "second", THEME=str(theme))
    assert marker not in (first / "index.html").read_text(encoding="utf-8")
    assert marker in (second / "index.html").read_text(encoding="utf-8")
    assert marker in (second / "groups" / "index.html").read_text(encoding="utf-8")
    assert kept(cache_folder) - before == added  # the same templates, compiled anew


def test_options_that_change_the_compiled_code_keep_it_apart() -> None:
    trimmed = template_cache({"trim_blocks": True, "autoescape": True})
    untrimmed = template_cache({"trim_blocks": False, "autoescape": True})
    assert trimmed is not None and untrimmed is not None
    assert trimmed.pattern != untrimmed.pattern
    again = template_cache({"autoescape": True, "trim_blocks": True})
    assert again is not None and again.pattern == trimmed.pattern


def test_a_cache_that_cannot_be_read_or_written_only_costs_time(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("not a folder", encoding="utf-8")
    for folder in (tmp_path / "missing", tmp_path / "a-file"):
        for _ in range(2):  # written, then read
            environment = Environment(
                loader=DictLoader({"page.html": "Hello {{ name }}"}),
                bytecode_cache=QuietFileCache(str(folder)),
            )
            assert environment.get_template("page.html").render(name="you") == "Hello you"
