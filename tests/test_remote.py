"""The guarded fetch of ``?data=<address>`` (chronology.formats.remote), against a local server.

The local server is reachable only because each test that uses it turns on the tests-only
setting (``CHRONOLOGY_FETCH_ALLOW_LOCAL=1``); without it the same addresses are refused.
"""

from __future__ import annotations

import http.server
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import ClassVar

import pytest

from chronology import formats
from chronology.formats import remote

FIXTURES = Path(__file__).parent / "fixtures" / "imports"
SHEET = (FIXTURES / "timelinejs-sheet.csv").read_bytes()


class _Handler(http.server.BaseHTTPRequestHandler):
    routes: ClassVar[dict[str, Callable[[http.server.BaseHTTPRequestHandler], None]]] = {}
    hits: ClassVar[dict[str, int]] = {}

    def do_GET(self) -> None:
        self.hits[self.path] = self.hits.get(self.path, 0) + 1
        route = self.routes.get(self.path)
        if route is None:
            self.send_error(404)
            return
        route(self)

    def log_message(self, *args: object) -> None:
        pass


def _body(data: bytes, status: int = 200, headers: dict[str, str] | None = None) -> Callable:
    def send(h: http.server.BaseHTTPRequestHandler) -> None:
        h.send_response(status)
        for k, v in (headers or {}).items():
            h.send_header(k, v)
        h.send_header("Content-Length", str(len(data)))
        h.end_headers()
        h.wfile.write(data)

    return send


def _redirect(to: str) -> Callable:
    return _body(b"", 302, {"Location": to})


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, type[_Handler]]]:
    """A local HTTP server (its base address and handler class), the tests-only setting on."""
    monkeypatch.setenv(remote.ALLOW_LOCAL_ENV, "1")
    remote.clear_cache()

    class Handler(_Handler):
        routes: ClassVar[dict[str, Callable]] = {}
        hits: ClassVar[dict[str, int]] = {}

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", Handler
    httpd.shutdown()
    httpd.server_close()
    remote.clear_cache()


def test_a_csv_is_fetched_and_reads_as_an_upload_would(server) -> None:
    base, handler = server
    handler.routes["/sheet.csv"] = _body(SHEET, headers={"Content-Type": "text/html"})
    fetched = remote.fetch(f"{base}/sheet.csv")
    assert fetched.data == SHEET and fetched.file == "sheet.csv"
    imported = formats.read_file(fetched.data, fetched.file)
    assert imported.layout == "timelinejs"
    assert len(formats.to_dataset(imported).events) > 0


def test_json_is_sniffed_not_taken_from_the_name(server) -> None:
    base, handler = server
    handler.routes["/data.csv"] = _body(b'{"events": []}', headers={"Content-Type": "text/csv"})
    assert remote.fetch(f"{base}/data.csv").file == "remote.json"


def test_a_web_page_is_refused_with_the_way_to_the_table(server) -> None:
    base, handler = server
    handler.routes["/page"] = _body(b"<!doctype html><html><body>hi</body></html>")
    with pytest.raises(remote.RemoteError, match=r"web page, not a table.*Publish to web"):
        remote.fetch(f"{base}/page")


def test_a_binary_file_is_refused(server) -> None:
    base, handler = server
    handler.routes["/x.csv"] = _body(b"a,b\x00\x01\x02")
    with pytest.raises(remote.RemoteError, match="binary"):
        remote.fetch(f"{base}/x.csv")


def test_an_address_is_fetched_once_within_the_cache_time(server) -> None:
    base, handler = server
    handler.routes["/sheet.csv"] = _body(SHEET)
    first = remote.fetch(f"{base}/sheet.csv")
    second = remote.fetch(f"{base}/sheet.csv")
    assert first is second and handler.hits["/sheet.csv"] == 1


def test_a_redirect_to_a_private_or_metadata_address_is_refused(server) -> None:
    base, handler = server
    handler.routes["/go"] = _redirect("http://169.254.169.254/latest/meta-data/")
    with pytest.raises(remote.RemoteError, match="link-local address"):
        remote.fetch(f"{base}/go")
    handler.routes["/go2"] = _redirect("http://10.1.2.3/x.csv")
    with pytest.raises(remote.RemoteError, match="private address"):
        remote.fetch(f"{base}/go2")


