"""Fetch a URL into a Document: bounded in time and size, polite, and never a traceback.

One ``requests`` session per fetch. The limits hold against hostile or broken servers:
``timeout`` bounds the whole fetch from connecting to the last byte (a server trickling bytes
cannot hold the tool), ``max_bytes`` bounds the body both as sent and after decompression (a
gzip bomb cannot fill memory). Every failure becomes one SourceError line naming the URL.

requests only bounds each wait on the socket, so a server that sends one header byte a second
would never trip its timeouts. A watchdog thread enforces the total: at the deadline it shuts
down the socket of every connection the fetch has taken from its pools, which wakes the blocked
read, and the failure that follows is reported as the deadline.
"""
from __future__ import annotations

import contextvars
import functools
import math
import socket
import threading
import time
import zlib
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any, Callable, Optional, Protocol

import requests
import urllib3.exceptions
from requests.adapters import HTTPAdapter

from claimcheck.defaults import MAX_BYTES, TIMEOUT
from claimcheck.version import __version__
from claimcheck.errors import SourceError
from claimcheck.sources.names import redact_url
from claimcheck.sources.encoding import HTML_TYPES, decode_html, is_pdf, looks_binary, looks_like_html

DEFAULT_USER_AGENT = f"claimcheck/{__version__} (+https://pypi.org/project/claimcheck/)"
MAX_REDIRECTS = 10
MAX_ATTEMPTS = 4
# 500 too: it is often a passing fault (a restarting worker), and one retry costs little.
RETRY_STATUSES = frozenset((429, 500, 502, 503, 504))
_CHUNK = 65536
_STEP = 1 << 20  # most bytes one decompression step may produce before the deadline is checked again
_SNIFFED_BINARY = "unsupported content type application/octet-stream (sniffed; claimcheck reads HTML and plain text)"
_BINARY_SNIFF = 1024  # decoded bytes looked at before the rest is read: NULs there mean binary
_BACKOFF = 0.5  # seconds before the first retry; doubles each time


class FetchOptions(Protocol):
    """What fetch needs from claimcheck.sources.SourceOptions."""

    timeout: float
    max_bytes: int
    user_agent: Optional[str]
    allow_private: bool  # False: refuse loopback, private, link-local and reserved addresses


@dataclass(frozen=True)
class FetchResult:
    """One fetched page: where it ended up, what the server said, and its decoded text."""

    url: str
    final_url: str
    status: int
    content_type: Optional[str]
    encoding: Optional[str]
    text: str
    fetched_at: str
    etag: Optional[str] = None  # validators for a conditional GET next time (claimcheck.sources.page_cache)
    last_modified: Optional[str] = None
    warnings: tuple[str, ...] = ()  # what the fetch (or the cache) has to say about this copy


@dataclass(frozen=True)
class Validators:
    """What a cached copy sends to ask "has it changed?" (If-None-Match, If-Modified-Since)."""

    etag: Optional[str] = None
    last_modified: Optional[str] = None

    def headers(self) -> dict[str, str]:
        found = {"If-None-Match": self.etag, "If-Modified-Since": self.last_modified}
        return {key: value for key, value in found.items() if value}


class _Retry(Exception):
    """A failure worth another attempt (dropped connection, 429/5xx), with its final message."""

    def __init__(self, message: str, wait: Optional[float] = None) -> None:
        super().__init__(message)
        self.wait = wait


