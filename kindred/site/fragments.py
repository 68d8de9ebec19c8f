"""`{% once KEY %}…{% endonce %}`: a part of a template rendered once per build for each KEY.

The frame every page shares (the quick exit, the crisis lines, the masthead, the hand-out's
helplines, the footer) reads only what is the same for the whole build, and SITEURL, which
differs only with a page's depth. Rendered for every one of tens of thousands of pages it was
a fifth of the time spent rendering; now each is rendered once per depth and reused.

What goes inside must depend on nothing but KEY and what the whole build shares: never on
the page. The cache lives on the template environment, which each build makes anew (Pelican gives
each run's generators their own).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from jinja2 import nodes
from jinja2.ext import Extension
from jinja2.parser import Parser


class Once(Extension):
    tags: ClassVar[set[str]] = {"once"}

    def __init__(self, environment: Any):
        super().__init__(environment)
        environment.extend(once_cache={})

    def parse(self, parser: Parser) -> nodes.Node:
        lineno = next(parser.stream).lineno
        # The place in the templates tells apart two parts with the same key.
        place = nodes.Const(f"{parser.name}:{lineno}")
        key = parser.parse_expression()
        body = parser.parse_statements(("name:endonce",), drop_needle=True)
        call = self.call_method("_rendered", [place, key])
        return nodes.CallBlock(call, [], [], body).set_lineno(lineno)

    def _rendered(self, place: str, key: Any, caller: Callable[[], str]) -> str:
        cache = self.environment.once_cache
        if (place, key) not in cache:
            cache[place, key] = caller()
        return cache[place, key]