def test_a_redirect_to_an_allowed_address_is_followed_and_capped(server) -> None:
    base, handler = server
    handler.routes["/sheet.csv"] = _body(SHEET)
    handler.routes["/old"] = _redirect("/sheet.csv")
    assert remote.fetch(f"{base}/old").data == SHEET
    handler.routes["/loop"] = _redirect("/loop")
    with pytest.raises(remote.RemoteError, match="redirects more than"):
        remote.fetch(f"{base}/loop")


def test_more_than_10_mb_is_refused_with_or_without_a_length(server) -> None:
    base, handler = server
    big = b"a,b\n" + b"1,2\n" * (remote.MAX_BYTES // 4)
    handler.routes["/big.csv"] = _body(big)

    def unsized(h: http.server.BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Connection", "close")
        h.end_headers()
        for i in range(0, len(big), 1 << 16):
            try:
                h.wfile.write(big[i : i + (1 << 16)])
            except OSError:
                return

    handler.routes["/unsized.csv"] = unsized
    for path in ("/big.csv", "/unsized.csv"):
        with pytest.raises(remote.RemoteError, match="larger than 10 MB"):
            remote.fetch(f"{base}{path}")


def test_a_slow_server_is_cut_off(server, monkeypatch: pytest.MonkeyPatch) -> None:
    base, handler = server
    monkeypatch.setattr(remote, "TIMEOUT", 1.0)

    def slow(h: http.server.BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Length", "1000")
        h.end_headers()
        for _ in range(40):  # a byte now and then: each read returns, the whole never ends
            try:
                h.wfile.write(b"a")
                h.wfile.flush()
            except OSError:
                return
            time.sleep(0.1)

    handler.routes["/slow.csv"] = slow
    started = time.monotonic()
    with pytest.raises(remote.RemoteError, match="longer than 1 s"):
        remote.fetch(f"{base}/slow.csv")
    assert time.monotonic() - started < 2.5


def test_an_error_status_says_so(server) -> None:
    base, _ = server
    with pytest.raises(remote.RemoteError, match="answered 404"):
        remote.fetch(f"{base}/missing.csv")


def test_without_the_setting_http_and_loopback_are_refused(server, monkeypatch) -> None:
    base, handler = server
    handler.routes["/sheet.csv"] = _body(SHEET)
    monkeypatch.delenv(remote.ALLOW_LOCAL_ENV)
    with pytest.raises(remote.RemoteError, match="Only https"):
        remote.fetch(f"{base}/sheet.csv")
    port = base.rsplit(":", 1)[1]
    for host in ("127.0.0.1", "localhost", "[::1]", "[::ffff:127.0.0.1]"):
        with pytest.raises(remote.RemoteError, match="loopback address"):
            remote.fetch(f"https://{host}:{port}/sheet.csv")
    assert handler.hits == {}  # refused before any connection


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("https://10.0.0.1/x.csv", "private"),
        ("https://192.168.1.1/x.csv", "private"),
        ("https://169.254.169.254/latest/meta-data/", "link-local"),
        ("https://[fe80::1]/x.csv", "link-local"),
        ("https://224.0.0.1/x.csv", "multicast"),
        ("https://0.0.0.0/x.csv", "unspecified"),
        ("https://100.64.0.1/x.csv", "non-public"),
        ("https://[fc00::1]/x.csv", "private"),
    ],
)
def test_non_public_addresses_are_refused_by_name(address: str, kind: str) -> None:
    with pytest.raises(remote.RemoteError, match=f"{kind} address"):
        remote.fetch(address)


@pytest.mark.parametrize(
    "address",
    ["ftp://example.org/x.csv", "file:///etc/passwd", "http://example.org/x.csv", "x.csv"],
)
def test_only_https_is_fetched(address: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(remote.ALLOW_LOCAL_ENV, raising=False)
    with pytest.raises(remote.RemoteError, match="Only https"):
        remote.fetch(address)


def test_a_google_sheet_address_becomes_its_csv() -> None:
    published = "https://docs.google.com/spreadsheets/d/e/2PACX-1vAbc_d-9/pubhtml"
    assert remote.sheet_csv_address(published) == (
        "https://docs.google.com/spreadsheets/d/e/2PACX-1vAbc_d-9/pub?output=csv"
    )
    edit = "https://docs.google.com/spreadsheets/d/1xYz-AB_c/edit#gid=42"
    assert remote.sheet_csv_address(edit) == (
        "https://docs.google.com/spreadsheets/d/1xYz-AB_c/export?format=csv&gid=42"
    )
    other = "https://example.org/spreadsheets/d/1xYz/edit"
    assert remote.sheet_csv_address(other) == other