def fetch(url: str, options: FetchOptions, validators: Optional[Validators] = None) -> FetchResult:
    """GET ``url`` within the options' deadline and size cap, retrying what is worth retrying.

    With ``validators`` the GET is conditional: a 304 comes back as a FetchResult with status
    304 and no text, and the caller uses its own copy.
    """
    conditional = validators.headers() if validators is not None else {}
    # Credentials in the URL go to the server as basic auth and nowhere else: every message
    # and the result name the URL with them masked.
    request_url, auth = _split_credentials(url)
    url = redact_url(url)
    timeout = float(getattr(options, "timeout", TIMEOUT) or TIMEOUT)
    if not math.isfinite(timeout) or timeout <= 0:
        # A deadline at infinity is no deadline, and the watchdog could not wait for it.
        raise SourceError(f"{url}: invalid timeout {timeout!r}: give a finite number of seconds above 0")
    max_bytes = int(getattr(options, "max_bytes", MAX_BYTES) or MAX_BYTES)
    agent = getattr(options, "user_agent", None) or DEFAULT_USER_AGENT
    deadline = time.monotonic() + timeout
    watchdog = _Watchdog(deadline)
    token = _WATCHDOG.set(watchdog)
    private = _PRIVATE_OK.set(bool(getattr(options, "allow_private", True)))
    try:
        with _session(agent) as session:
            session.auth = auth
            for attempt in range(1, MAX_ATTEMPTS + 1):
                try:
                    result = _attempt(session, (request_url, url), deadline, timeout, max_bytes, conditional)
                except _Retry as retry:
                    wait = retry.wait if retry.wait is not None else _BACKOFF * 2 ** (attempt - 1)
                    # A wait that would outlast the deadline is no retry: report what happened.
                    if attempt == MAX_ATTEMPTS or time.monotonic() + wait >= deadline:
                        raise SourceError(str(retry)) from None
                    time.sleep(wait)
                    continue
                if watchdog.expired:
                    # The cut may end a response early without an error (a header block cut
                    # short reads as complete): what arrived after the deadline is not the page.
                    raise _deadline_error(url, timeout)
                return result
    except Exception:
        if watchdog.expired:
            # Whatever broke once the deadline cut the connection (a dropped read, a bad status
            # line, a TLS alert), the cause is the deadline.
            raise _deadline_error(url, timeout) from None
        raise
    finally:
        watchdog.stop()
        _WATCHDOG.reset(token)
        _PRIVATE_OK.reset(private)
    raise SourceError(f"{url}: fetch failed")  # unreachable: the loop returns or raises


def _deadline_error(url: str, timeout: float) -> SourceError:
    return SourceError(f"{url}: timed out: the fetch took longer than {timeout:g} s")


class _Watchdog:
    """Ends a fetch at its deadline by shutting down the sockets of the connections it uses.

    A thread waits for the deadline; once it passes, it shuts down every watched connection's
    socket (``shutdown``, never ``close``: the reading thread still owns the descriptor) and goes
    on doing so every ``_RECHECK`` seconds until the fetch ends, for a connection that was still
    connecting, or that was taken from the pool after the first cut.
    """

    _RECHECK = 0.1

    def __init__(self, deadline: float) -> None:
        self.expired = False
        self._deadline = deadline
        self._connections: list[Any] = []
        self._lock = threading.Lock()
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, name="claimcheck-fetch-deadline", daemon=True)
        self._thread.start()

    def watch(self, connection: Any) -> None:
        """Cut ``connection`` at the deadline (at once if it has passed)."""
        with self._lock:
            self._connections.append(connection)
            expired = self.expired
        if expired:
            _shut_down(connection)

    def stop(self) -> None:
        self._done.set()
        with self._lock:
            self._connections.clear()

    def _run(self) -> None:
        if self._done.wait(min(max(0.0, self._deadline - time.monotonic()), threading.TIMEOUT_MAX)):
            return
        with self._lock:
            self.expired = True
        while not self._done.is_set():
            with self._lock:
                connections = list(self._connections)
            for connection in connections:
                _shut_down(connection)
            self._done.wait(self._RECHECK)


def _shut_down(connection: Any) -> None:
    """Shut down a urllib3 connection's socket, waking any thread blocked reading from it."""
    sock = getattr(connection, "sock", None)
    if sock is not None and not isinstance(sock, socket.socket):
        sock = getattr(sock, "socket", None)  # urllib3's SSLTransport (TLS through a TLS proxy)
    if not isinstance(sock, socket.socket):
        return  # not connected yet: the connect timeout bounds that wait, and the next round cuts it
    try:
        # socket.socket's own shutdown even for an SSLSocket, whose override would also drop its
        # TLS state under the feet of the thread reading it.
        socket.socket.shutdown(sock, socket.SHUT_RDWR)
    except OSError:
        pass  # already closed or shut down


