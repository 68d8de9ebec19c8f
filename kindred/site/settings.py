"""Every KINDRED_* setting: its default, what it means, and the check it must pass.

Pelican reads settings from pelicanconf.py (or publishconf.py, or `pelican -e`); the plugin
fills in the defaults below and checks every value when Pelican starts, so a deployment with a
wrong value stops at once with a message naming the setting, never half-way with a KeyError.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from kindred.catalog import DEFAULT_GROUPS, DEFAULT_TAXONOMY
from kindred.catalog.eap import EAP_FIELDS, field_problem, missing_problems
from kindred.catalog.helplines import DEFAULT_HELPLINES
from kindred.catalog.staleness import DEFAULT_DAYS

Check = Callable[[Any], str | None]  # a description of what is wrong, or None


class SettingsError(Exception):
    """A setting has a wrong type or value; the message names it."""


def _text(value: Any) -> str | None:
    return None if isinstance(value, str) and value.strip() else "must be non-empty text"


def _whole(low: int, high: int) -> Check:
    def check(value: Any) -> str | None:
        ok = isinstance(value, int) and not isinstance(value, bool) and low <= value <= high
        return None if ok else f"must be a whole number from {low} to {high}"

    return check


def _seconds(value: Any) -> str | None:
    ok = isinstance(value, int | float) and not isinstance(value, bool) and 0 < value <= 86_400
    return None if ok else "must be a number of seconds above 0 (at most a day)"


def _web_address(value: Any) -> str | None:
    if not isinstance(value, str):
        return "must be a web address in quotes"
    parts = urlsplit(value)
    ok = parts.scheme in ("http", "https") and bool(parts.netloc) and " " not in value
    return None if ok else "must be an http:// or https:// address"


def _optional(check: Check) -> Check:
    return lambda value: None if value in (None, "") else check(value)


def _report_url(value: Any) -> str | None:
    problem = _web_address(value)
    if problem is None and "{id}" not in value:
        return "must contain {id}, where the listing's id goes"
    return problem


def _hosts(value: Any) -> str | None:
    ok = isinstance(value, list | tuple) and all(isinstance(h, str) and h for h in value)
    return None if ok else 'must be a list of host names, such as ["doi.org"]'


def _regions(value: Any) -> str | None:
    if value is None:
        return None
    ok = isinstance(value, list | tuple) and all(isinstance(r, str) and r for r in value)
    return None if ok else 'must be a list of region slugs, such as ["gb", "ie"], or None'


def _eap(value: Any) -> str | None:
    """The same rules as an overlay's eap (kindred.catalog.eap)."""
    if value is None:
        return None
    if not isinstance(value, dict) or not isinstance(value.get("name"), str):
        return 'must be None or a dictionary with at least a "name"'
    unknown = sorted(set(value) - set(EAP_FIELDS))
    if unknown:
        return f"has unknown keys: {', '.join(unknown)} (allowed: {', '.join(EAP_FIELDS)})"
    for field, text in value.items():
        if not isinstance(text, str):
            return f'has a "{field}" that is not text (put it in quotes)'
        problem = field_problem(field, text) if text else None
        if problem:
            return problem
    problems = missing_problems(value)
    if problems:
        return problems[0].replace("'eap' ", "", 1)  # "KINDRED_EAP needs…"
    return _web_address(value["url"]) if value.get("url") else None


def _overlay(value: Any) -> str | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str | Path):
        return "must be None or the path of a folder, in quotes"
    if not Path(value).is_dir():
        return "must name a folder that exists"
    if not (Path(value) / "overlay.yaml").is_file():
        return "must name a folder that holds an overlay.yaml"
    return None


def _origins(value: Any) -> str | None:
    if not isinstance(value, list | tuple):
        return 'must be a list of web origins, such as ["https://intranet.example"]'
    for origin in value:
        parts = urlsplit(origin) if isinstance(origin, str) else None
        if (
            parts is None
            or parts.scheme not in ("http", "https")
            or not parts.netloc
            or parts.path not in ("", "/")
            or parts.query
            or any(char in origin for char in " ;,'\"")
        ):
            return f"must hold web origins such as https://intranet.example; {origin!r} is not one"
    return None


# The settings that name the data files a site is built from.
DATA_SETTINGS = ("KINDRED_GROUPS", "KINDRED_TAXONOMY", "KINDRED_HELPLINES")


@dataclass(frozen=True, slots=True)
class Setting:
    name: str
    default: Any
    check: Check
    help: str


