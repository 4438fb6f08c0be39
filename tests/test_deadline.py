"""--timeout bounds a download attempt as a whole (net/deadline.py): DNS, headers, body, retries."""

from __future__ import annotations

import socket
import threading
import time

import pytest
from fetch_servers import FIXTURES, answer, drip_headers, raw_server, serve, trickle

from newskit.cli import app
from newskit.core.errors import DNSError, TimeoutError, TLSError
from newskit.net.http import fetch
from newskit.net.options import FetchOptions, make_pool


def test_headers_sent_a_byte_at_a_time_time_out(runner):
    """Each byte comes well within the timeout, the headers as a whole take seconds."""
    with raw_server(drip_headers) as (base, heads):
        result = runner.invoke(app, ["fetch", base + "/slow", "--timeout", "0.5", "--retries", "0"])
    assert (result.exit_code, result.stdout) == (3, "")
    assert result.stderr == f"newskit: {base}/slow: timed out after 0.5 s\n"
    assert len(heads) == 1


def test_slow_headers_are_retried_like_a_stalled_read(runner):
    with raw_server(drip_headers) as (base, log):
        result = runner.invoke(
            app,
            ["extract", base + "/slow", "--timeout", "0.3", "--retries", "1"],
            env={"NEWSKIT_BACKOFF": "0"},
        )
        assert log == ["request", "request"]
    assert result.exit_code == 3
    assert result.stderr == f"newskit: {base}/slow: timed out after 0.3 s (after 2 attempts)\n"


def test_a_body_still_coming_at_the_deadline_is_retried_like_a_stalled_read(runner):
    """docs/cli.md: timeouts are retried, also when the body never stops coming."""
    seen: list[str] = []

    def counted(request, stop):
        seen.append(request.path)
        trickle(request, stop)

    with serve(counted) as base:
        result = runner.invoke(
            app,
            ["fetch", base + "/drip", "--timeout", "0.3", "--retries", "1"],
            env={"NEWSKIT_BACKOFF": "0"},
        )
    assert result.exit_code == 3
    assert result.stderr == f"newskit: {base}/drip: timed out after 0.3 s (after 2 attempts)\n"
    assert seen == ["/drip", "/drip"]


