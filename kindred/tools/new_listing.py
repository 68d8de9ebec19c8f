"""Add a listing to the end of data/groups.yaml, by prompts or from options (`kindred new`).

The listing is appended as text in the file's own style, so the rest of the file, its comments
and its order are never touched (loading and dumping the YAML would lose all three). Every
answer is checked by the same rules as ``kindred validate``, and the whole resulting file is
checked by the real validator before it replaces the original, so an invalid listing never
lands.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import os
import re
import shutil
import sys
import tempfile
import textwrap
import unicodedata
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import yaml

# The validator's own field checks, so an answer accepted here is accepted in the file too.
from kindred.catalog import (
    DEFAULT_GROUPS,
    DEFAULT_TAXONOMY,
    Catalog,
    ListingValidator,
    load_catalog,
)
from kindred.catalog.characters import describe_char, first_forbidden
from kindred.catalog.listings import latest_today
from kindred.catalog.model import LEADING_FIELDS, TRAILING_FIELDS, FieldSpec
from kindred.catalog.problems import CatalogError, Problem
from kindred.catalog.taxonomy import Facet, Taxonomy, load_taxonomy
from kindred.catalog.urls import url_key
from kindred.catalog.yamltree import Scalar, Sequence, plain_kind
from kindred.tools.writing import writing

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2
LINE_WIDTH = 100  # longer single-line text is written as a folded block, as in the file
_ID_LENGTH = next(spec.max_length for spec in LEADING_FIELDS if spec.name == "id") or 64
_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_DECIMAL = re.compile(r"[-+]?[0-9]+\Z")
# Python hands over bytes that are not UTF-8 (in arguments, and in input read with
# errors="surrogateescape") as these stand-ins, one per byte.
_UNDECODABLE = re.compile("[\udc80-\udcff]")


class BadAnswer(ValueError):
    """An answer the validator would refuse; the message says why, in plain words."""

    def __init__(self, message: str):
        # The validator's messages are clauses; here each is shown as a sentence.
        super().__init__(message if message.endswith((".", "?")) else message + ".")


class Unreadable(BadAnswer):
    """An answer that cannot be read at all: bytes that are not UTF-8, or a number not
    written with the digits 0-9. Given as an option, that is a usage error (exit 2)."""


class Stop(Exception):
    """Nothing is written: the reason has been printed; ``code`` is the exit status."""

    def __init__(self, code: int):
        super().__init__(code)
        self.code = code


@dataclasses.dataclass(frozen=True)
class Question:
    """One field to fill in: a plain field from the model, or a facet from the taxonomy."""

    name: str
    required: bool
    help: str
    spec: FieldSpec | None = None
    facet: Facet | None = None

    @property
    def option(self) -> str:
        return "--" + self.name.replace("_", "-")


def questions(taxonomy: Taxonomy) -> list[Question]:
    """Every field a contributor supplies, in the order they are written to the file.

    That order follows the existing listings: the leading fields, then each facet with its
    note right after it (the field its note_field role names), then the rest. ``id`` is
    derived from the name and ``added`` is today, so neither is asked for.
    """
    trailing = {spec.name: spec for spec in TRAILING_FIELDS}
    asked = [_plain(spec) for spec in LEADING_FIELDS if spec.name != "id"]
    for facet in taxonomy.facets:
        about = f"{facet.label}. People using the directory are asked: “{facet.question}”"
        asked.append(Question(facet.field, True, about, facet=facet))
        note = trailing.pop(facet.roles.note_field, None)
        if note is not None:
            asked.append(_plain(note))
    asked += [_plain(spec) for spec in trailing.values() if spec.name != "added"]
    return asked


def _plain(spec: FieldSpec) -> Question:
    return Question(spec.name, spec.required, spec.help, spec=spec)


class AnswerChecker:
    """Turns raw answers into field values, with the validator's rules and messages."""

    def __init__(self, taxonomy: Taxonomy, catalog: Catalog, today: dt.date):
        self.problems: list[Problem] = []
        self.validator = ListingValidator("answer", taxonomy, today, self.problems)
        self.urls = {url_key(group.url): group.id for group in catalog.groups}

    def check(self, question: Question, raw: str) -> object | None:
        """The value for ``raw``, or None for a skipped optional field. Raises BadAnswer."""
        undecodable = _UNDECODABLE.findall(raw)
        if undecodable:
            shown = " ".join(f"0x{ord(char) - 0xDC00:02X}" for char in undecodable[:4])
            raise Unreadable(
                f"'{question.name}' has bytes that are not valid UTF-8 ({shown}); write it in UTF-8"
            )
        index = first_forbidden(raw)  # before spaces are tidied: some controls count as space
        if index is not None:
            raise BadAnswer(f"'{question.name}' contains {describe_char(raw[index])}; delete it")
        text = " ".join(raw.split())
        if not text:
            if question.required:
                raise BadAnswer(f"'{question.name}' is required.")
            return None
        if question.facet is not None:
            return self._facet(question.facet, text)
        assert question.spec is not None
        return self._plain(question.spec, text)

    def _plain(self, spec: FieldSpec, text: str) -> object:
        kind = _STR
        if spec.kind == "integer":
            if text.isascii() and text.isdigit():  # someone typing 010 means ten, not octal 8
                text, kind = text.lstrip("0") or "0", _INT
            else:
                kind = plain_kind(text)  # as if written in the file: -1 a number, ² text
        check: Callable[[FieldSpec, Scalar], object] = self.validator.checks[spec.name]
        try:
            value = self._run(lambda: check(spec, Scalar(text, kind, 1, 1)))
        except BadAnswer as error:
            if spec.kind == "integer" and not _DECIMAL.match(text):
                raise Unreadable(str(error)) from None
            raise
        if spec.kind == "url" and url_key(text) in self.urls:
            raise BadAnswer(
                f"{text} is already listed as '{self.urls[url_key(text)]}'; "
                "update that listing instead of adding a new one."
            )
        return value

    def _facet(self, facet: Facet, text: str) -> str | tuple[str, ...]:
        """One slug for a one-value facet, a tuple of slugs for the others."""
        words = [word.strip() for word in text.split(",") if word.strip()]
        if not facet.multiple and len(words) > 1:
            raise BadAnswer(f"'{facet.field}' takes one value, not {len(words)}.")
        # The same value twice is a slip, not a mistake worth asking again for.
        slugs = list(dict.fromkeys(self._slug(facet, word) for word in words))
        node = Sequence(1, 1)
        node.items = [Scalar(slug, _STR, 1, 1) for slug in slugs]
        if not facet.multiple:
            self._run(lambda: self.validator.facet_field(facet, node.items[0]))
            return slugs[0]
        self._run(lambda: self.validator.facet_field(facet, node))
        return tuple(slugs)

    def _slug(self, facet: Facet, word: str) -> str:
        """A choice number, a label or a slug, as the slug."""
        if word.isascii() and word.isdigit():  # not ² or Arabic-Indic digits
            number = int(word) if len(word) <= 6 else 0  # int() refuses thousands of digits
            if not 1 <= number <= len(facet.values):
                raise BadAnswer(f"there is no choice {number}; choose 1 to {len(facet.values)}.")
            return facet.values[number - 1].slug
        for value in facet.values:
            if word.casefold() == value.label.casefold():
                return value.slug
        return word

    def _run(self, check: Callable[[], object]) -> object:
        self.problems.clear()
        value = check()
        if self.problems:
            raise BadAnswer(" ".join(problem.message for problem in self.problems))
        return value


