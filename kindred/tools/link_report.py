"""The ``kindred check-links`` command: progress, the table, the JSON and Markdown reports.

The checking itself is in kindred.tools.links; this module decides what people and scripts see.
Exit codes: 0 nothing definitely broken, 1 a listing is gone or its host does not resolve,
2 usage or I/O error.

The command contacts public hosts only. The test suite checks listings on a server of its own on
127.0.0.1, which it names in the KINDRED_LINKS_TRUSTED_SERVERS environment variable
("host:port", comma-separated); unset, as everywhere else, nothing is trusted, and when it is
set the command says so on standard error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from kindred.catalog import load_catalog
from kindred.tools.links import (
    BLOCKED,
    BROKEN,
    CONNECTION,
    DNS,
    GONE,
    HTTP_ERROR,
    MAX_REDIRECTS,
    OK,
    REDIRECTED,
    SERVER_ERROR,
    STATUSES,
    TIMEOUT,
    TLS,
    TOO_MANY_REDIRECTS,
    LinkResult,
    Options,
    check_links,
)
from kindred.tools.table import format_table

EXIT_OK, EXIT_BROKEN, EXIT_USAGE = 0, 1, 2
TRUSTED_SERVERS_VARIABLE = "KINDRED_LINKS_TRUSTED_SERVERS"

MEANINGS = {
    GONE: "the page is not there (404 or 410)",
    DNS: "the host name does not resolve",
    BLOCKED: (
        "not followed: leads to a loopback, private or other non-public host, or to an "
        "address that is not http(s)"
    ),
    HTTP_ERROR: "another 4xx refusal; 403 and 429 often mean automated checks are turned away",
    TOO_MANY_REDIRECTS: f"more than {MAX_REDIRECTS} redirects: a loop, or a site that expects "
    "cookies",
    CONNECTION: "refused, reset or cut off",
    TLS: "certificate or TLS handshake failure",
    SERVER_ERROR: "5xx server error",
    TIMEOUT: "no answer in time",
    REDIRECTED: "moved permanently: update the listing to the final URL",
    OK: "answered normally",
}

# Characters with a meaning in Markdown; escaped so text from a server stays plain text.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|#!~])")
# An address that can be written as a CommonMark autolink, <…>, inside a table cell.
_AUTOLINKABLE = re.compile(r"https?://[^\s<>|`\\]+")


class Progress:
    """'Checked 12/66' on one updating line in a terminal; in a CI log, one line per listing,
    because a log keeps every carriage-return update and shows them as a garbled line."""

    def __init__(self, total: int, stream: TextIO):
        self.total = total
        self.stream = stream
        self.done = 0
        isatty = getattr(stream, "isatty", None)
        self.live = bool(isatty and isatty())

    def update(self, result: LinkResult) -> None:
        self.done += 1
        if self.live:
            self.stream.write(f"\rChecked {self.done}/{self.total}")
        else:
            self.stream.write(f"Checked {self.done}/{self.total}: {result.id} {result.status}\n")
        self.stream.flush()

    def finish(self) -> None:
        if self.live and self.done:
            self.stream.write("\n")
            self.stream.flush()


def status_counts(results: Sequence[LinkResult]) -> dict[str, int]:
    """How many results have each status, every status present, most serious first."""
    counts = dict.fromkeys(STATUSES, 0)
    for result in results:
        counts[result.status] += 1
    return counts


def problems(results: Sequence[LinkResult]) -> list[LinkResult]:
    """Every result that is not plain ok, most serious status first, then by id."""
    order = {status: index for index, status in enumerate(STATUSES)}
    return sorted(
        (result for result in results if result.status != OK),
        key=lambda result: (order[result.status], result.id),
    )


def results_table(results: Sequence[LinkResult]) -> str:
    rows = [
        (
            result.id,
            result.status,
            result.code,
            result.url,
            result.note + (f" -> {result.final_url}" if result.final_url else ""),
        )
        for result in results
    ]
    return format_table(("id", "status", "code", "url", "note"), rows)


def summary_line(results: Sequence[LinkResult]) -> str:
    counts = ", ".join(f"{n} {status}" for status, n in status_counts(results).items() if n)
    broken = sum(result.broken for result in results)
    verdict = (
        f"{broken} definitely broken ({', '.join(sorted(BROKEN))})."
        if broken
        else "Nothing definitely broken."
    )
    return f"Checked {len(results)} listings: {counts or 'none'}. {verdict}"


def results_json(results: Sequence[LinkResult], checked_at: dt.datetime) -> str:
    data = {
        "checked_at": checked_at.isoformat(timespec="seconds"),
        "counts": status_counts(results),
        "broken": sum(result.broken for result in results),
        "results": [
            {
                "id": result.id,
                "url": result.url,
                "status": result.status,
                "code": result.code,
                "final_url": result.final_url,
                "note": result.note,
                "attempts": result.attempts,
                "broken": result.broken,
            }
            for result in results
        ],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def markdown_report(results: Sequence[LinkResult], checked_at: dt.datetime) -> str:
    """A report to paste as the body of a tracking issue: counts, then the problems only."""
    counts = status_counts(results)
    broken = sum(result.broken for result in results)
    lines = [
        f"## Link check, {checked_at:%Y-%m-%d %H:%M} UTC",
        "",
        f"Checked {len(results)} listings.",
        "",
        "| Status | Listings | Meaning |",
        "|---|---:|---|",
        *(f"| {status} | {n} | {MEANINGS[status]} |" for status, n in counts.items() if n),
        "",
    ]
    if broken:
        lines.append(
            f"**{broken} definitely broken** (gone, or the host name does not resolve): "
            "fix or remove these listings."
        )
    else:
        lines.append("Nothing is definitely broken.")
    lines += [
        "",
        "Timeouts, server errors, TLS and connection failures are often temporary, and some "
        "sites turn automated checks away: look again by hand before changing a listing.",
        "",
    ]
    found = problems(results)
    if not found:
        lines.append("Every link answered normally.")
        return "\n".join(lines) + "\n"
    lines += [
        "| Listing | Status | Code | URL | Note |",
        "|---|---|---:|---|---|",
    ]
    for result in found:
        note = _markdown_text(result.note)
        if result.final_url:
            arrow = "final URL" if result.status == REDIRECTED else "ended at"
            note = f"{note}; {arrow}: {_markdown_url(result.final_url)}".lstrip("; ")
        code = "" if result.code is None else str(result.code)
        lines.append(
            f"| `{result.id}` | {result.status} | {code} | {_markdown_url(result.url)} | {note} |"
        )
    return "\n".join(lines) + "\n"


def _markdown_text(text: str) -> str:
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _markdown_url(url: str) -> str:
    """A clickable address when it is safe to write as an autolink, else escaped text."""
    return f"<{url}>" if _AUTOLINKABLE.fullmatch(url) else _markdown_text(url)


def _trusted_servers(stream: TextIO) -> frozenset[str]:
    """The servers the environment allows although they are not public (see the docstring)."""
    named = os.environ.get(TRUSTED_SERVERS_VARIABLE, "").lower().split(",")
    trusted = frozenset(server.strip() for server in named if server.strip())
    if trusted:
        stream.write(
            f"kindred: warning: {TRUSTED_SERVERS_VARIABLE} lets the check contact "
            f"{', '.join(sorted(trusted))} although they may not be public\n"
        )
    return trusted


# When this many listings or more all fail to resolve, the fault is the machine's, not theirs.
_NO_NAMES_AT_ALL = 3


def _unwritable(path: Path | None) -> str:
    """Why a report could not be written to ``path`` (an empty string when it could)."""
    if path is None:
        return ""
    path = Path(path)
    if path.is_dir():
        return "it is a folder"
    if not path.parent.is_dir():
        return f"there is no folder {path.parent}"
    target = path if path.exists() else path.parent
    return "" if os.access(target, os.W_OK) else "permission denied"


def run(args: argparse.Namespace) -> int:
    """Check every listing, print the table and a summary, write the reports, pick the exit."""
    catalog = load_catalog(args.path, args.taxonomy)
    options = Options(
        timeout=args.timeout,
        retries=args.retries,
        backoff=args.backoff,
        concurrency=args.concurrency,
        trusted_servers=_trusted_servers(sys.stderr),
    )
    reports = [(args.json, results_json), (args.markdown, markdown_report)]
    for path, _ in reports:  # before the minutes of checking, not after
        problem = _unwritable(path)
        if problem:
            print(f"kindred: error: cannot write {path}: {problem}", file=sys.stderr)
            return EXIT_USAGE
    listings = [(group.id, group.url) for group in catalog.groups]
    progress = Progress(len(listings), sys.stderr)
    results = check_links(listings, options, progress.update)
    progress.finish()
    checked_at = dt.datetime.now(dt.timezone.utc)
    if len(results) >= _NO_NAMES_AT_ALL and all(result.status == DNS for result in results):
        print(
            f"kindred: error: not one of the {len(results)} host names resolved: this machine "
            "cannot look names up (no network, or no name server), so no listing is judged "
            "broken",
            file=sys.stderr,
        )
        return EXIT_USAGE
    print(results_table(results))
    print(summary_line(results))
    for path, render in reports:
        if path is None:
            continue
        try:
            Path(path).write_text(render(results, checked_at), encoding="utf-8")
        except OSError as error:
            print(f"kindred: error: cannot write {path}: {error.strerror}", file=sys.stderr)
            return EXIT_USAGE
    return EXIT_BROKEN if any(result.broken for result in results) else EXIT_OK
