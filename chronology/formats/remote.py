"""A timeline fetched from a web address (``?data=<https address>``), fetched with guards.

What a visitor's link can make the server fetch is limited: ``https`` only; the host's every
address is resolved once and checked (no loopback, private, link-local, multicast, reserved or
otherwise non-global address), then the connection goes to that checked address (no second
lookup that could answer differently); each redirect is checked the same way, at most
:data:`MAX_REDIRECTS`; at most :data:`MAX_BYTES` read and :data:`TIMEOUT` seconds spent in all.
What comes back is sniffed, never trusted by its Content-Type: a web page is refused with the
way to get the table instead. A fetched address is kept for :data:`CACHE_SECONDS`, so a page
switch or a second visitor does not fetch it again.

A published Google Sheet's address (``…/spreadsheets/d/<id>/…`` or ``…/d/e/<id>/pubhtml``) is
turned into the address of its CSV. Usage::

    fetched = fetch("https://example.org/my-timeline.csv")   # RemoteError with a clear message
    imported = read_file(fetched.data, fetched.file)

Tests serve files from a local HTTP server: the environment variable :data:`ALLOW_LOCAL_ENV`
set to ``1`` (off by default) also lets ``http`` and loopback addresses through, and nothing
else.
"""

from __future__ import annotations

import http.client
import ipaddress
import os
import re
import socket
import ssl
import threading
import time
from dataclasses import dataclass
from http.client import HTTPConnection, HTTPResponse
from urllib.parse import parse_qs, urljoin, urlsplit

__all__ = [
    "ALLOW_LOCAL_ENV",
    "CACHE_SECONDS",
    "MAX_BYTES",
    "TIMEOUT",
    "Fetched",
    "RemoteError",
    "fetch",
    "sheet_csv_address",
]

MAX_BYTES = 10 * 1024 * 1024
"""The most bytes read from an address (the upload limit)."""
TIMEOUT = 15.0
"""The most seconds a fetch takes, redirects and reading included."""
MAX_REDIRECTS = 5
CACHE_SECONDS = 300.0
"""How long a fetched address is kept."""
CACHE_ENTRIES = 16
MAX_ADDRESS = 2000
ALLOW_LOCAL_ENV = "CHRONOLOGY_FETCH_ALLOW_LOCAL"
"""``1`` lets ``http`` and loopback addresses through: for tests only, off by default."""

_SHEET = re.compile(r"^/spreadsheets/d/(e/)?([A-Za-z0-9_-]+)")


class RemoteError(Exception):
    """The address was refused or could not be read; the message says why, for the visitor."""


@dataclass(frozen=True)
class Fetched:
    """What an address gave: the bytes, a file name for the readers, and the final address."""

    address: str
    file: str
    data: bytes


def _allow_local() -> bool:
    return os.environ.get(ALLOW_LOCAL_ENV, "") == "1"


def sheet_csv_address(address: str) -> str:
    """A Google Sheet's address as the address of its CSV (other addresses as they are)."""
    parts = urlsplit(address)
    if parts.hostname != "docs.google.com":
        return address
    found = _SHEET.match(parts.path)
    if not found:
        return address
    gid = parse_qs(parts.query).get("gid") or re.findall(r"gid=([0-9]+)", parts.fragment)
    tail = f"&gid={gid[0]}" if gid and gid[0].isdigit() else ""
    if found.group(1):  # published to the web: /d/e/<id>/pubhtml, /pub?output=…
        return f"https://docs.google.com/spreadsheets/d/e/{found.group(2)}/pub?output=csv{tail}"
    return f"https://docs.google.com/spreadsheets/d/{found.group(2)}/export?format=csv{tail}"


def _check_ip(ip: ipaddress.IPv4Address | ipaddress.IPv6Address, host: str) -> None:
    """Refuse an address that is not a public one (loopback only when tests allow it)."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_loopback and _allow_local():
        return
    kind = next(
        (
            name
            for name, bad in (
                ("a loopback", ip.is_loopback),
                ("a link-local", ip.is_link_local),
                ("a multicast", ip.is_multicast),
                ("an unspecified", ip.is_unspecified),
                ("a private", ip.is_private),
                ("a reserved", ip.is_reserved),
                ("a non-public", not ip.is_global),
            )
            if bad
        ),
        None,
    )
    if kind:
        raise RemoteError(
            f"{host} leads to {kind} address ({ip}), which this app does not fetch: "
            "give the address of a file published on the web."
        )


def _resolve(host: str, port: int) -> str:
    """The host's checked address to connect to; every address it resolves to is checked."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise RemoteError(f"The host {host} could not be found ({exc}).") from None
    ips = []
    for info in infos:
        ip = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        _check_ip(ip, host)
        ips.append(ip)
    if not ips:
        raise RemoteError(f"The host {host} could not be found.")
    return str(ips[0])