def derive_id(name: str, taken: set[str], url: str = "") -> str:
    """A lowercase slug from the name, made unique with -2, -3 … if it is taken. A name with
    no Latin letters at all ("Группа поддержки") gives no slug: the web address's host does
    ("podderzhka-ru" from https://www.podderzhka.ru/), so an id still says whose it is."""
    base = _slug(name) or _slug(_host(url)) or "group"
    base = base[:_ID_LENGTH].rstrip("-") or "group"
    candidate, number = base, 2
    while candidate in taken:
        suffix = f"-{number}"
        candidate = base[: _ID_LENGTH - len(suffix)].rstrip("-") + suffix
        number += 1
    return candidate


def _slug(text: str) -> str:
    # Accents go ("Café" -> "cafe"); so do apostrophes, curly ones with the non-ASCII
    # ("Alzheimer's" -> "alzheimers", not "alzheimer-s").
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.replace("'", "").lower()).strip("-")


def _host(url: str) -> str:
    host = urlsplit(url).hostname or "" if url else ""
    return host.removeprefix("www.")


def listing_text(fields: dict[str, object]) -> str:
    """One listing in the file's style: flow lists, plain or quoted one-line text, and
    folded ``>-`` blocks for text too long for one line."""
    lines: list[str] = []
    for index, (name, value) in enumerate(fields.items()):
        lines += _field_lines("- " if index == 0 else "  ", name, value)
    return "\n".join(lines) + "\n"


