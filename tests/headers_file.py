"""Reading a ``_headers`` file (Netlify / Cloudflare Pages) as those hosts do, so tests can
serve the built site with the headers it asks for."""

from __future__ import annotations

import re
from pathlib import Path

Rule = tuple[re.Pattern[str], list[tuple[str, str]]]


def parse_headers(text: str) -> list[Rule]:
    """Rules in file order: a path pattern (``*`` matches anything) and its headers."""
    rules: list[Rule] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            pattern = re.compile("^" + ".*".join(map(re.escape, line.strip().split("*"))) + "$")
            rules.append((pattern, []))
        elif rules and ":" in line:
            name, value = line.strip().split(":", 1)
            rules[-1][1].append((name.strip(), value.strip()))
        else:
            raise ValueError(f"_headers:{number}: not a path or a header: {line!r}")
    return rules


def headers_for(rules: list[Rule], path: str) -> dict[str, str]:
    """Every header of every rule matching ``path``; a header set twice is joined with a
    comma, as Cloudflare Pages does (Kindred's rules never set one twice)."""
    found: dict[str, str] = {}
    for pattern, headers in rules:
        if pattern.match(path):
            for name, value in headers:
                found[name] = f"{found[name]}, {value}" if name in found else value
    return found


def read_rules(output: Path) -> list[Rule]:
    return parse_headers((output / "_headers").read_text(encoding="utf-8"))
