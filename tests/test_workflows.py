"""GitHub workflows, issue forms, the pull request template and CONTRIBUTING.md: well formed,
pinned, least privilege, and generated from the taxonomy wherever they list its values."""

from __future__ import annotations

import re
import runpy
import shutil
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml

from kindred.catalog.model import LEADING_FIELDS, TRAILING_FIELDS
from kindred.cli import main
from kindred.tools.fieldref import END, START
from tests.conftest import ROOT, TAXONOMY

GITHUB = ROOT / ".github"
WORKFLOWS = sorted((GITHUB / "workflows").glob("*.yml"))
FORMS = sorted(p for p in (GITHUB / "ISSUE_TEMPLATE").glob("*.yml") if p.name != "config.yml")
SUGGEST = GITHUB / "ISSUE_TEMPLATE" / "suggest-a-group.yml"
REPORT = GITHUB / "ISSUE_TEMPLATE" / "report-a-problem.yml"
CONTRIBUTING = ROOT / "CONTRIBUTING.md"
# owner/name[/path]@vN, @vN.N or @vN.N.N: a release tag, never a branch.
PINNED = re.compile(r"^[\w.-]+/[\w./-]+@v\d+(\.\d+){0,2}$")
SETTINGS = runpy.run_path(str(ROOT / "pelicanconf.py"))


def workflow(name: str) -> dict[str, Any]:
    data = yaml.safe_load((GITHUB / "workflows" / name).read_text(encoding="utf-8"))
    # PyYAML follows YAML 1.1, where a bare `on` key is the boolean true.
    data["on"] = data.pop(True)
    return data


def steps(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in data["jobs"].values() for step in job["steps"]]


def expression(text: str) -> str:
    """``text`` as a GitHub Actions expression, ``${{ text }}``."""
    return "${{ " + text + " }}"


def step(data: dict[str, Any], step_id: str) -> dict[str, Any]:
    return next(s for s in steps(data) if s.get("id") == step_id)


def using(data: dict[str, Any], action: str) -> dict[str, Any]:
    return next(s for s in steps(data) if s.get("uses", "").startswith(action + "@"))


def test_the_three_workflows_exist() -> None:
    assert {path.name for path in WORKFLOWS} >= {"pr.yml", "deploy.yml", "weekly.yml"}


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_is_well_formed_and_read_only_by_default(path: Path) -> None:
    data = workflow(path.name)
    assert data["name"] and data["on"] and data["jobs"]
    assert data["permissions"] == {"contents": "read"}
    for job in data["jobs"].values():
        assert job["runs-on"] and job["timeout-minutes"] and job["steps"]
        for item in job["steps"]:
            assert ("uses" in item) != ("run" in item), item


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_action_is_pinned_to_a_version_tag(path: Path) -> None:
    actions = [s["uses"] for s in steps(workflow(path.name)) if "uses" in s]
    assert actions
    for action in actions:
        assert PINNED.match(action), f"{path.name}: pin {action} to a release tag such as @v4"


def test_write_permissions_only_on_the_jobs_that_need_them() -> None:
    needs_write = {
        ("deploy.yml", "deploy"): {"pages", "id-token"},
        ("weekly.yml", "check"): {"issues"},
    }
    for path in WORKFLOWS:
        for job_id, job in workflow(path.name)["jobs"].items():
            permissions = job.get("permissions", {})
            assert isinstance(permissions, dict), f"{path.name}:{job_id} uses a permission preset"
            writes = {scope for scope, level in permissions.items() if level == "write"}
            assert writes == needs_write.get((path.name, job_id), set()), (path.name, job_id)


def test_pull_requests_validate_then_test_then_build_and_upload_the_site() -> None:
    data = workflow("pr.yml")
    assert "pull_request" in data["on"]
    job = data["jobs"]["check"]
    assert job["container"].startswith("python:3.11-")  # Python 3.11 on Debian
    runs = [s.get("run", "") for s in job["steps"]]
    order = [
        next(i for i, run in enumerate(runs) if command in run)
        for command in ("kindred validate", "apt-get install", "make test", ".venv/bin/pelican")
    ]
    assert order == sorted(order)
    assert "scripts/check-prerequisites --packages" in runs[order[1]]  # Chromium, Java, Node
    upload = using(data, "actions/upload-artifact")
    assert upload["with"]["path"].rstrip("/") == "output"


def test_deploy_builds_for_the_pages_address_and_only_the_deploy_job_publishes() -> None:
    data = workflow("deploy.yml")
    assert data["on"]["push"]["branches"] == ["main"]
    assert data["concurrency"]["group"] == "pages"
    build, deploy = data["jobs"]["build"], data["jobs"]["deploy"]
    pages = using(data, "actions/configure-pages")
    assert build["permissions"].get("pages") == "read"  # configure-pages reads the settings
    publish = next(s for s in build["steps"] if "publishconf.py" in s.get("run", ""))
    assert publish["env"]["SITEURL"] == expression(f"steps.{pages['id']}.outputs.base_url")
    assert using(data, "actions/upload-pages-artifact")["with"]["path"].rstrip("/") == "output"
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    deployment = using(data, "actions/deploy-pages")
    assert deploy["environment"] == {
        "name": "github-pages",
        "url": expression(f"steps.{deployment['id']}.outputs.page_url"),
    }