def _field_lines(prefix: str, name: str, value: object) -> list[str]:
    if isinstance(value, (tuple, list)):
        return [f"{prefix}{name}: [{', '.join(value)}]"]  # slugs never need quotes
    if not isinstance(value, str):
        return [f"{prefix}{name}: {value}"]  # a date or a whole number
    line = f"{prefix}{name}: {_one_line(value)}"
    if len(line) <= LINE_WIDTH or " ".join(value.split()) != value:
        return [line]  # short, or with spacing a folded block would not keep
    # A folded block joins its lines with single spaces: exactly the whitespace the text has.
    wrapped = textwrap.wrap(
        value, width=LINE_WIDTH - 8, break_long_words=False, break_on_hyphens=False
    )
    return [f"{prefix}{name}: >-", *(f"    {part}" for part in wrapped)]


def _one_line(text: str) -> str:
    """Plain when YAML reads it back unchanged, else a JSON string (valid YAML too)."""
    try:
        if yaml.safe_load(f"k: {text}") == {"k": text}:
            return text
    except yaml.YAMLError:
        pass
    return json.dumps(text, ensure_ascii=False)


def _block_ready(original: bytes, name: str) -> bytes:
    """The catalog's bytes, if listings can be added to it as '- ' lines. A list written in
    brackets ('[]', '[{…}]') cannot be continued that way: CatalogError says so, where the
    brackets are, rather than naming a line the combined text would have."""
    text = original.decode("utf-8", "replace").removeprefix("\ufeff")
    for number, line in enumerate(text.splitlines(), start=1):
        content = line.strip()
        if not content or content.startswith("#"):
            continue  # the first thing the file holds decides how its list is written
        if content.startswith("["):
            message = (
                "the listings are written in brackets, which a listing added as a '- ' line "
                "cannot follow; write each listing as a '- ' line (or an empty file for none)"
            )
            column = len(line) - len(line.lstrip()) + 1
            raise CatalogError([Problem(name, number, column, message)])
        break
    return original


