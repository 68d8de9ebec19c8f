"""The taxonomy is the single definition of every facet: no facet key, field or value slug is
spelled in the code, the templates or the scripts, which read the roles instead."""

from __future__ import annotations

import ast
import io
import re
import tokenize
from pathlib import Path

from kindred.catalog.taxonomy import Taxonomy
from tests.conftest import ROOT

# A quoted string in a template or a script: '...' or "..." on one line.
_QUOTED = re.compile(r"""(["'])([^"'\n]{1,60})\1""")
# Words that happen to equal a facet name but mean something else where they stand.
_OTHER_MEANINGS = {
    ("kindred/catalog/helplines.py", "region"): "a field of data/helplines.yaml",
    ("kindred/site/search_index.py", "languages"): "a key of Pagefind's entry file",
    ("kindred/site/settings.py", "phone"): "a key of the KINDRED_EAP setting",
    ("kindred/catalog/taxonomy.py", "languages"): "the HSDS field of that name",
    ("kindred/opendata/hsds.py", "language"): "a field of an HSDS taxonomy term",
    ("kindred/opendata/hsds_files.py", "language"): "a column of HSDS's taxonomy_terms table",
    ("kindred/catalog/overlay.py", "phone"): "a field of an overlay's eap",
    ("kindred/catalog/eap.py", "phone"): "a field of an EAP's contact",
    ("theme/templates/partials/crisis.html", "phone"): "a key of the KINDRED_EAP setting",
    ("theme/templates/base.html", "region"): 'the ARIA role="region"',
    ("theme/templates/embed.html", "region"): 'the ARIA role="region"',
    ("theme/templates/partials/crisis.html", "region"): 'the ARIA role="region"',
}


def _names(taxonomy: Taxonomy) -> set[str]:
    names = set()
    for facet in taxonomy.facets:
        names |= {facet.key, facet.field, *facet.slugs}
    return names


def _python_strings(path: Path) -> list[tuple[int, str]]:
    found = []
    tokens = tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline)
    for token in tokens:
        if token.type == tokenize.STRING:
            try:
                value = ast.literal_eval(token.string)
            except (ValueError, SyntaxError):  # an f-string: its pieces are not whole names
                continue
            if isinstance(value, str):
                found.append((token.start[0], value))
    return found


def _quoted_strings(path: Path) -> list[tuple[int, str]]:
    found = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        found += [(number, match.group(2)) for match in _QUOTED.finditer(line)]
    return found


def test_no_facet_key_or_value_is_spelled_in_code(taxonomy: Taxonomy) -> None:
    names = _names(taxonomy)
    spelled = []
    for path in sorted((ROOT / "kindred").rglob("*.py")):
        spelled += [(path, n, s) for n, s in _python_strings(path) if s in names]
    for pattern in ("theme/templates/**/*.html", "theme/static/js/*.js"):
        for path in sorted(ROOT.glob(pattern)):
            spelled += [(path, n, s) for n, s in _quoted_strings(path) if s in names]
    found = [(str(p.relative_to(ROOT)), n, s) for p, n, s in spelled]
    assert [f"{p}:{n}: {s!r}" for p, n, s in found if (p, s) not in _OTHER_MEANINGS] == []


def test_the_check_finds_a_facet_spelled_in_a_template(tmp_path: Path, taxonomy: Taxonomy) -> None:
    template = tmp_path / "card.html"
    facet = taxonomy.facets[0]
    template.write_text(f"{{% if facet.key == '{facet.key}' %}}…{{% endif %}}\n", "utf-8")
    assert (1, facet.key) in _quoted_strings(template)