# The watchdog of the fetch running in this thread (or context), for the pools to report to.
_WATCHDOG: contextvars.ContextVar[Optional[_Watchdog]] = contextvars.ContextVar("claimcheck_fetch_watchdog", default=None)


# Whether the fetch running in this thread may connect to a non-public address (--no-private).
_PRIVATE_OK: contextvars.ContextVar[bool] = contextvars.ContextVar("claimcheck_fetch_private_ok", default=True)


class PrivateAddressError(OSError):
    """A connection reached a loopback, private, link-local or reserved address under --no-private."""

    def __init__(self, address: str) -> None:
        super().__init__(address)
        self.address = address


def is_public_address(address: str) -> bool:
    """True for a globally routable unicast address (not loopback, private, link-local, reserved)."""
    import ipaddress

    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


@functools.lru_cache(maxsize=None)
def _guarded_connection(connection_cls: type) -> type:
    """A urllib3 connection class that, under --no-private, checks the address it connected to.

    The check is on the socket's peer, after the connection is made and before a byte is sent:
    the address actually used, whatever DNS said a moment before (rebinding) and for every
    redirect hop alike. Through a proxy the peer is the proxy, which the user chose: not checked.
    """

    def _new_conn(self: Any) -> Any:
        sock = connection_cls._new_conn(self)
        if _PRIVATE_OK.get() or getattr(self, "proxy", None) is not None:
            return sock
        try:
            peer = sock.getpeername()[0]
        except (OSError, IndexError, TypeError):
            peer = ""
        if not is_public_address(str(peer)):
            sock.close()
            raise PrivateAddressError(str(peer) or "an unknown address")
        return sock

    return type(f"Guarded{connection_cls.__name__}", (connection_cls,), {"_new_conn": _new_conn})


@functools.lru_cache(maxsize=None)
def _watched_pool(pool_cls: type) -> type:
    """A subclass of a urllib3 connection pool whose connections the current watchdog watches."""

    def _get_conn(self: Any, timeout: Optional[float] = None) -> Any:
        connection = pool_cls._get_conn(self, timeout)
        watchdog = _WATCHDOG.get()
        if watchdog is not None:
            watchdog.watch(connection)
        return connection

    members = {"_get_conn": _get_conn, "_claimcheck_watched": True}
    connection_cls = getattr(pool_cls, "ConnectionCls", None)
    if isinstance(connection_cls, type):
        members["ConnectionCls"] = _guarded_connection(connection_cls)
    return type(f"Watched{pool_cls.__name__}", (pool_cls,), members)


def _watch_pools(manager: Any) -> Any:
    """Make a urllib3 pool manager (or proxy manager) create pools the watchdog can cut."""
    classes = getattr(manager, "pool_classes_by_scheme", None)
    if isinstance(classes, dict):
        manager.pool_classes_by_scheme = {
            scheme: cls if getattr(cls, "_claimcheck_watched", False) else _watched_pool(cls)
            for scheme, cls in classes.items()
        }
    return manager