def test_weekly_check_runs_on_a_schedule_and_by_hand() -> None:
    data = workflow("weekly.yml")
    assert "workflow_dispatch" in data["on"]
    (schedule,) = data["on"]["schedule"]
    assert len(schedule["cron"].split()) == 5
    runs = " ".join(s.get("run", "") for s in steps(data))
    assert "kindred check-links --markdown report.md" in runs and "kindred stale" in runs


# The weekly job's shell steps, run for real with stand-ins for `kindred` and `gh`.

FAKE_KINDRED = """#!/bin/sh
case "$1" in
  check-links) printf '## Link check\\n\\n1 definitely broken: `gone-group`\\n' > report.md
               exit "${FAKE_LINKS_EXIT:-0}" ;;
  stale) echo "Never verified (66):"; exit "${FAKE_STALE_EXIT:-0}" ;;
esac
exit 99
"""
FAKE_GH = """#!/bin/sh
echo "$*" >> gh.log
if [ "$1 $2" = "issue list" ]; then echo "$FAKE_ISSUE"; fi
"""


@pytest.fixture
def weekly_dir(tmp_path: Path) -> Path:
    for name, text in ((".venv/bin/kindred", FAKE_KINDRED), ("bin/gh", FAKE_GH)):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        path.chmod(0o755)
    return tmp_path


