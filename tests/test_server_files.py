"""The web server files the build writes: one policy, said the same way to every server."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from kindred.site.server_files import (
    IMMUTABLE,
    REVALIDATE,
    header_policy,
    htaccess_file,
    meta_policy,
    nginx_file,
    rules,
)
from kindred.site.settings import SettingsError, apply_defaults_and_check
from tests.headers_file import headers_for, parse_headers, read_rules
from tests.site_helpers import build_site, html_files, read_page

ORIGIN = "https://intranet.example"
SITE = "https://support.example/wellbeing/"


def test_the_header_policy_is_the_pages_policy_with_frame_ancestors() -> None:
    assert header_policy([ORIGIN]) == meta_policy() + f"; frame-ancestors 'self' {ORIGIN}"
    assert "frame-ancestors" not in meta_policy()  # a meta tag cannot carry it
    assert header_policy([]).endswith("frame-ancestors 'self'")


def test_no_header_is_set_by_two_rules_that_can_meet() -> None:
    found = rules([ORIGIN])
    for first in found:
        for second in found:
            overlap = first is not second and (
                first.prefix.startswith(second.prefix) or second.prefix.startswith(first.prefix)
            )
            if overlap:
                names = {n for n, _ in first.headers} & {n for n, _ in second.headers}
                assert not names, (first.prefix, second.prefix)


@pytest.fixture(scope="module")
def output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("server-files") / "output"
    return build_site(
        folder, SITEURL=SITE.rstrip("/"), RELATIVE_URLS=False, KINDRED_FRAME_ANCESTORS=[ORIGIN]
    )


def test_the_build_writes_headers_for_every_kind_of_host(output: Path) -> None:
    site_rules = read_rules(output)
    page = headers_for(site_rules, "/wellbeing/groups/")
    assert page == {
        "Content-Security-Policy": header_policy([ORIGIN]),
        "Referrer-Policy": "no-referrer",
        "X-Content-Type-Options": "nosniff",
        "Permissions-Policy": rules([])[0].headers[3][1],
    }
    fragment = next((output / "pagefind" / "fragment").iterdir()).name
    assert (
        headers_for(site_rules, f"/wellbeing/pagefind/fragment/{fragment}")["Cache-Control"]
        == IMMUTABLE
    )
    assert headers_for(site_rules, "/wellbeing/search/facets.json")["Cache-Control"] == REVALIDATE
    assert "Cache-Control" not in headers_for(site_rules, "/wellbeing/pagefind/pagefind.js")
    # Apache and nginx are told the same, under the same path.
    htaccess = (output / ".htaccess").read_text(encoding="utf-8")
    nginx = (output / "nginx.conf").read_text(encoding="utf-8")
    assert htaccess == htaccess_file([ORIGIN], SITE) and nginx == nginx_file([ORIGIN], SITE)
    for rule in rules([ORIGIN]):
        for name, value in rule.headers:
            assert (
                f'Header always set {name} "{value}"' in htaccess
                or f'Header set {name} "{value}"' in htaccess
            )
            assert f'add_header {name} "{value}" always;' in nginx
    assert "ErrorDocument 404 /wellbeing/404.html" in htaccess
    assert "error_page 404 /wellbeing/404.html;" in nginx
    assert re.search(r"gzip_types [^;]*application/json", nginx)


def test_every_page_says_the_same_policy_as_the_headers(output: Path) -> None:
    for file in html_files(output):
        metas = {a.get("http-equiv"): a.get("content") for a in read_page(file).attrs("meta")}
        assert metas["Content-Security-Policy"] == meta_policy(), file


def test_a_headers_file_reads_as_hosts_read_it() -> None:
    found = parse_headers("# comment\n/a/*\n  X-One: 1\n/a/b/*\n  X-Two: 2\n")
    assert headers_for(found, "/a/b/c") == {"X-One": "1", "X-Two": "2"}
    assert headers_for(found, "/b/") == {}
    with pytest.raises(ValueError, match="_headers:2"):
        parse_headers("/a/*\n  no header here\n")


def _nginx() -> str | None:
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/sbin/nginx") if Path(p).is_file()), None
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def nginx(output: Path, tmp_path: Path) -> Iterator[str]:
    """A real nginx on 127.0.0.1 serving the built site with the snippet the build wrote."""
    binary = _nginx()
    if binary is None:
        message = "nginx is not installed (apt-get install nginx-light)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    (tmp_path / "wellbeing").symlink_to(output)  # the site's path under the server's root
    port = _free_port()
    config = tmp_path / "server.conf"
    config.write_text(
        f"""
