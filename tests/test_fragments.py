"""The parts of the page frame rendered once per build (kindred.site.fragments)."""

from __future__ import annotations

from jinja2 import Environment

from kindred.site.fragments import Once


def test_a_part_is_rendered_once_for_each_key_and_again_in_a_new_build() -> None:
    # The number says how many times a part has been rendered in all.
    template = (
        "{% once depth %}<a href='{{ depth }}/'>"
        "{{ calls.append(1) or calls|length }}</a>{% endonce %}"
    )
    calls: list[int] = []
    build = Environment(extensions=[Once], autoescape=True).from_string(template)
    pages = [build.render(depth=depth, calls=calls) for depth in ("..", "../..", "..", "..")]
    assert pages == ["<a href='../'>1</a>", "<a href='../../'>2</a>"] + ["<a href='../'>1</a>"] * 2
    assert len(calls) == 2
    next_build = Environment(extensions=[Once], autoescape=True).from_string(template)
    assert next_build.render(depth="..", calls=calls) == "<a href='../'>3</a>"


def test_what_a_part_holds_is_escaped_once() -> None:
    template = "{% once 1 %}{{ name }}{% endonce %}|{% once 1 %}{{ name }}{% endonce %}"
    page = Environment(extensions=[Once], autoescape=True).from_string(template)
    assert page.render(name="<b>&") == "&lt;b&gt;&amp;|&lt;b&gt;&amp;"