class _WatchedAdapter(HTTPAdapter):
    """requests' adapter, with pools (direct and through proxies) that report to the watchdog."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        _watch_pools(self.poolmanager)

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        return _watch_pools(super().proxy_manager_for(proxy, **proxy_kwargs))


def _session(agent: str) -> requests.Session:
    session = requests.Session()
    session.max_redirects = MAX_REDIRECTS
    session.headers.update(
        {
            "User-Agent": agent,
            "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.5",
            # Only encodings this module decompresses itself, under the size cap.
            "Accept-Encoding": "gzip, deflate",
        }
    )
    # Retries are done here, with the deadline in view; the adapter must not add its own.
    adapter = _WatchedAdapter(max_retries=0)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


def _attempt(
    session: requests.Session, urls: tuple[str, str], deadline: float, timeout: float, max_bytes: int,
    conditional: dict[str, str],
) -> FetchResult:
    request_url, url = urls  # what to ask for, and how to name it (no credentials)
    remaining = _remaining(deadline, url, timeout)
    try:
        response = session.get(
            request_url, stream=True, timeout=(remaining, remaining), allow_redirects=True, headers=conditional or None
        )
    except requests.exceptions.RequestException as exc:
        raise _request_error(url, exc, timeout) from None
    with response:
        status = response.status_code
        etag, last_modified = response.headers.get("ETag"), response.headers.get("Last-Modified")
        if status == 304 and conditional:
            return FetchResult(
                url=url, final_url=redact_url(response.url or url), status=304, content_type=None, encoding=None, text="",
                fetched_at=_now(), etag=etag, last_modified=last_modified,
            )
        if status in RETRY_STATUSES:
            raise _Retry(_status_message(url, response), _retry_after(response))
        if status >= 400:
            raise SourceError(_status_message(url, response))
        mime, charset = _content_type(response.headers.get("Content-Type"))
        if mime is not None and mime not in HTML_TYPES and mime != "text/plain":
            raise SourceError(f"{url}: unsupported content type {mime} (claimcheck reads HTML and plain text)")
        body = _read_body(response, url, deadline, timeout, max_bytes, sniffed=mime is None)
        final_url = redact_url(response.url or url)  # a redirect may name credentials too
    text, encoding = _decode(body, mime, charset)
    if mime is None:
        mime = _sniff(body, text, url)
    return FetchResult(
        url=url,
        final_url=final_url,
        status=status,
        content_type=mime,
        encoding=encoding,
        text=text,
        fetched_at=_now(),
        etag=etag,
        last_modified=last_modified,
    )


def _split_credentials(url: str) -> tuple[str, Optional[tuple[str, str]]]:
    """(the URL without its user:password, the basic-auth pair to send, or None)."""
    from urllib.parse import unquote, urlsplit, urlunsplit

    try:
        parts = urlsplit(url)
    except ValueError:
        return url, None
    if "@" not in parts.netloc:
        return url, None
    userinfo, _, host = parts.netloc.rpartition("@")
    user, _, password = userinfo.partition(":")
    return urlunsplit(parts._replace(netloc=host)), (unquote(user), unquote(password))


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def _remaining(deadline: float, url: str, timeout: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise _deadline_error(url, timeout)
    return left


def _status_message(url: str, response: requests.Response) -> str:
    # The standard phrase reads the same from every server; an unknown code keeps the server's.
    reason = _reason(response.status_code) or response.reason or ""
    return f"{url}: HTTP {response.status_code} {reason}".rstrip()


def _reason(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def _retry_after(response: requests.Response) -> Optional[float]:
    """Seconds the server asks us to wait (Retry-After as seconds or an HTTP date), if it says."""
    value = response.headers.get("Retry-After")
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


def _content_type(header: Optional[str]) -> tuple[Optional[str], Optional[str]]:
    """(media type without parameters, charset parameter) of a Content-Type header."""
    if not header or not header.strip():
        return None, None
    parts = [p.strip() for p in header.split(";")]
    mime = parts[0].lower() or None
    charset = None
    for param in parts[1:]:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip("\"'") or None
    return mime, charset


class _Decompressor:
    """Content-Encoding decoding that never yields more than ``limit`` bytes in total.

    Output comes in steps of at most ``_STEP`` bytes, each handed to ``check`` as it comes (which
    may raise: the deadline passed, the bytes are binary), so a bomb's expansion is bounded in
    memory and time by what ``check`` allows, never only by the limit.
    """

    def __init__(self, encoding: str, limit: int, check: Callable[[bytes], object] = lambda piece: None) -> None:
        encoding = encoding.strip().lower()
        self.limit = limit
        self.produced = 0
        self._check = check
        self._raw_deflate = False
        if encoding in ("", "identity"):
            self._d: Any = None
        elif encoding in ("gzip", "x-gzip"):
            self._d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            self._d = zlib.decompressobj()
            self._raw_deflate = True  # may turn out to be raw deflate without the zlib header
        else:
            raise ValueError(encoding)

    def feed(self, data: bytes) -> bytes:
        """Decode one chunk; raises OverflowError once the output passes the limit."""
        if self._d is None:
            out = data
            self._check(out)
        else:
            out = self._inflate(data)
        self.produced += len(out)
        if self.produced > self.limit:
            raise OverflowError
        return out

    def _inflate(self, data: bytes) -> bytes:
        pieces = []
        room = self.limit - self.produced + 1
        try:
            while data:
                # max_length bounds each step's output, so a bomb never expands in memory.
                out = self._d.decompress(data, min(room, _STEP))
                self._check(out)
                pieces.append(out)
                room -= len(out)
                if room <= 0:
                    break
                data = self._d.unconsumed_tail
        except zlib.error:
            if self._raw_deflate and not pieces and self.produced == 0:
                self._raw_deflate = False
                self._d = zlib.decompressobj(-zlib.MAX_WBITS)
                return self._inflate(data)
            raise
        self._raw_deflate = False
        return b"".join(pieces)


def _read_body(
    response: requests.Response, url: str, deadline: float, timeout: float, max_bytes: int, sniffed: bool
) -> bytes:
    """The decoded body, read under the deadline and the size cap (compressed and decoded)."""
    binary = _SNIFFED_BINARY if sniffed else "the page is binary data, not text or HTML"
    sniff = _BodyCheck(url, binary, lambda: _remaining(deadline, url, timeout))
    too_large = f"{url}: body too large: more than the {max_bytes:,}-byte limit (--max-bytes)"
    length = response.headers.get("Content-Length", "")
    if length.isdigit() and int(length) > max_bytes:
        raise SourceError(too_large)
    try:
        decoder = _Decompressor(response.headers.get("Content-Encoding", ""), max_bytes, sniff.check)
    except ValueError as exc:
        raise SourceError(f"{url}: unsupported content encoding {exc}") from None
    raw = response.raw
    sock = _socket_of(raw)
    read1 = getattr(raw, "read1", None)
    received = 0
    chunks: list[bytes] = []
    try:
        while True:
            left = _remaining(deadline, url, timeout)
            if sock is not None:
                # Each wait for bytes may last only as long as the whole fetch has left.
                try:
                    sock.settimeout(left)
                except OSError:
                    sock = None  # closed: the body is complete and what is left is buffered
            data = read1(_CHUNK, decode_content=False) if read1 else raw.read(4096, decode_content=False)
            if not data:
                break
            received += len(data)
            if received > max_bytes:
                raise SourceError(too_large)
            chunks.append(decoder.feed(data))
    except OverflowError:
        raise SourceError(too_large) from None
    except zlib.error:
        raise SourceError(f"{url}: the compressed body is corrupt") from None
    except (socket.timeout, TimeoutError):
        raise _deadline_error(url, timeout) from None
    except (requests.exceptions.RequestException, OSError, urllib3.exceptions.HTTPError) as exc:
        if _is_timeout(exc):
            raise _deadline_error(url, timeout) from None
        raise _Retry(f"{url}: connection dropped while reading the page") from None
    sniff.finish()  # a short body: judge what there is
    _remaining(deadline, url, timeout)
    return b"".join(chunks)


class _BodyCheck:
    """Called on each piece of the decoded body: the deadline, then whether it is binary.

    The first ``_BINARY_SNIFF`` decoded bytes decide: control bytes there (NULs) mean binary, and
    the body is refused then, not after decompressing up to --max-bytes of a bomb.
    """

    def __init__(self, url: str, message: str, deadline: Callable[[], object]) -> None:
        self._url = url
        self._message = message
        self._deadline = deadline
        self._head: Optional[bytes] = b""  # None once judged

    def check(self, piece: bytes) -> None:
        """Raise SourceError when the deadline passed or the body's start is binary."""
        self._deadline()
        if self._head is not None:
            self._head += piece[:_BINARY_SNIFF]
            if len(self._head) >= _BINARY_SNIFF:
                self.finish()

    def finish(self) -> None:
        """Judge what has come so far, however short."""
        head, self._head = self._head, None
        if not head:
            return
        sample = head[:_BINARY_SNIFF]
        # UTF-16 with a BOM is text full of NULs (decode_html reads it); anything else with them is not.
        if not sample.startswith((b"\xff\xfe", b"\xfe\xff")) and not is_pdf(sample) and looks_binary(sample):
            raise SourceError(f"{self._url}: {self._message}")