daemon off;
user root;
pid {tmp_path}/nginx.pid;
error_log {tmp_path}/error.log;
events {{}}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path {tmp_path}/body;
    proxy_temp_path {tmp_path}/proxy;
    fastcgi_temp_path {tmp_path}/fastcgi;
    uwsgi_temp_path {tmp_path}/uwsgi;
    scgi_temp_path {tmp_path}/scgi;
    server {{
        listen 127.0.0.1:{port};
        root {tmp_path};
        include {output / "nginx.conf"};
    }}
}}
""",
        encoding="utf-8",
    )
    checked = subprocess.run([binary, "-t", "-c", str(config)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    server = subprocess.Popen([binary, "-c", str(config)], stderr=subprocess.PIPE)
    address = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(address + "/wellbeing/", timeout=1).close()
            break
        except OSError:
            time.sleep(0.05)
    yield address
    server.terminate()
    server.wait(timeout=10)


def _get(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_nginx_serves_the_site_as_the_snippet_says(nginx: str, output: Path) -> None:
    status, headers, _ = _get(nginx + "/wellbeing/groups/")
    assert status == 200
    assert headers["Content-Security-Policy"] == header_policy([ORIGIN])
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"
    fragment = next((output / "pagefind" / "fragment").iterdir()).name
    status, headers, _ = _get(f"{nginx}/wellbeing/pagefind/fragment/{fragment}")
    assert (status, headers["Cache-Control"]) == (200, IMMUTABLE)
    assert headers["X-Content-Type-Options"] == "nosniff"  # kept in the nested location
    status, headers, body = _get(
        nginx + "/wellbeing/search/cards-0.bin", **{"Accept-Encoding": "gzip"}
    )
    assert (status, headers["Cache-Control"]) == (200, REVALIDATE)
    assert "Content-Encoding" not in headers and body[:2] == b"\x1f\x8b"  # sent as built
    _, headers, _ = _get(nginx + "/wellbeing/theme/css/kindred.css", **{"Accept-Encoding": "gzip"})
    assert headers.get("Content-Encoding") == "gzip"
    status, headers, body = _get(nginx + "/wellbeing/no/such/page/")
    assert status == 404 and b"Page not found" in body
    assert headers["Content-Security-Policy"] == header_policy([ORIGIN])
    assert _get(nginx + "/wellbeing/_headers")[0] == 404
    assert (output / ".kindred-build").exists()
    assert _get(nginx + "/wellbeing/.kindred-build")[0] == 404  # nor the build's own marker
    assert _get(nginx + "/wellbeing/search/.hidden")[0] == 404
    known = output / ".well-known"
    known.mkdir(exist_ok=True)
    (known / "security.txt").write_text("Contact: mailto:security@example.org\n", "utf-8")
    assert _get(nginx + "/wellbeing/.well-known/security.txt")[0] == 200  # certificates too


@pytest.mark.parametrize(
    "origins",
    [["intranet.example"], ["https://intranet.example/path"], ["https://a.example; script-src *"]],
)
def test_frame_ancestors_must_be_web_origins(origins: list[str]) -> None:
    with pytest.raises(SettingsError, match="KINDRED_FRAME_ANCESTORS must hold web origins"):
        apply_defaults_and_check({"KINDRED_FRAME_ANCESTORS": origins})