def append_listing(path: Path, taxonomy_path: Path, text: str) -> int:
    """Append ``text`` to ``path`` after a blank line, only if the result is valid.

    The new file is written beside the original, validated there and then moved into place,
    so the original is untouched when anything fails. Raises CatalogError with the problems,
    reported against ``path``. Returns the line the listing starts on. A catalog reached by
    a symbolic link is written where the link leads, and the link kept; one whose lines end
    in CR LF gets its new lines ended the same way.
    """
    real = path.resolve()
    original = _block_ready(real.read_bytes(), str(path))
    newline = b"\r\n" if b"\r\n" in original else b"\n"
    separator = b""
    if original and not original.endswith(b"\n"):
        separator += newline
    if original and not (original + separator).endswith(newline * 2):
        separator += newline
    added = text.encode("utf-8").replace(b"\n", newline)
    updated = original + separator + added
    with writing(path):
        fd, temporary = tempfile.mkstemp(dir=real.parent, prefix=f".{real.name}.", suffix=".tmp")
    try:
        with writing(path), os.fdopen(fd, "wb") as file:
            file.write(updated)
        try:
            load_catalog(temporary, taxonomy_path)
        except CatalogError as error:
            raise CatalogError(
                dataclasses.replace(problem, path=str(path)) for problem in error.problems
            ) from None
        with writing(path):
            shutil.copymode(real, temporary)
            os.replace(temporary, real)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return (original + separator).count(b"\n") + 1


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """One option per field, from the model and from data/taxonomy.yaml if it can be read."""
    parser.add_argument(
        "path",
        nargs="?",
        type=Path,
        default=DEFAULT_GROUPS,
        help=f"listings file (default: {DEFAULT_GROUPS})",
    )
    parser.add_argument(
        "--taxonomy",
        type=Path,
        default=DEFAULT_TAXONOMY,
        help=f"taxonomy file (default: {DEFAULT_TAXONOMY})",
    )
    parser.add_argument(
        "--yes",
        action="store_true",
        help="ask nothing: take every answer from the options and add the listing",
    )
    try:
        taxonomy = load_taxonomy(DEFAULT_TAXONOMY)
    except (OSError, CatalogError):  # `kindred new` reports it properly when it runs
        taxonomy = None
    for question in questions(taxonomy or Taxonomy(())):
        if question.facet is not None:
            count = "one or more, comma-separated" if question.facet.multiple else "one"
            help_text = f"{question.facet.label} ({count}): {', '.join(question.facet.slugs)}"
            metavar = "SLUG,…" if question.facet.multiple else "SLUG"
        else:
            help_text = question.help
            metavar = {"url": "URL", "date": "YYYY-MM-DD", "integer": "NUMBER"}.get(
                question.spec.kind if question.spec else "", "TEXT"
            )
        parser.add_argument(question.option, dest=question.name, metavar=metavar, help=help_text)


def run(args: argparse.Namespace) -> int:
    taxonomy = load_taxonomy(args.taxonomy)
    try:
        catalog = load_catalog(args.path, args.taxonomy)
    except CatalogError:
        print(f"{args.path} already has problems; fix them first (kindred validate):")
        raise
    checker = AnswerChecker(taxonomy, catalog, latest_today())
    asked = questions(taxonomy)
    try:
        if args.yes:
            answers = _from_options(args, asked, checker)
        else:
            answers = _interactive(args, asked, checker)
        fields = _fields(answers, asked, {group.id for group in catalog.groups})
        text = listing_text(fields)
        if not args.yes:
            _confirm(args.path, text)
    except EOFError:
        print(
            "\nkindred new: error: the input ended before every question was answered; "
            "nothing was written.",
            file=sys.stderr,
        )
        return EXIT_USAGE
    except Stop as stop:
        return stop.code
    try:
        line = append_listing(args.path, args.taxonomy, text)
    except CatalogError:
        print(f"The listing was not added: {args.path} would not be valid.")
        raise
    print(f"Added '{fields['id']}' at line {line} of {args.path}.")
    return EXIT_OK


def _fields(
    answers: dict[str, object], asked: list[Question], taken: set[str]
) -> dict[str, object]:
    values: dict[str, object] = {
        "id": derive_id(str(answers["name"]), taken, str(answers.get("url") or "")),
        **{name: value for name, value in answers.items() if value is not None},
        "added": dt.date.today(),
    }
    return {name: values[name] for name in _written_order(asked) if name in values}


