"""The private-address policy (net/addresses.py): as functions on addresses, then end to end.

End to end, every request goes to a proxy on 127.0.0.1 (HTTP_PROXY): the "public" site and
every target exist only inside it, so even a check that failed open would reach nothing
outside 127.0.0.0/8.
"""

from __future__ import annotations

import orjson
import pytest
from conftest import page
from fetch_servers import serve

from newskit.cli import app

PUBLIC_SITE = "http://news.example.com"


@pytest.mark.parametrize(
    "host, address",
    [
        ("2130706433", "127.0.0.1"),
        ("0x7f.1", "127.0.0.1"),
        ("0x7F000001", "127.0.0.1"),
        ("0177.0.0.1", "127.0.0.1"),
        ("127.1", "127.0.0.1"),
        ("127.0.0.1.", "127.0.0.1"),
        ("0", "0.0.0.0"),
        ("169.254.169.254", "169.254.169.254"),
        ("0xa9.0xfe.0xa9.0xfe", "169.254.169.254"),
        ("2852039166", "169.254.169.254"),
        ("10.1", "10.0.0.1"),
        ("[::1]", "::1"),
        ("::ffff:7f00:1", "::ffff:7f00:1"),
        ("fe80::1%eth0", "fe80::1"),
    ],
)
def test_numeric_host_forms_are_normalised(host, address):
    from newskit.net.addresses import parse_ip

    assert str(parse_ip(host)) == address


@pytest.mark.parametrize(
    "host", ["news.example.com", "08.1.2.3", "1.2.3.4.5", "256.1", "4294967296", "0x1g", ""]
)
def test_names_and_impossible_numbers_are_no_address(host):
    from newskit.net.addresses import parse_ip

    assert parse_ip(host) is None


@pytest.mark.parametrize(
    "address, kind",
    [
        ("127.0.0.1", "loopback"),
        ("127.8.9.10", "loopback"),
        ("0.0.0.0", "loopback"),
        ("::1", "loopback"),
        ("::ffff:127.0.0.1", "loopback"),
        ("169.254.169.254", "link-local"),
        ("fe80::1", "link-local"),
        ("10.0.0.5", "private"),
        ("172.16.3.4", "private"),
        ("192.168.1.1", "private"),
        ("100.64.0.1", "private"),
        ("fd00::1", "private"),
        ("224.0.0.1", "private"),
        ("93.184.216.34", "public"),
        ("2606:4700::1111", "public"),
    ],
)
def test_address_kinds(address, kind):
    from newskit.net.addresses import address_kind

    assert address_kind(address) == kind


def test_names_are_judged_by_what_they_resolve_to():
    from newskit.net.addresses import PrivateAddressError, check_hop, host_kinds

    table = {"intranet.example": ["10.0.0.5"], "news.example.com": ["93.184.216.34"]}

    def resolve(host: str) -> list[str]:
        return table.get(host, [])

    assert host_kinds("intranet.example", resolve) == {"private"}
    assert host_kinds("localhost", resolve) == {"loopback"}  # RFC 6761, whatever DNS says
    assert host_kinds("intranet.example", None) == {"public"}  # a proxy resolves it
    with pytest.raises(PrivateAddressError) as caught:
        check_hop("http://news.example.com/a", "http://intranet.example/b", resolve=resolve)
    assert caught.value.message == (
        "refused: private address reached from a public host (--allow-private allows it)"
    )
    check_hop("http://intranet.example/a", "http://intranet.example/b", resolve=resolve)
    check_hop("http://intranet.example/a", "http://news.example.com/b", resolve=resolve)
    check_hop("", "http://news.example.com/b", resolve=resolve)


def test_the_link_guard_asks_its_own_resolver_once_per_pair_of_hosts():
    from newskit.net.addresses import HopGuard

    asked: list[str] = []

    def resolve(host: str) -> list[str]:
        asked.append(host)
        return {"intranet.example": ["10.0.0.5"]}.get(host, ["93.184.216.34"])

    guard = HopGuard(resolve=resolve)
    refused = guard.refusal("http://news.example.com/a", "http://intranet.example/b")
    assert refused is not None and refused.source == "http://intranet.example/b"
    assert guard.refusal("http://news.example.com/c", "http://intranet.example/d") is not None
    assert asked == ["news.example.com", "intranet.example"]