class _Holder:
    """Stands for a urllib3 connection: the alarm shuts down whatever `sock` it holds."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock


def test_an_alarm_ends_a_blocked_read_and_a_cancelled_one_does_nothing():
    from newskit.net.deadline import Watchdog

    watchdog = Watchdog()
    mine, theirs = socket.socketpair()
    other, peer = socket.socketpair()
    with mine, theirs, other, peer:
        alarm = watchdog.arm(time.monotonic() + 0.2)
        alarm.watch(_Holder(mine))
        quiet = watchdog.arm(time.monotonic() + 0.2)
        quiet.watch(_Holder(other))
        quiet.cancel()
        got: list[bytes] = []
        reader = threading.Thread(target=lambda: got.append(mine.recv(10)))
        reader.start()
        reader.join(5)
        assert not reader.is_alive() and got == [b""] and alarm.fired
        time.sleep(0.3)  # past the cancelled alarm's deadline: its socket still works
        peer.sendall(b"ok")
        assert other.recv(10) == b"ok" and not quiet.fired


def test_watching_after_the_deadline_fires_at_once():
    from newskit.net.deadline import Alarm

    alarm = Alarm(time.monotonic() - 1)
    mine, theirs = socket.socketpair()
    with mine, theirs:
        alarm.watch(_Holder(mine))
        assert alarm.fired
        assert mine.recv(10) == b""


def test_broken_answers_are_named_in_words(runner):
    """A raw-socket server answering nonsense: one readable stderr line, no nest of reprs."""

    def garbage(conn, stop, log):
        conn.sendall(b"HELLO WORLD\r\n\r\n")

    def hang_up(conn, stop, log):
        pass

    def short(conn, stop, log):
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 50\r\n\r\n<p>")

    reasons = {
        garbage: "bad status line 'HELLO WORLD\\r\\n'",
        hang_up: "the server closed the connection without an answer",
        short: "body cut short (3 bytes read, 47 more expected)",
    }
    for handler, reason in reasons.items():
        with raw_server(handler) as (base, _log):
            result = runner.invoke(app, ["fetch", base + "/x", "--retries", "0"])
        assert (result.exit_code, result.stdout) == (3, "")
        assert result.stderr == f"newskit: {base}/x: connection broken: {reason}\n"


# -- host names: resolved within the connect timeout, connected to what the lookup gave ------


def _to_loopback(*addresses: str):
    """A resolver giving `addresses` (in order) for every name, and the names it was asked."""
    asked: list[str] = []

    def lookup(host, port, family=0, kind=0, *rest):
        asked.append(host)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port)) for a in addresses]

    return lookup, asked


def test_a_lookup_that_does_not_answer_ends_with_the_connect_timeout():
    answered = threading.Event()

    def stuck(host, port, *rest):
        answered.wait(5)  # a resolver that does not answer in time
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")

    opts = FetchOptions(timeout=5, connect_timeout=0.3, retries=0)
    started = time.monotonic()
    with pytest.raises(TimeoutError) as caught:
        fetch("http://news.example.test/a.html", opts, pool=make_pool(opts, lookup=stuck))
    answered.set()
    assert caught.value.message == "connect timed out after 0.3 s"
    assert time.monotonic() - started < 2


def test_a_redirect_to_a_name_that_does_not_resolve_in_time_ends_within_the_timeouts():
    answered = threading.Event()
    asked: list[str] = []

    def stuck(host, port, *rest):
        asked.append(host)
        answered.wait(5)
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")

    def moved(request, stop):
        request.send_response(302)
        request.send_header("Location", f"http://news.example.test:{port}/b")
        request.send_header("Content-Length", "0")
        request.end_headers()

    opts = FetchOptions(timeout=5, connect_timeout=0.3, retries=0)
    started = time.monotonic()
    with serve(moved) as base, pytest.raises(TimeoutError) as caught:
        port = base.rsplit(":", 1)[1]
        fetch(base + "/a", opts, pool=make_pool(opts, lookup=stuck))
    answered.set()
    # the address check before the hop, then the connection: each waited 0.3 s at most
    assert asked == ["news.example.test", "news.example.test"]
    assert caught.value.message.startswith("connect timed out after 0.3 s (redirected to")
    assert time.monotonic() - started < 3


def test_a_name_is_connected_to_the_address_its_lookup_gave_and_keeps_its_host_header():
    def echo_host(request, stop):
        answer(request, f"<p>{request.headers['Host']}</p>".encode())

    lookup, asked = _to_loopback("127.0.0.2", "127.0.0.1")  # the first refuses: the next serves
    opts = FetchOptions(timeout=5, connect_timeout=2, retries=0)
    with serve(echo_host) as base:
        port = base.rsplit(":", 1)[1]
        page = fetch(f"http://news.example.test:{port}/", opts, pool=make_pool(opts, lookup=lookup))
    assert asked == ["news.example.test"]
    assert f"<p>news.example.test:{port}</p>".encode() in page.content


def test_a_tls_name_is_checked_against_the_certificate_at_the_looked_up_address(monkeypatch):
    monkeypatch.setenv("SSL_CERT_FILE", str(FIXTURES / "tls-localhost.pem"))  # its issuer
    lookup, asked = _to_loopback("127.0.0.1")
    opts = FetchOptions(timeout=5, connect_timeout=2, retries=0)
    with serve(lambda request, stop: answer(request, b"<p>secure</p>"), tls=True) as base:
        port = base.rsplit(":", 1)[1]
        page = fetch(f"https://localhost:{port}/", opts, pool=make_pool(opts, lookup=lookup))
        assert asked == ["localhost"] and page.content == b"<p>secure</p>"
        with pytest.raises(TLSError):  # the same address under a name the certificate lacks
            fetch(f"https://news.example.test:{port}/", opts, pool=make_pool(opts, lookup=lookup))


def test_a_name_the_lookup_does_not_know_is_a_dns_error():
    def unknown(host, port, *rest):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    opts = FetchOptions(timeout=5, connect_timeout=2, retries=0)
    with pytest.raises(DNSError) as caught:
        fetch("http://news.example.test/", opts, pool=make_pool(opts, lookup=unknown))
    assert caught.value.message == "cannot resolve host news.example.test"