SETTINGS = (
    Setting("KINDRED_GROUPS", str(DEFAULT_GROUPS), _text, "the listings file"),
    Setting("KINDRED_TAXONOMY", str(DEFAULT_TAXONOMY), _text, "the taxonomy file"),
    Setting("KINDRED_HELPLINES", str(DEFAULT_HELPLINES), _text, "the helplines file"),
    Setting(
        "KINDRED_REPORT_URL",
        "",
        _optional(_report_url),
        'where "Report a problem with this listing" leads; {id} is the listing id '
        "(no link when empty)",
    ),
    Setting(
        "KINDRED_REPOSITORY_URL", "", _optional(_web_address), "the catalog's public repository"
    ),
    Setting(
        "KINDRED_STALE_DAYS",
        DEFAULT_DAYS,
        _whole(1, 3650),
        "after how many days without a check a listing shows a gentle note",
    ),
    Setting("KINDRED_PAGE_SIZE", 20, _whole(1, 500), "groups per page in lists without JavaScript"),
    Setting(
        "KINDRED_EAP",
        None,
        _eap,
        "an employer's Employee Assistance Programme, shown on every page",
    ),
    Setting(
        "KINDRED_EXTERNAL_HOSTS",
        [],
        _hosts,
        "hosts guidance may link to besides the listings' own sites",
    ),
    Setting(
        "KINDRED_CRISIS_REGIONS",
        None,
        _regions,
        "regions whose crisis lines the band on every page shows first (None: those the "
        "helplines file marks in_band)",
    ),
    Setting(
        "KINDRED_OVERLAY",
        None,
        _overlay,
        "a folder holding an organisation's own edition (overlay.yaml: name, logo, colours, "
        "welcome, EAP, own listings, hidden listings, crisis regions)",
    ),
    Setting(
        "KINDRED_FRAME_ANCESTORS",
        [],
        _origins,
        "web origins allowed to show the site in a frame (for the embedded finder); sent in "
        "the Content-Security-Policy header the build writes for web servers",
    ),
    Setting(
        "KINDRED_QUICK_EXIT_URL",
        "https://www.bbc.co.uk/weather",
        _web_address,
        'where "Exit this page" goes: a neutral site',
    ),
    Setting(
        "KINDRED_INDEX_TIMEOUT",
        600,
        _seconds,
        "seconds the search indexer may take before the build fails",
    ),
)


def apply_defaults(settings: dict[str, Any]) -> None:
    """Fill in every missing KINDRED_* setting with its default."""
    for setting in SETTINGS:
        settings.setdefault(setting.name, setting.default)


def apply_defaults_and_check(settings: dict[str, Any]) -> None:
    """Fill in every missing KINDRED_* setting and check them all.

    Raises SettingsError naming each setting that is wrong, and any KINDRED_* name that is
    not a setting at all (a typo would otherwise be ignored silently).
    """
    known = {setting.name for setting in SETTINGS}
    problems = [
        f"{name} is not a Kindred setting"
        for name in settings
        if name.startswith("KINDRED_") and name not in known
    ]
    apply_defaults(settings)
    for setting in SETTINGS:
        value = settings[setting.name]
        problem = setting.check(value)
        if problem:
            problems.append(f"{setting.name} {problem} ({setting.help}); it is {value!r}")
    if problems:
        raise SettingsError("\n".join(f"setting {p}" for p in problems))


class SettingsUnreadable(Exception):
    """A settings file that cannot be used; the message says why, in one line."""


def read_site_settings(path: Path) -> dict[str, Any]:
    """Pelican's settings from the file ``path`` (Python, as `pelican -s` takes). Raises
    SettingsUnreadable when it is missing, not Python, or fails when it runs."""
    from pelican.settings import read_settings  # Pelican only when settings are read

    if not path.is_file():
        raise SettingsUnreadable(f"cannot read the settings file {path}: no such file")
    if path.suffix != ".py":
        raise SettingsUnreadable(
            f"{path} is not a settings file: Pelican's settings are Python, in a .py file"
        )
    try:
        return read_settings(str(path))
    except SyntaxError as error:
        where = f"{error.filename}:{error.lineno}:{error.offset or 1}"
        message = f"{where}: the settings file is not valid Python: {error.msg}"
        raise SettingsUnreadable(message) from None
    except Exception as error:  # the file is code of its own: any mistake in it stops here
        raise SettingsUnreadable(
            f"cannot use the settings file {path}: {type(error).__name__}: {error}"
        ) from None