class _PinnedHTTPS(http.client.HTTPSConnection):
    """HTTPS to a checked IP address, with the host name for the certificate and SNI."""

    def __init__(self, host: str, ip: str, port: int, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._ip = ip

    def connect(self) -> None:
        sock = socket.create_connection((self._ip, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


class _PinnedHTTP(http.client.HTTPConnection):
    """Plain HTTP to a checked IP address (tests only: see :data:`ALLOW_LOCAL_ENV`)."""

    def __init__(self, host: str, ip: str, port: int, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._ip = ip

    def connect(self) -> None:
        self.sock = socket.create_connection((self._ip, self.port), self.timeout)


def _open(address: str, deadline: float) -> tuple[HTTPConnection, HTTPResponse]:
    """One request to a checked address (no redirect followed)."""
    parts = urlsplit(address)
    scheme = parts.scheme.lower()
    if scheme != "https" and not (scheme == "http" and _allow_local()):
        raise RemoteError(
            f"Only https addresses are fetched, not {scheme or 'this'}: "
            "give the file's https:// address."
        )
    host = parts.hostname
    if not host:
        raise RemoteError("The address names no host.")
    if parts.username or parts.password:
        raise RemoteError("An address with a user name or password is not fetched.")
    try:
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError:
        raise RemoteError("The address's port is not a number.") from None
    ip = _resolve(host, port)
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise RemoteError(f"The address took longer than {TIMEOUT:.0f} s to answer.")
    kind = _PinnedHTTPS if scheme == "https" else _PinnedHTTP
    conn = kind(host, ip, port, remaining)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        conn.request(
            "GET",
            path,
            headers={
                "User-Agent": "chronology-dashboard",
                "Accept": "text/csv, application/json, */*",
            },
        )
        return conn, conn.getresponse()
    except ssl.SSLError as exc:
        conn.close()
        why = exc.reason or exc
        raise RemoteError(f"{host}'s certificate could not be checked ({why}).") from None
    except TimeoutError:
        conn.close()
        raise RemoteError(f"{host} took longer than {TIMEOUT:.0f} s to answer.") from None
    except (OSError, http.client.HTTPException) as exc:
        conn.close()
        raise RemoteError(f"{host} could not be reached ({exc}).") from None


def _read(
    conn: http.client.HTTPConnection, resp: http.client.HTTPResponse, deadline: float
) -> bytes:
    """The body, at most :data:`MAX_BYTES`, within the deadline."""
    length = resp.getheader("Content-Length")
    if length and length.isdigit() and int(length) > MAX_BYTES:
        raise RemoteError(f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB.")
    chunks: list[bytes] = []
    size = 0
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise RemoteError(f"The file took longer than {TIMEOUT:.0f} s to arrive.")
            if conn.sock is not None:
                conn.sock.settimeout(remaining)
            chunk = resp.read1(65536)
            if not chunk:
                return b"".join(chunks)
            size += len(chunk)
            if size > MAX_BYTES:
                raise RemoteError(f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB.")
            chunks.append(chunk)
    except TimeoutError:
        raise RemoteError(f"The file took longer than {TIMEOUT:.0f} s to arrive.") from None
    except (OSError, http.client.HTTPException) as exc:
        raise RemoteError(f"The file could not be read to its end ({exc}).") from None


def _sniff(data: bytes, address: str) -> str:
    """A file name for the readers, from what the bytes are (never from the Content-Type)."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"PK\x03\x04"):
        return "remote.zip"
    if head[:1] in (b"{", b"["):
        return "remote.json"
    if head[:1] == b"<":
        raise RemoteError(
            "The address gives a web page, not a table. Give the address of the CSV or JSON "
            "file itself; for a Google Sheet, use File → Share → Publish to web, as CSV."
        )
    if b"\x00" in head:
        raise RemoteError("The address gives a binary file, not a CSV or JSON table.")
    name = urlsplit(address).path.rsplit("/", 1)[-1]
    return name if name.lower().endswith(".csv") else "remote.csv"


def _fetch(address: str) -> Fetched:
    deadline = time.monotonic() + TIMEOUT
    current = sheet_csv_address(address)
    for _ in range(MAX_REDIRECTS + 1):
        conn, resp = _open(current, deadline)
        try:
            if resp.status in (301, 302, 303, 307, 308):
                target = resp.getheader("Location")
                if not target:
                    raise RemoteError("The address redirects, without saying where.")
                current = urljoin(current, target.strip())
                continue
            if resp.status != 200:
                raise RemoteError(
                    f"The address answered {resp.status} {resp.reason or ''}".rstrip()
                    + ": is the file published, and the address right?"
                )
            data = _read(conn, resp, deadline)
        finally:
            conn.close()
        if not data.strip():
            raise RemoteError("The address gives an empty file.")
        return Fetched(current, _sniff(data, current), data)
    raise RemoteError(f"The address redirects more than {MAX_REDIRECTS} times.")


_cache: dict[str, tuple[float, Fetched]] = {}
_lock = threading.Lock()


def fetch(address: str) -> Fetched:
    """The file at ``address`` (cached for :data:`CACHE_SECONDS`); RemoteError if refused."""
    address = address.strip()
    if len(address) > MAX_ADDRESS:
        raise RemoteError(f"The address is longer than {MAX_ADDRESS:,} characters.")
    if any(ord(c) < 33 or ord(c) == 127 for c in address):
        raise RemoteError("The address holds spaces or control characters.")
    now = time.monotonic()
    with _lock:
        hit = _cache.get(address)
        if hit and now - hit[0] < CACHE_SECONDS:
            return hit[1]
    fetched = _fetch(address)
    with _lock:
        for key in [k for k, (t, _) in _cache.items() if now - t >= CACHE_SECONDS]:
            del _cache[key]
        while len(_cache) >= CACHE_ENTRIES:
            del _cache[next(iter(_cache))]
        _cache[address] = (time.monotonic(), fetched)
    return fetched


def clear_cache() -> None:
    """Forget every fetched address."""
    with _lock:
        _cache.clear()
