"""Fetching over real HTTP on 127.0.0.1 (pytest-httpserver): limits, retries, encodings, errors.

Nothing here touches the internet and nothing mocks requests.
"""
from __future__ import annotations

import gzip
import shutil
import socket
import ssl
import subprocess
import threading
import time
import tracemalloc
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator, Optional

import pytest
from pytest_httpserver import HTTPServer
from werkzeug.wrappers import Request, Response

from claimcheck import __version__
from claimcheck.errors import SourceError
from claimcheck.sources import fetch_document
from claimcheck.sources.http import fetch

PAGES = Path(__file__).parent / "pages"
ARTICLE = (PAGES / "jsonld_article.html").read_bytes()


@dataclass(frozen=True)
class Options:
    """The fetch options (the same fields as claimcheck.sources.SourceOptions)."""

    timeout: float = 5.0
    max_bytes: int = 10_000_000
    user_agent: Optional[str] = None


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    # A proxy in the developer's environment must not intercept loopback requests.
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)


def html_page(body: str, head: str = "") -> str:
    return f"<!DOCTYPE html><html><head>{head}</head><body><article>{body}</article></body></html>"


# -- redirects and statuses -------------------------------------------------------------------


def test_fetch_document_reads_article_and_metadata(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/story.html").respond_with_data(ARTICLE, content_type="text/html; charset=utf-8")
    url = httpserver.url_for("/story.html")
    doc = fetch_document(url, Options())
    src = doc.source
    assert (src.kind, src.name, src.url, src.final_url, src.status) == ("url", url, url, url, 200)
    assert src.content_type == "text/html" and src.encoding == "utf-8"
    assert src.fetched_at and src.fetched_at.endswith("Z")
    assert src.title == "Harbour council approves tidal barrier"
    assert src.authors == ("Mara Quist", "Tomas Feld")
    assert doc.blocks[0].kind == "heading"


def test_redirects_are_followed_and_final_url_recorded(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/old").respond_with_data("", status=301, headers={"Location": "/middle"})
    httpserver.expect_request("/middle").respond_with_data("", status=302, headers={"Location": "/story.html"})
    httpserver.expect_request("/story.html").respond_with_data(ARTICLE, content_type="text/html")
    doc = fetch_document(httpserver.url_for("/old"), Options())
    assert doc.source.url == httpserver.url_for("/old")
    assert doc.source.final_url == httpserver.url_for("/story.html")


def test_redirect_loop_is_too_many_redirects(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/a").respond_with_data("", status=302, headers={"Location": "/b"})
    httpserver.expect_request("/b").respond_with_data("", status=302, headers={"Location": "/a"})
    with pytest.raises(SourceError, match=r"too many redirects \(more than 10\)"):
        fetch(httpserver.url_for("/a"), Options())


def test_404_names_code_and_reason(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/gone").respond_with_data("nope", status=404)
    url = httpserver.url_for("/gone")
    with pytest.raises(SourceError) as info:
        fetch(url, Options())
    assert str(info.value) == f"{url}: HTTP 404 Not Found"


def test_500_then_200_is_retried(httpserver: HTTPServer) -> None:
    calls = []

    def handler(request: Request) -> Response:
        calls.append(time.monotonic())
        if len(calls) == 1:
            return Response("busy", status=500)
        return Response(ARTICLE, content_type="text/html")

    httpserver.expect_request("/flaky").respond_with_handler(handler)
    doc = fetch_document(httpserver.url_for("/flaky"), Options())
    assert len(calls) == 2 and doc.source.status == 200


def test_429_honours_retry_after(httpserver: HTTPServer) -> None:
    calls = []

    def handler(request: Request) -> Response:
        calls.append(time.monotonic())
        if len(calls) == 1:
            return Response("slow down", status=429, headers={"Retry-After": "1"})
        return Response(ARTICLE, content_type="text/html")

    httpserver.expect_request("/limited").respond_with_handler(handler)
    fetch(httpserver.url_for("/limited"), Options())
    assert len(calls) == 2
    assert calls[1] - calls[0] >= 0.9


def test_retry_after_beyond_the_deadline_is_not_waited_for(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/later").respond_with_data("later", status=503, headers={"Retry-After": "3600"})
    start = time.monotonic()
    with pytest.raises(SourceError, match="HTTP 503 Service Unavailable"):
        fetch(httpserver.url_for("/later"), Options(timeout=2))
    assert time.monotonic() - start < 1.5


# -- limits -------------------------------------------------------------------------------------


def test_slow_trickle_hits_the_deadline(httpserver: HTTPServer) -> None:
    def trickle() -> Iterator[bytes]:
        yield b"<html><body><p>"
        for _ in range(40):
            time.sleep(0.1)
            yield b"x"

    httpserver.expect_request("/slow").respond_with_handler(
        lambda request: Response(trickle(), content_type="text/html", direct_passthrough=True)
    )
    start = time.monotonic()
    with pytest.raises(SourceError, match=r"timed out: the fetch took longer than 1 s"):
        fetch(httpserver.url_for("/slow"), Options(timeout=1))
    assert time.monotonic() - start < 2.0


def test_oversize_body_is_refused(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/big").respond_with_data(b"<p>" + b"a" * 200_000, content_type="text/html")
    with pytest.raises(SourceError, match=r"body too large: more than the 100,000-byte limit"):
        fetch(httpserver.url_for("/big"), Options(max_bytes=100_000))


def test_oversize_chunked_body_without_length_is_refused(httpserver: HTTPServer) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(50):
            yield b"b" * 10_000

    httpserver.expect_request("/chunked").respond_with_handler(
        lambda request: Response(chunks(), content_type="text/html", direct_passthrough=True)
    )
    with pytest.raises(SourceError, match="body too large"):
        fetch(httpserver.url_for("/chunked"), Options(max_bytes=100_000))


def test_gzip_bomb_is_refused_with_bounded_memory(httpserver: HTTPServer) -> None:
    # Text, not NULs: a bomb of NULs is refused sooner, as binary (the test below).
    bomb = gzip.compress(b"<html><body><p>" + b"a" * 200_000_000, compresslevel=9)
    assert len(bomb) < 300_000
    httpserver.expect_request("/bomb").respond_with_data(
        bomb, content_type="text/html", headers={"Content-Encoding": "gzip"}
    )
    tracemalloc.start()
    try:
        with pytest.raises(SourceError, match=r"body too large: more than the 1,000,000-byte limit"):
            fetch(httpserver.url_for("/bomb"), Options(max_bytes=1_000_000))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20_000_000


def test_gzip_bomb_of_nuls_under_a_huge_limit_is_refused_as_binary_after_its_first_chunk(httpserver: HTTPServer) -> None:
    # With --max-bytes 2000000000 the size cap alone would let the bomb expand to 200 MB.
    bomb = gzip.compress(b"<html><body><p>" + b"\0" * 200_000_000, compresslevel=9)
    httpserver.expect_request("/bomb").respond_with_data(
        bomb, content_type="text/html", headers={"Content-Encoding": "gzip"}
    )
    url = httpserver.url_for("/bomb")
    tracemalloc.start()
    try:
        with pytest.raises(SourceError) as info:
            fetch(url, Options(max_bytes=2_000_000_000))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert str(info.value) == f"{url}: the page is binary data, not text or HTML"
    assert peak < 20_000_000


def test_utf16_page_with_a_bom_is_not_taken_for_binary(httpserver: HTTPServer) -> None:
    page = "\ufeff" + ARTICLE.decode("utf-8")
    httpserver.expect_request("/utf16").respond_with_data(page.encode("utf-16-le"), content_type="text/html")
    assert "<html" in fetch(httpserver.url_for("/utf16"), Options()).text.lower()


def test_gzip_body_within_limits_is_decoded(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/gz").respond_with_data(
        gzip.compress(ARTICLE), content_type="text/html", headers={"Content-Encoding": "gzip"}
    )
    assert fetch(httpserver.url_for("/gz"), Options()).text == ARTICLE.decode("utf-8")



def test_corrupt_gzip_body(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/broken.gz").respond_with_data(
        b"\x1f\x8b\x08\x00" + b"not deflate at all" * 20, content_type="text/html", headers={"Content-Encoding": "gzip"}
    )
    url = httpserver.url_for("/broken.gz")
    with pytest.raises(SourceError) as info:
        fetch(url, Options())
    assert str(info.value) == f"{url}: the compressed body is corrupt"


def test_unknown_content_encoding_is_refused(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/story.br").respond_with_data(
        b"\x8b\x02\x80hello\x03", content_type="text/html", headers={"Content-Encoding": "br"}
    )
    url = httpserver.url_for("/story.br")
    with pytest.raises(SourceError) as info:
        fetch(url, Options())
    assert str(info.value) == f"{url}: unsupported content encoding br"

# -- encodings ----------------------------------------------------------------------------------

FRENCH = (
    "<p>L’été dernier, la régie a dépensé « beaucoup trop » — selon le rapport — pour l’entretien"
    " des écoles, des crèches et des bibliothèques. Les élus ont exigé des économies immédiates.</p>"
) * 3
JAPANESE = (
    "<p>東京都は水曜日、新しい防災計画を発表した。計画によると、首都直下地震が発生した場合、"
    "約二十万棟の建物が全壊する可能性があるという。専門家は早急な対策が必要だと指摘している。</p>"
) * 3
CHINESE = (
    "<p>据新华社报道，该市政府周三宣布了一项新的城市交通计划。官员表示，地铁线路将在未来五年内"
    "增加一倍，以缓解日益严重的交通拥堵问题。专家认为这一计划需要大量资金支持。</p>"
) * 3


@pytest.mark.parametrize(
    ("body", "codec", "header", "meta"),
    [
        (FRENCH, "cp1252", "windows-1252", None),
        (FRENCH, "cp1252", None, "windows-1252"),
        (FRENCH, "cp1252", None, None),
        (FRENCH.replace("’", "'").replace("«", '"').replace("»", '"').replace("—", "-"), "latin-1", "ISO-8859-1", None),
        (FRENCH.replace("’", "'").replace("«", '"').replace("»", '"').replace("—", "-"), "latin-1", None, "iso-8859-1"),
        (JAPANESE, "shift_jis", "Shift_JIS", None),
        (JAPANESE, "shift_jis", None, "shift_jis"),
        (JAPANESE, "shift_jis", None, None),
        (CHINESE, "gb2312", "GB2312", None),
        (CHINESE, "gb2312", None, "gb2312"),
        (CHINESE, "gb2312", None, None),
    ],
    ids=[
        "1252-header", "1252-meta", "1252-detected", "latin1-header", "latin1-meta",
        "sjis-header", "sjis-meta", "sjis-detected", "gb2312-header", "gb2312-meta", "gb2312-detected",
    ],
)
def test_encodings(httpserver: HTTPServer, body: str, codec: str, header: Optional[str], meta: Optional[str]) -> None:
    head = f'<meta charset="{meta}">' if meta else ""
    data = html_page(body, head).encode(codec)
    content_type = f"text/html; charset={header}" if header else "text/html"
    httpserver.expect_request("/enc").respond_with_data(data, content_type=content_type)
    doc = fetch_document(httpserver.url_for("/enc"), Options())
    expected = body.replace("<p>", "").split("</p>")[0]
    assert doc.text.split("\n\n")[0] == expected


def test_utf8_page_whose_header_claims_latin1(httpserver: HTTPServer) -> None:
    data = html_page(FRENCH, '<meta charset="utf-8">').encode("utf-8")
    httpserver.expect_request("/liar").respond_with_data(data, content_type="text/html; charset=ISO-8859-1")
    result = fetch(httpserver.url_for("/liar"), Options())
    assert result.encoding == "utf-8"
    assert "L’été dernier" in result.text and "Ã" not in result.text


def test_header_charset_wins_over_meta(httpserver: HTTPServer) -> None:
    data = html_page(JAPANESE, '<meta charset="utf-8">').encode("shift_jis")
    httpserver.expect_request("/sjis").respond_with_data(data, content_type="text/html; charset=Shift_JIS")
    assert "東京都" in fetch(httpserver.url_for("/sjis"), Options()).text


# -- content types and empty results ------------------------------------------------------------


def test_pdf_is_an_unsupported_content_type(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/paper.pdf").respond_with_data(b"%PDF-1.7\n...", content_type="application/pdf")
    url = httpserver.url_for("/paper.pdf")
    with pytest.raises(SourceError) as info:
        fetch_document(url, Options())
    assert str(info.value).startswith(f"{url}: unsupported content type application/pdf")


@pytest.mark.parametrize("mime", ["image/png", "application/json", "application/octet-stream"])
def test_other_types_are_refused(httpserver: HTTPServer, mime: str) -> None:
    httpserver.expect_request("/thing").respond_with_data(b"{}", content_type=mime)
    with pytest.raises(SourceError, match=f"unsupported content type {mime}"):
        fetch_document(httpserver.url_for("/thing"), Options())


def test_missing_content_type_is_sniffed(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/bare").respond_with_handler(lambda request: _bare_response(ARTICLE))
    result = fetch(httpserver.url_for("/bare"), Options())
    assert result.content_type == "text/html"
    httpserver.expect_request("/bare.pdf").respond_with_handler(lambda request: _bare_response(b"%PDF-1.4 binary"))
    with pytest.raises(SourceError, match="unsupported content type application/pdf"):
        fetch(httpserver.url_for("/bare.pdf"), Options())



def test_binary_body_without_content_type_is_refused(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/blob").respond_with_handler(lambda request: _bare_response(bytes(range(256)) * 8))
    url = httpserver.url_for("/blob")
    with pytest.raises(SourceError) as info:
        fetch(url, Options())
    assert str(info.value) == (
        f"{url}: unsupported content type application/octet-stream (sniffed; claimcheck reads HTML and plain text)"
    )

def _bare_response(data: bytes) -> Response:
    response = Response(data)
    del response.headers["Content-Type"]
    return response


def test_empty_page(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/empty").respond_with_data(b"", content_type="text/html")
    url = httpserver.url_for("/empty")
    with pytest.raises(SourceError) as info:
        fetch_document(url, Options())
    assert str(info.value) == f"{url}: no article text found (the page is empty)"


def test_page_without_article(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/nav").respond_with_data((PAGES / "no_article.html").read_bytes(), content_type="text/html")
    url = httpserver.url_for("/nav")
    with pytest.raises(SourceError) as info:
        fetch_document(url, Options())
    assert str(info.value) == f"{url}: no article text found on the page"


def test_text_plain_is_taken_as_is(httpserver: HTTPServer) -> None:
    text = "A headline\n\nFirst paragraph says <b> is not markup here.\n"
    httpserver.expect_request("/note.txt").respond_with_data(text.encode(), content_type="text/plain; charset=utf-8")
    doc = fetch_document(httpserver.url_for("/note.txt"), Options())
    assert doc.text == text and doc.source.content_type == "text/plain"


# -- connection-level failures and politeness ----------------------------------------------------


def test_connection_refused() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/story"
    with pytest.raises(SourceError) as info:
        fetch(url, Options(timeout=3))
    assert str(info.value) == f"{url}: connection refused by 127.0.0.1:{port}"


def test_dns_failure() -> None:
    # ".invalid" never resolves (RFC 6761): the resolver refuses it without asking the network.
    url = "http://no-such-host.invalid/story"
    with pytest.raises(SourceError) as info:
        fetch(url, Options(timeout=3))
    assert str(info.value) == f"{url}: DNS lookup failed: no such host no-such-host.invalid"


def test_tls_error(httpserver: HTTPServer) -> None:
    # A plain-HTTP server answers the TLS handshake with an HTTP response: the handshake fails.
    url = f"https://127.0.0.1:{httpserver.port}/story"
    start = time.monotonic()
    with pytest.raises(SourceError) as info:
        fetch(url, Options(timeout=3))
    message = str(info.value)
    assert message.startswith(f"{url}: TLS error: ") and len(message) > len(f"{url}: TLS error: ")
    assert "\n" not in message
    assert time.monotonic() - start < 2.0  # not retried: a TLS failure will not mend itself


# -- raw sockets: servers that misbehave below HTTP ----------------------------------------------


class RawServer:
    """A TCP server on 127.0.0.1 that hands each connection to ``behaviour(conn, stop)``.

    ``connections`` counts the connections accepted (so, the attempts); ``stop`` is set when
    the test ends, and behaviours that wait must wait on it.
    """

    def __init__(self, behaviour: Callable[[socket.socket, threading.Event], None]) -> None:
        self.behaviour = behaviour
        self.connections = 0
        self.stop = threading.Event()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.05)
        self.port = self._listener.getsockname()[1]
        self._threads = [threading.Thread(target=self._serve, daemon=True)]
        self._threads[0].start()

    def url(self, path: str = "/story", scheme: str = "http") -> str:
        return f"{scheme}://127.0.0.1:{self.port}{path}"

    def close(self) -> None:
        self.stop.set()
        for thread in list(self._threads):
            thread.join(timeout=2)
        self._listener.close()

    def _serve(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            self.connections += 1
            thread = threading.Thread(target=self._handle, args=(conn,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _handle(self, conn: socket.socket) -> None:
        with conn:
            try:
                self.behaviour(conn, self.stop)
            except OSError:
                pass  # the client gave up (the deadline cut it): nothing to serve


@pytest.fixture
def raw_server() -> Iterator[Callable[..., RawServer]]:
    servers: list[RawServer] = []

    def start(behaviour: Callable[[socket.socket, threading.Event], None]) -> RawServer:
        servers.append(RawServer(behaviour))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


def read_request(conn: socket.socket) -> bytes:
    """The request head (a GET has no body), read as a server would before answering."""
    conn.settimeout(5)
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            break
        data += chunk
    return data


def close_after_request(conn: socket.socket, stop: threading.Event) -> None:
    read_request(conn)  # and close without a word


def close_at_once(conn: socket.socket, stop: threading.Event) -> None:
    pass  # close before even reading the request (the client may see a reset)


def headers_and_part_of_body(conn: socket.socket, stop: threading.Event) -> None:
    read_request(conn)
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 5000\r\n\r\n<html><body><p>The coun")
    stop.wait(0.05)  # then close, 4,977 bytes short


def never_answer(conn: socket.socket, stop: threading.Event) -> None:
    read_request(conn)
    stop.wait(60)


HEADERS_FOREVER = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Padding: " + b"a" * 100_000


def trickle_headers(conn: socket.socket, stop: threading.Event) -> None:
    # One byte every 50 ms: every read gets a byte long before any read timeout, so only a
    # deadline on the whole fetch can end it.
    read_request(conn)
    for byte in HEADERS_FOREVER:
        if stop.wait(0.05):
            return
        conn.sendall(bytes([byte]))


@pytest.mark.parametrize("behaviour", [close_after_request, close_at_once], ids=["after-request", "at-once"])
def test_dropped_connection_before_the_response(raw_server, behaviour) -> None:
    server = raw_server(behaviour)
    url = server.url()
    start = time.monotonic()
    with pytest.raises(SourceError) as info:
        fetch(url, Options(timeout=2))
    elapsed = time.monotonic() - start
    assert str(info.value) == f"{url}: connection to 127.0.0.1:{server.port} failed: the server closed it"
    assert server.connections >= 2  # retried with backoff...
    assert elapsed < 3.0  # ...until the next wait would pass the 2 s deadline


def test_dropped_connection(raw_server) -> None:
    server = raw_server(headers_and_part_of_body)
    url = server.url()
    start = time.monotonic()
    with pytest.raises(SourceError) as info:
        fetch(url, Options(timeout=2))
    elapsed = time.monotonic() - start
    assert str(info.value) == f"{url}: connection dropped while reading the page"
    assert server.connections >= 2
    assert elapsed < 3.0


@pytest.mark.parametrize("behaviour", [trickle_headers, never_answer], ids=["header-trickle", "silent"])
def test_deadline_bounds_the_wait_for_headers(raw_server, behaviour) -> None:
    server = raw_server(behaviour)
    url = server.url()
    start = time.monotonic()
    with pytest.raises(SourceError) as info:
        fetch(url, Options(timeout=1))
    elapsed = time.monotonic() - start
    assert str(info.value) == f"{url}: timed out: the fetch took longer than 1 s"
    assert 0.9 <= elapsed < 2.0


def test_header_trickle_hits_the_deadline_on_a_later_attempt(raw_server) -> None:
    # The first attempt is dropped and retried; the deadline still counts from the start.
    def dropped_then_trickle(conn: socket.socket, stop: threading.Event) -> None:
        if server.connections == 1:
            close_after_request(conn, stop)
        else:
            trickle_headers(conn, stop)

    server = raw_server(dropped_then_trickle)
    start = time.monotonic()
    with pytest.raises(SourceError, match=r"timed out: the fetch took longer than 1\.5 s"):
        fetch(server.url(), Options(timeout=1.5))
    assert server.connections == 2
    assert 1.4 <= time.monotonic() - start < 2.5


@pytest.fixture
def tls_files(tmp_path: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and its key (made with the openssl tool)."""
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is not installed")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    made = subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        capture_output=True,
    )
    if made.returncode != 0:
        pytest.skip(f"openssl could not make a certificate: {made.stderr.decode(errors='replace')[:200]}")
    return cert, key


def test_header_trickle_over_tls_hits_the_deadline(raw_server, tls_files, monkeypatch: pytest.MonkeyPatch) -> None:
    cert, key = tls_files
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(cert))  # trust our certificate, and only for this test

    def tls_trickle(conn: socket.socket, stop: threading.Event) -> None:
        conn.settimeout(5)
        with context.wrap_socket(conn, server_side=True) as tls:
            trickle_headers(tls, stop)

    server = raw_server(tls_trickle)
    url = server.url(scheme="https")
    start = time.monotonic()
    with pytest.raises(SourceError) as info:
        fetch(url, Options(timeout=1))
    assert str(info.value) == f"{url}: timed out: the fetch took longer than 1 s"
    assert 0.9 <= time.monotonic() - start < 2.0


def test_deadline_watchdog_ends_with_the_fetch(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/story.html").respond_with_data(ARTICLE, content_type="text/html")
    for _ in range(3):
        fetch(httpserver.url_for("/story.html"), Options(timeout=30))
    give_up = time.monotonic() + 2
    while any(t.name == "claimcheck-fetch-deadline" for t in threading.enumerate()) and time.monotonic() < give_up:
        time.sleep(0.01)
    assert not [t for t in threading.enumerate() if t.name == "claimcheck-fetch-deadline"]


def test_user_agent_names_claimcheck_and_version(httpserver: HTTPServer) -> None:
    seen = []

    def handler(request: Request) -> Response:
        seen.append(request.headers.get("User-Agent"))
        return Response(ARTICLE, content_type="text/html")

    httpserver.expect_request("/ua").respond_with_handler(handler)
    fetch(httpserver.url_for("/ua"), Options())
    fetch(httpserver.url_for("/ua"), Options(user_agent="custom-agent/1.0"))
    assert seen[0].startswith(f"claimcheck/{__version__} ")
    assert seen[1] == "custom-agent/1.0"


@pytest.mark.parametrize(
    "address, public",
    [("127.0.0.1", False), ("10.1.2.3", False), ("172.16.0.1", False), ("192.168.1.1", False),
     ("169.254.169.254", False), ("100.64.0.1", False), ("0.0.0.0", False), ("::1", False), ("fe80::1", False),
     ("fc00::1", False), ("::ffff:127.0.0.1", False), ("224.0.0.1", False), ("8.8.8.8", True),
     ("2606:4700:4700::1111", True), ("not an address", False)],
)
def test_public_addresses(address: str, public: bool) -> None:
    from claimcheck.sources.http import is_public_address

    assert is_public_address(address) is public


@dataclass(frozen=True)
class PrivateRefused(Options):
    allow_private: bool = False


def test_no_private_refuses_the_address_connected_to_even_by_name(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/story").respond_with_data(ARTICLE, content_type="text/html")
    for url in (httpserver.url_for("/story"), f"http://localhost:{httpserver.port}/story"):
        with pytest.raises(SourceError) as info:
            fetch(url, PrivateRefused())
        assert str(info.value).startswith(f"{url}: refused: a connection reached the non-public address ")
        assert str(info.value).endswith(" (--no-private)")
    assert httpserver.log == []  # refused before a byte of the request was sent
    assert "<html" in fetch(httpserver.url_for("/story"), Options()).text.lower()  # the default allows it