@pytest.mark.parametrize(
    "origin, target, refused",
    [
        ({"public"}, {"public"}, False),
        ({"public"}, {"loopback"}, True),
        ({"public"}, {"private"}, True),
        ({"public"}, {"link-local"}, True),
        ({"public"}, {"public", "private"}, True),
        ({"private"}, {"private"}, False),
        ({"private"}, {"public"}, False),
        ({"loopback"}, {"loopback"}, False),
        ({"loopback"}, {"link-local"}, True),
        ({"private"}, {"loopback"}, True),
    ],
)
def test_a_hop_leads_to_public_space_or_the_space_it_comes_from(origin, target, refused):
    from newskit.net.addresses import hop_refusal

    assert (hop_refusal(frozenset(origin), frozenset(target)) is not None) is refused


def _proxy(routes: dict[str, tuple[int, dict[str, str], bytes]], seen: list[str]):
    """A proxy playing every site: answers by absolute URL, logs every URL asked for."""

    def handle(request, stop):
        seen.append(request.path)
        status, headers, body = routes.get(request.path, (404, {}, b"not here"))
        request.send_response(status)
        request.send_header("Content-Length", str(len(body)))
        for name, value in {"Content-Type": "text/html; charset=utf-8", **headers}.items():
            request.send_header(name, value)
        request.end_headers()
        request.wfile.write(body)

    return handle


def _env(base: str, **more: str) -> dict[str, str]:
    return {"HTTP_PROXY": base, "http_proxy": base, "NO_PROXY": "", "no_proxy": "", **more}


TARGETS = [
    ("http://2130706433:8080/admin", "loopback"),
    ("http://0x7f.1:8080/admin", "loopback"),
    ("http://0177.0.0.1/admin", "loopback"),
    ("http://localhost/admin", "loopback"),
    ("http://[::1]:8080/admin", "loopback"),
    ("http://169.254.169.254/latest/meta-data/", "link-local"),
    ("http://10.0.0.5/intranet", "private"),
]


@pytest.mark.parametrize("target, kind", TARGETS)
def test_a_redirect_from_a_public_site_into_private_space_is_refused(runner, target, kind):
    seen: list[str] = []
    start = f"{PUBLIC_SITE}/start"
    routes = {start: (302, {"Location": target}, b"")}
    with serve(_proxy(routes, seen)) as proxy:
        result = runner.invoke(app, ["fetch", "--raw", start], env=_env(proxy))
    assert (result.exit_code, result.stdout) == (3, "")
    assert result.stderr == (
        f"newskit: {start}: redirect to {target}: refused: {kind} address reached from a "
        "public host (--allow-private allows it)\n"
    )
    assert seen == [start]  # refused before asking for it


@pytest.mark.parametrize(
    "flag, env", [(["--allow-private"], {}), ([], {"NEWSKIT_ALLOW_PRIVATE": "1"})]
)
def test_allow_private_follows_the_redirect(runner, flag, env):
    seen: list[str] = []
    start, target = f"{PUBLIC_SITE}/start", "http://2130706433:8080/admin"
    routes = {
        start: (302, {"Location": target}, b""),
        target: (200, {}, b"<p>inside</p>"),
    }
    with serve(_proxy(routes, seen)) as proxy:
        result = runner.invoke(app, ["fetch", "--raw", *flag, start], env=_env(proxy, **env))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "<p>inside</p>"
    assert seen == [start, target]