def file_order(taxonomy: Taxonomy) -> list[str]:
    """Every field name in the order a listing's fields are written to the file."""
    return _written_order(questions(taxonomy))


def _written_order(asked: list[Question]) -> list[str]:
    """Field names in file order, with ``added`` where the model puts it (before
    last_verified)."""
    names = ["id", *(question.name for question in asked)]
    trailing = [spec.name for spec in TRAILING_FIELDS]
    later = [name for name in trailing[trailing.index("added") + 1 :] if name in names]
    position = names.index(later[0]) if later else len(names)
    return [*names[:position], "added", *names[position:]]


def _from_options(
    args: argparse.Namespace, asked: list[Question], checker: AnswerChecker
) -> dict[str, object]:
    """Every answer from the options; raises Stop after naming each bad or missing one."""
    answers: dict[str, object] = {}
    missing: list[str] = []
    bad = unreadable = False
    for question in asked:
        raw = getattr(args, question.name, None)
        if raw is None:
            if question.required:
                missing.append(question.option)
            continue
        try:
            answers[question.name] = checker.check(question, raw)
        except Unreadable as error:
            print(f"kindred new: error: {question.option}: {error}", file=sys.stderr)
            unreadable = True
        except BadAnswer as error:
            print(f"{question.option}: {error}")
            bad = True
    if missing:
        print(
            f"kindred new: error: --yes needs every required field; missing: {', '.join(missing)}",
            file=sys.stderr,
        )
    if missing or unreadable:
        raise Stop(EXIT_USAGE)
    if bad:
        print(f"Nothing was written to {args.path}.")
        raise Stop(EXIT_INVALID)
    return answers


def _interactive(
    args: argparse.Namespace, asked: list[Question], checker: AnswerChecker
) -> dict[str, object]:
    print(
        f"Adding a listing to {args.path}. Press Enter to skip an optional question; "
        "Ctrl-C stops without writing anything."
    )
    if hasattr(sys.stdin, "reconfigure"):  # bytes that are not UTF-8 are asked for again
        sys.stdin.reconfigure(errors="surrogateescape")
    answers: dict[str, object] = {}
    for question in asked:
        given = getattr(args, question.name, None)
        if given is not None:
            try:
                answers[question.name] = checker.check(question, given)
                continue
            except Unreadable as error:
                print(f"kindred new: error: {question.option}: {error}", file=sys.stderr)
                raise Stop(EXIT_USAGE) from None
            except BadAnswer as error:
                shown = f" {given}" if first_forbidden(given) is None else ""  # no raw controls
                print(f"\n{question.option}{shown}: {error}")
        print(f"\n{question.help}")
        if question.facet is not None:
            _print_choices(question.facet)
        optional = "" if question.required else " (optional)"
        while True:
            try:
                answers[question.name] = checker.check(
                    question, _ask(f"{question.name}{optional}: ")
                )
                break
            except BadAnswer as error:
                print(f"  {error} Please try again.")
    return answers


def _confirm(path: Path, text: str) -> None:
    print(f"\nThis will be added to the end of {path}:\n\n{text}")
    if _ask("Add it? [Y/n] ").strip().lower() not in ("", "y", "yes"):
        print("Nothing was written.")
        raise Stop(EXIT_INVALID)


def _print_choices(facet: Facet) -> None:
    how = "one or more, separated by commas" if facet.multiple else "one"
    print(f"Choose {how}: type the numbers or the slugs.")
    width = max(len(slug) for slug in facet.slugs)
    for number, value in enumerate(facet.values, 1):
        print(f"  {number:>2}. {value.slug:<{width}}  {value.label}")


def _ask(prompt: str) -> str:
    """One line from standard input. Raises EOFError when it has ended."""
    print(prompt, end="", flush=True)
    line = sys.stdin.readline()
    if not line:
        raise EOFError
    return line.removesuffix("\n").removesuffix("\r")  # input saved on Windows ends in CRLF