def _socket_of(raw: Any) -> Optional[socket.socket]:
    """The response's socket, when urllib3 exposes it (used to shrink waits to the deadline)."""
    for path in (("connection", "sock"), ("_connection", "sock"), ("_fp", "fp", "raw", "_sock")):
        obj = raw
        for attr in path:
            obj = getattr(obj, attr, None)
            if obj is None:
                break
        if isinstance(obj, socket.socket):
            return obj
    return None


def _is_timeout(exc: BaseException) -> bool:
    seen = 0
    node: Optional[BaseException] = exc
    while node is not None and seen < 10:
        if isinstance(node, (socket.timeout, TimeoutError, requests.exceptions.Timeout)):
            return True
        if "timed out" in str(node).lower():
            return True
        node = node.__cause__ or node.__context__
        seen += 1
    return False


def _request_error(url: str, exc: requests.exceptions.RequestException, timeout: float) -> Exception:
    """One clear line for what went wrong before the response arrived."""
    host = _host(url)
    refused = next((e for e in _chain(exc) if isinstance(e, PrivateAddressError)), None)
    if refused is not None:
        return SourceError(
            f"{url}: refused: a connection reached the non-public address {refused.address} (--no-private)"
        )
    if isinstance(exc, requests.exceptions.TooManyRedirects):
        return SourceError(f"{url}: too many redirects (more than {MAX_REDIRECTS})")
    if isinstance(exc, requests.exceptions.SSLError):
        return SourceError(f"{url}: TLS error: {_tls_reason(exc)}")
    if isinstance(exc, (requests.exceptions.InvalidURL, requests.exceptions.MissingSchema, requests.exceptions.InvalidSchema)):
        return SourceError(f"{url}: invalid URL")
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return SourceError(f"{url}: timed out connecting to {host} (limit {timeout:g} s)")
    if isinstance(exc, requests.exceptions.Timeout) or _is_timeout(exc):
        return _deadline_error(url, timeout)
    chain = _chain(exc)
    if any(isinstance(e, socket.gaierror) for e in chain) or any(type(e).__name__ == "NameResolutionError" for e in chain):
        return SourceError(f"{url}: DNS lookup failed: no such host {host}")
    if any(isinstance(e, ConnectionRefusedError) for e in chain):
        return SourceError(f"{url}: connection refused by {host}")
    if isinstance(exc, (requests.exceptions.ConnectionError, requests.exceptions.ChunkedEncodingError)):
        # A connection the server dropped mid-request is worth another try.
        return _Retry(f"{url}: connection to {host} failed: the server closed it")
    return SourceError(f"{url}: fetch failed: {type(exc).__name__}")


