"""`kindred validate` and `kindred schema` as scripts and CI use them: output and exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import yaml

from kindred.catalog.schema import build_schema
from kindred.tools.synthetic import write_synthetic
from tests.conftest import GROUPS, ROOT, TAXONOMY
from tests.test_catalog import VALID


def kindred(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "kindred.cli", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=environment,
        check=False,
    )


def test_the_real_catalog_is_valid() -> None:
    result = kindred("validate")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("data/groups.yaml: ")
    assert "all valid" in result.stdout
    assert len(result.stdout.strip().splitlines()) == 1


def test_checking_the_catalog_starts_without_loading_the_site_generator() -> None:
    """A contributor's `kindred validate` answers in a blink: Pelican, a fifth of a second to
    import, is loaded only by the commands that build or read the site's settings."""
    code = (
        "import sys; from kindred.cli import main; code = main(['validate']); "
        "print(code, 'pelican' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert result.stdout.rstrip().endswith("\n0 False"), result.stdout + result.stderr


def test_invalid_file_exits_1_listing_every_problem_then_a_count(tmp_path: Path) -> None:
    bad = tmp_path / "groups.yaml"
    bad.write_text(VALID.replace("cost: free", "cost: gratis") + "  colour: red\n")
    result = kindred("validate", str(bad))
    assert result.returncode == 1
    lines = result.stdout.strip().splitlines()
    assert lines[0].startswith(f"{bad}:9:9: error: 'gratis' is not a known cost")
    assert lines[1].startswith(f"{bad}:18:3: error: unknown field 'colour'")
    assert lines[2] == "2 problems found."
    assert "Traceback" not in result.stderr


def test_github_actions_get_inline_annotations(tmp_path: Path) -> None:
    bad = tmp_path / "groups.yaml"
    bad.write_text(VALID.replace("cost: free", "cost: gratis"))
    result = kindred("validate", str(bad), env={"GITHUB_ACTIONS": "true"})
    assert result.returncode == 1
    assert f"::error file={bad},line=9,col=9::'gratis' is not a known cost" in result.stdout


def test_missing_file_is_an_io_error_with_exit_2(tmp_path: Path) -> None:
    result = kindred("validate", str(tmp_path / "nope.yaml"))
    assert result.returncode == 2
    assert "cannot read" in result.stderr and "nope.yaml" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_file_that_cannot_be_written_is_named_as_such_with_exit_2(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    nowhere = blocker / "out"  # a path under a file: no folder to write in
    for command in (
        ("schema", "-o", str(nowhere / "schema.json")),
        ("forms", "--form", str(nowhere / "form.yml")),
    ):
        result = kindred(*command)
        assert result.returncode == 2, result.stderr
        assert f"cannot write {nowhere}" in result.stderr and "Traceback" not in result.stderr


def test_usage_error_exits_2() -> None:
    assert kindred("validate", "--no-such-option").returncode == 2
    assert kindred().returncode == 2


def test_invalid_taxonomy_is_reported_like_the_catalog(tmp_path: Path) -> None:
    taxonomy = tmp_path / "taxonomy.yaml"
    text = TAXONOMY.read_text().replace("multiple: false", "multiple: maybe", 1)
    taxonomy.write_text(text)
    line = text[: text.index("multiple: maybe")].count("\n") + 1
    result = kindred("validate", "--taxonomy", str(taxonomy))
    assert result.returncode == 1
    assert f"{taxonomy}:{line}:15: error: 'multiple' must be true or false" in result.stdout


def test_committed_schema_is_up_to_date() -> None:
    result = kindred("schema", "--check", "-o", "schema/groups.schema.json")
    assert result.returncode == 0, result.stdout + " Run: make schema"


def test_schema_check_notices_a_stale_file(tmp_path: Path) -> None:
    stale = tmp_path / "schema.json"
    stale.write_text("{}\n")
    assert kindred("schema", "--check", "-o", str(stale)).returncode == 1


def test_groups_file_points_editors_at_the_schema() -> None:
    first_line = GROUPS.read_text(encoding="utf-8").splitlines()[0]
    assert first_line == "# yaml-language-server: $schema=../schema/groups.schema.json"


def _as_json_data(path: Path) -> object:
    # YAML dates become date objects; the schema (like an editor) sees them as strings.
    return json.loads(json.dumps(yaml.safe_load(path.read_text(encoding="utf-8")), default=str))


def test_schema_accepts_the_real_catalog_and_rejects_mistakes(taxonomy) -> None:
    schema = build_schema(taxonomy)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    listings = _as_json_data(GROUPS)
    assert list(validator.iter_errors(listings)) == []
    broken = [dict(listings[0], cost="gratis", colour="red")]
    messages = " ".join(error.message for error in validator.iter_errors(broken))
    assert "colour" in messages and "gratis" in messages


def test_ten_thousand_listings_load_and_validate(tmp_path: Path, taxonomy) -> None:
    path = write_synthetic(taxonomy, 10_000, tmp_path / "groups.yaml")
    result = kindred("validate", str(path))
    assert result.returncode == 0, result.stdout[-2000:]
    assert "10000 listings" in result.stdout


def _refused_at_once(*args: str) -> subprocess.CompletedProcess:
    # Before, a named pipe made this wait for a writer forever, and /dev/zero filled memory:
    # the timeout turns such a hang into a failure instead of a stuck test run.
    return subprocess.run(
        [sys.executable, "-m", "kindred.cli", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )


def test_a_path_that_is_not_an_ordinary_file_is_refused_with_exit_2(tmp_path: Path) -> None:
    fifo = tmp_path / "groups.yaml"
    os.mkfifo(fifo)
    cases = {
        ("validate", str(fifo)): f"cannot read {fifo}: it is a named pipe (FIFO)",
        ("validate", "/dev/zero"): "cannot read /dev/zero: it is a device",
        ("validate", str(tmp_path)): f"cannot read {tmp_path}: it is a folder",
        ("validate", "--taxonomy", str(fifo)): f"cannot read {fifo}: it is a named pipe",
        ("stale", "/dev/zero"): "cannot read /dev/zero: it is a device",
    }
    for args, message in cases.items():
        result = _refused_at_once(*args)
        assert result.returncode == 2, (args, result.stdout, result.stderr)
        assert message in result.stderr and "not an ordinary file" in result.stderr
        assert "Traceback" not in result.stderr


def test_a_file_too_large_to_be_a_catalog_is_refused_with_exit_2(tmp_path: Path) -> None:
    huge = tmp_path / "groups.yaml"
    with huge.open("wb") as file:
        file.truncate(201_000_000)  # sparse: takes no room on disk
    result = _refused_at_once("validate", str(huge))
    assert result.returncode == 2
    assert f"cannot read {huge}: it is 201 MB or more; a data file may be at most 200 MB" in (
        result.stderr
    )


def test_absurdly_deep_nesting_is_refused_where_it_goes_too_deep(tmp_path: Path) -> None:
    deep = tmp_path / "groups.yaml"
    deep.write_text("[" * 100_000)
    result = _refused_at_once("validate", str(deep))
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"{deep}:1:33: error: lists and sets of fields are nested more than 32 levels deep "
        "here; no listing needs that many (is a bracket or an indent wrong?)",
        "1 problem found.",
    ]
    blocks = tmp_path / "blocks.yaml"
    blocks.write_text("- " * 50_000 + "x\n")  # block lists nest too: - - - x
    result = _refused_at_once("validate", str(blocks))
    assert result.returncode == 1 and f"{blocks}:1:65: error: lists and sets" in result.stdout