def test_a_loopback_url_the_user_names_is_fetched(runner):
    """Tests and intranets: what the user names is fetched, and its redirects may stay in
    the space it is in."""
    seen: list[str] = []
    routes = {"/a": (302, {"Location": "/b"}, b""), "/b": (200, {}, b"<p>local</p>")}
    with serve(_proxy(routes, seen)) as local:
        result = runner.invoke(app, ["fetch", "--raw", local + "/a"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "<p>local</p>" and seen == ["/a", "/b"]


def test_followed_links_are_http_only_and_stay_out_of_private_space(runner):
    listing = page("zh-list-local-links.html")
    links = {
        b"zh-gbk-portal.html": f"{PUBLIC_SITE}/a/1.html".encode(),
        b"zh-article-related.html": b"http://127.0.0.1:9/admin",
        b"zh-missing-article.html": b"file:///etc/hostname",
    }
    for old, new in links.items():
        listing = listing.replace(old, new)
    seen: list[str] = []
    source = f"{PUBLIC_SITE}/list.html"
    routes = {
        source: (200, {}, listing),
        f"{PUBLIC_SITE}/a/1.html": (200, {"Content-Type": "text/html"}, page("zh-gbk-portal.html")),
    }
    with serve(_proxy(routes, seen)) as proxy:
        result = runner.invoke(app, ["teasers", "--follow", source], env=_env(proxy))
    assert result.exit_code == 0, result.stderr
    records = [orjson.loads(line) for line in result.stdout.splitlines()]
    assert [("teaser" in r) for r in records] == [True, False, False]
    assert result.stderr == (
        f"newskit: {source}: http://127.0.0.1:9/admin: refused: loopback address reached "
        "from a public host (--allow-private allows it) (no teaser)\n"
        f"newskit: {source}: file:///etc/hostname: file: link not followed (only http and "
        "https) (no teaser)\n"
    )
    assert seen == [source, f"{PUBLIC_SITE}/a/1.html"]


def test_idn_hosts_are_sent_idna_encoded(runner):
    seen: list[str] = []
    with serve(_proxy({}, seen)) as proxy:
        result = runner.invoke(app, ["fetch", "http://例子.测试/新闻"], env=_env(proxy))
    assert result.exit_code == 3
    assert seen == ["http://xn--fsqu00a.xn--0zwm56d/%E6%96%B0%E9%97%BB"]


def test_batch_refuses_feed_links_into_private_space_before_any_request(runner, tmp_path):
    from batch_server import article_html

    feed_url, story = f"{PUBLIC_SITE}/feed.xml", f"{PUBLIC_SITE}/a/1.html"
    inside = ["http://2130706433:8080/secret", "http://169.254.169.254/latest/meta-data/"]
    items = "".join(f"<item><link>{link}</link></item>" for link in [story, *inside])
    feed = f'<?xml version="1.0"?><rss><channel>{items}</channel></rss>'.encode()
    seen: list[str] = []
    routes = {
        feed_url: (200, {"Content-Type": "application/rss+xml"}, feed),
        story: (200, {}, article_html(1)),
    }
    report = tmp_path / "report.json"
    args = ["batch", "--feed", feed_url, "--state", str(tmp_path / "s.sqlite"), "--procs", "1"]
    with serve(_proxy(routes, seen)) as proxy:
        result = runner.invoke(app, [*args, "--report", str(report)], env=_env(proxy))
    assert result.exit_code == 6, result.stderr
    assert [orjson.loads(line)["url"] for line in result.stdout.splitlines()] == [story]
    errors = {e["url"]: e["error"] for e in orjson.loads(report.read_bytes())["errors"]}
    assert errors == {
        inside[0]: "refused: loopback address reached from a public host (--allow-private "
        "allows it)",
        inside[1]: "refused: link-local address reached from a public host (--allow-private "
        "allows it)",
    }
    assert sorted(seen) == sorted([feed_url, f"{PUBLIC_SITE}/robots.txt", story])


def test_a_hop_connection_that_lands_in_private_space_sends_nothing():
    """The second line of defence: whatever a name resolved to when the hop was checked
    (DNS rebinding), a new connection whose peer is outside the allowed space is closed
    before a byte is sent."""
    from fetch_servers import raw_server

    from newskit.net.addresses import PrivateAddressError
    from newskit.net.deadline import hop
    from newskit.net.options import FetchOptions, make_pool

    def answer(conn, stop, log):
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")

    with raw_server(answer) as (base, log):
        pools = make_pool(FetchOptions(retries=0))
        manager = pools.manager(base)
        with hop(frozenset({"public"})), pytest.raises(PrivateAddressError) as caught:
            manager.urlopen("GET", base + "/from-public", retries=False)
        with hop(frozenset({"loopback"})):
            allowed = manager.urlopen("GET", base + "/from-loopback", retries=False)
    assert caught.value.message == (
        "refused: loopback address reached from a public host (--allow-private allows it)"
    )
    assert allowed.status == 200 and log == ["request"]