def run_step(step_id: str, cwd: Path, **env: str) -> subprocess.CompletedProcess:
    script = step(workflow("weekly.yml"), step_id)["run"]
    environment = {
        "PATH": f"{cwd / 'bin'}:/usr/bin:/bin",
        "GITHUB_OUTPUT": str(cwd / "github_output"),
        "RUN_URL": "https://github.example/run/1",
        **env,
    }
    return subprocess.run(
        [shutil.which("bash") or "bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def test_broken_links_are_reported_without_failing_the_job(weekly_dir: Path) -> None:
    assert run_step("links", weekly_dir, FAKE_LINKS_EXIT="1").returncode == 0
    assert run_step("stale", weekly_dir).returncode == 0
    assert (weekly_dir / "github_output").read_text().split() == ["status=1", "status=0"]
    body = run_step("body", weekly_dir, LINKS_STATUS="1", STALE_STATUS="0")
    assert body.returncode == 0, body.stderr
    text = (weekly_dir / "body.md").read_text()
    assert "1 definitely broken: `gone-group`" in text
    assert "```text\nNever verified (66):\n```" in text
    assert run_step("verdict", weekly_dir, LINKS_STATUS="1", STALE_STATUS="0").returncode == 0


def test_a_check_that_could_not_run_still_reports_then_fails_the_job(weekly_dir: Path) -> None:
    assert run_step("links", weekly_dir, FAKE_LINKS_EXIT="2").returncode == 0
    assert run_step("stale", weekly_dir).returncode == 0
    (weekly_dir / "report.md").unlink()
    assert run_step("body", weekly_dir, LINKS_STATUS="2", STALE_STATUS="0").returncode == 0
    assert "did not finish (exit status 2)" in (weekly_dir / "body.md").read_text()
    assert run_step("verdict", weekly_dir, LINKS_STATUS="2", STALE_STATUS="0").returncode == 1


@pytest.mark.parametrize(("open_issue", "expected"), [("7", "issue edit 7"), ("", "issue create")])
def test_one_tracking_issue_is_updated_or_else_opened(
    weekly_dir: Path, open_issue: str, expected: str
) -> None:
    result = run_step("issue", weekly_dir, FAKE_ISSUE=open_issue)
    assert result.returncode == 0, result.stderr
    calls = (weekly_dir / "gh.log").read_text().splitlines()
    assert calls[0].startswith("label create link-check")
    assert calls[1].startswith("issue list --label link-check --state open")
    assert len(calls) == 3 and calls[2].startswith(expected)
    assert "--body-file body.md" in calls[2]
    if not open_issue:
        assert "--label link-check" in calls[2]


# Issue forms.

ITEM_KINDS = {"markdown", "input", "textarea", "dropdown", "checkboxes"}


def form(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", FORMS, ids=lambda p: p.name)
def test_issue_form_follows_the_schema(path: Path) -> None:
    data = form(path)
    assert data["name"] and data["description"] and data["body"]
    ids = [item["id"] for item in data["body"] if "id" in item]
    assert len(ids) == len(set(ids))
    for item in data["body"]:
        assert item["type"] in ITEM_KINDS, item
        attributes = item["attributes"]
        if item["type"] == "markdown":
            assert attributes["value"] and "id" not in item
            continue
        assert re.fullmatch(r"[A-Za-z0-9_-]+", item["id"]) and attributes["label"]
        assert isinstance(item.get("validations", {}).get("required", False), bool)
        if item["type"] in ("dropdown", "checkboxes"):
            options = attributes["options"]
            labels = [o["label"] if isinstance(o, dict) else o for o in options]
            assert labels and all(labels) and len(labels) == len(set(labels))


def test_suggest_form_has_one_dropdown_per_facet_with_exactly_its_values(taxonomy) -> None:
    dropdowns = {i["id"]: i for i in form(SUGGEST)["body"] if i["type"] == "dropdown"}
    assert list(dropdowns) == [facet.field for facet in taxonomy.facets]
    for facet in taxonomy.facets:
        attributes = dropdowns[facet.field]["attributes"]
        assert attributes["multiple"] is facet.multiple
        chosen = [re.fullmatch(r"(.+) \(([a-z0-9-]+)\)", o).groups() for o in attributes["options"]]
        assert chosen == [(value.label, value.slug) for value in facet.values]


def test_suggest_form_asks_for_the_catalog_fields_and_a_confirmation() -> None:
    body = form(SUGGEST)["body"]
    ids = {item.get("id") for item in body}
    assert {spec.name for spec in LEADING_FIELDS if spec.name != "id"} <= ids
    (confirm,) = [item for item in body if item["type"] == "checkboxes"]
    options = confirm["attributes"]["options"]
    assert all(option["required"] for option in options)
    wording = " ".join(option["label"] for option in options).lower()
    assert "real" in wording and "official" in wording and "paying" in wording


def test_report_form_is_filled_in_by_the_link_on_each_listing_page() -> None:
    report_url = urlsplit(SETTINGS["KINDRED_REPORT_URL"].format(id="wrong-planet"))
    query = parse_qs(report_url.query)
    assert (GITHUB / "ISSUE_TEMPLATE" / query.pop("template")[0]).is_file()
    query.pop("title")
    body = form(REPORT)["body"]
    ids = {item.get("id") for item in body}
    assert set(query) == {"listing"} and "listing" in ids
    (problem,) = [item for item in body if item["type"] == "dropdown"]
    options = " ".join(problem["attributes"]["options"]).lower()
    assert all(word in options for word in ("closed", "broken", "wrong", "else"))


def test_blank_issues_are_off_and_people_in_crisis_are_pointed_to_get_help() -> None:
    config = form(GITHUB / "ISSUE_TEMPLATE" / "config.yml")
    assert config["blank_issues_enabled"] is False
    (link,) = config["contact_links"]
    assert (
        link["url"] == SETTINGS["KINDRED_REPOSITORY_URL"] + "/blob/main/content/pages/get-help.md"
    )
    assert (ROOT / "content" / "pages" / "get-help.md").is_file()
    assert "crisis" in link["name"].lower() and link["about"]


def test_pull_request_template_is_a_checklist() -> None:
    text = (GITHUB / "PULL_REQUEST_TEMPLATE.md").read_text(encoding="utf-8")
    items = re.findall(r"^- \[ \] (.+)$", text, flags=re.MULTILINE)
    assert len(items) >= 6
    assert "kindred validate" in text and "own words" in text and "official" in text


# Generated files.


def forms_command(*args: str, form_path: Path = SUGGEST, guide: Path = CONTRIBUTING) -> int:
    paths = ["--form", str(form_path), "--contributing", str(guide), "--taxonomy", str(TAXONOMY)]
    return main(["forms", *args, *paths])


def test_committed_form_and_field_reference_are_up_to_date() -> None:
    assert forms_command("--check") == 0, "run: .venv/bin/kindred forms"


def test_forms_check_notices_stale_files_and_writing_fixes_only_the_reference(
    tmp_path: Path,
) -> None:
    form_path, guide = tmp_path / "form.yml", tmp_path / "CONTRIBUTING.md"
    guide.write_text(f"# Before\n\n{START}\nold table\n{END}\n\nAfter.\n")
    assert forms_command("--check", form_path=form_path, guide=guide) == 1
    assert not form_path.exists()
    assert forms_command(form_path=form_path, guide=guide) == 0
    assert forms_command("--check", form_path=form_path, guide=guide) == 0
    text = guide.read_text()
    assert text.startswith(f"# Before\n\n{START}\n") and text.endswith(f"{END}\n\nAfter.\n")
    assert "old table" not in text
    assert form_path.read_text() == SUGGEST.read_text()


def test_forms_refuses_a_guide_without_markers(tmp_path: Path) -> None:
    guide = tmp_path / "CONTRIBUTING.md"
    guide.write_text("# No markers here\n")
    assert forms_command(form_path=tmp_path / "form.yml", guide=guide) == 2
    assert guide.read_text() == "# No markers here\n"


def test_field_reference_documents_every_field_and_value(taxonomy) -> None:
    text = CONTRIBUTING.read_text(encoding="utf-8")
    reference = text[text.index(START) : text.index(END)]
    for spec in (*LEADING_FIELDS, *TRAILING_FIELDS):
        needed = "required" if spec.required else "optional"
        assert f"| `{spec.name}` | {needed} |" in reference
    for facet in taxonomy.facets:
        assert f"| `{facet.field}` | required |" in reference
        for value in facet.values:
            assert f"| `{value.slug}` | {value.label} | {value.description} |" in reference