def _chain(exc: BaseException) -> list[BaseException]:
    found: list[BaseException] = []
    stack: list[Any] = [exc]
    while stack and len(found) < 20:
        node = stack.pop()
        if not isinstance(node, BaseException) or node in found:
            continue
        found.append(node)
        stack.extend([node.__cause__, node.__context__, getattr(node, "reason", None)])
        stack.extend(a for a in getattr(node, "args", ()) if isinstance(a, BaseException))
    return found


def _tls_reason(exc: BaseException) -> str:
    import ssl

    for node in _chain(exc):
        if isinstance(node, ssl.SSLCertVerificationError):
            return f"certificate verify failed ({node.verify_message})"
        if isinstance(node, ssl.SSLError):
            return node.reason or str(node)
    return "handshake failed"


def _host(url: str) -> str:
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
        return parts.netloc.rpartition("@")[2] or url  # never the userinfo
    except ValueError:
        return url


def _decode(body: bytes, mime: Optional[str], charset: Optional[str]) -> tuple[str, str]:
    """Text from the body with the browser's order of evidence (see extract.decode_html)."""
    # Plain text has no <meta>: a "charset=" inside it is prose, not a declaration.
    return decode_html(body, charset, prescan=mime != "text/plain")


def _sniff(body: bytes, text: str, url: str) -> str:
    """A media type for a response without Content-Type: HTML, plain text, or refuse binary."""
    head = body[:1024]
    if is_pdf(head):
        raise SourceError(f"{url}: unsupported content type application/pdf (claimcheck reads HTML and plain text)")
    if looks_binary(head):
        raise SourceError(f"{url}: {_SNIFFED_BINARY}")
    return "text/html" if looks_like_html(text) else "text/plain"

