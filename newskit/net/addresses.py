"""Where a redirect or a followed link may lead: into public space, or the space it comes from.

The URLs a user names are fetched wherever they point (tests and intranets need loopback and
private hosts). A hop newskit takes on a server's word (a redirect, a link found in a page)
may not move into loopback, private or link-local space it did not start from, unless
FetchOptions.allow_private: a public page must not steer newskit to 169.254.169.254 or to
services on the machine. Numeric host forms (2130706433, 0x7f.1, 0177.0.0.1, ::ffff:7f00:1)
are normalised first, as the C resolver would read them.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

from newskit.core.errors import FetchError

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
# A resolver: host name → the addresses it connects to (getaddrinfo by default).
Resolver = Callable[[str], Iterable[str]]

PUBLIC, PRIVATE, LOOPBACK, LINK_LOCAL = "public", "private", "loopback", "link-local"
# RFC 6761: *.localhost is always the machine itself, whatever DNS says.
_LOCAL_NAMES = re.compile(r"(?:^|\.)localhost\.?$", re.IGNORECASE)
_PART = re.compile(r"0x[0-9a-f]*|0[0-7]*|[1-9][0-9]*", re.IGNORECASE)


class PrivateAddressError(FetchError):
    """A redirect or a followed link leads from public space into a private address."""


def parse_ipv4(host: str) -> ipaddress.IPv4Address | None:
    """The IPv4 address of a numeric host in any form inet_aton reads, else None.

    1 to 4 parts, each decimal, octal (leading 0) or hex (0x); the last part fills the
    remaining bytes: `2130706433`, `0x7f.1`, `0177.0.0.1` and `127.1` are all 127.0.0.1.
    """
    parts = host.rstrip(".").split(".")
    if not 1 <= len(parts) <= 4 or not all(_PART.fullmatch(p) for p in parts):
        return None
    values = [int(p, 16) if p[:2].lower() == "0x" and len(p) > 2 else _number(p) for p in parts]
    if any(v is None for v in values):
        return None
    numbers = [v for v in values if v is not None]
    *head, last = numbers
    if any(v > 255 for v in head) or last >= 256 ** (4 - len(head)):
        return None
    value = 0
    for v in head:
        value = value * 256 + v
    return ipaddress.IPv4Address(value * 256 ** (4 - len(head)) + last)


def _number(part: str) -> int | None:
    if part.lower() == "0x":
        return 0  # inet_aton reads a bare 0x as zero
    return int(part, 8) if part.startswith("0") else int(part)


def parse_ip(host: str) -> Address | None:
    """The IP address a URL host names (IPv4 in any numeric form, IPv6 with or without
    brackets and zone), or None for a host name."""
    host = host.strip().strip("[]")
    if ":" in host:
        try:
            return ipaddress.IPv6Address(host.split("%", 1)[0])
        except ValueError:
            return None
    return parse_ipv4(host)


def address_kind(address: Address | str) -> str:
    """`public`, `private`, `loopback` or `link-local` for one address."""
    ip = ipaddress.ip_address(address) if isinstance(address, str) else address
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    # 0.0.0.0/8 and :: reach the machine itself on Linux.
    if ip.is_loopback or ip.is_unspecified or ip in _THIS_NETWORK:
        return LOOPBACK
    if ip.is_link_local:
        return LINK_LOCAL
    if not ip.is_global or ip.is_multicast:
        return PRIVATE  # RFC 1918, unique local, shared (100.64/10), reserved ranges
    return PUBLIC


_THIS_NETWORK = ipaddress.IPv4Network("0.0.0.0/8")


def system_resolver(host: str) -> list[str]:
    """The addresses the system resolver gives a host name (empty when it gives none)."""
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return []  # the fetch itself reports the name that does not resolve
    return [str(info[4][0]) for info in infos]


def host_kinds(host: str, resolve: Resolver | None = system_resolver) -> frozenset[str]:
    """The kinds of address a host reaches: its own when numeric, else those it resolves to.

    With `resolve=None` (a proxy resolves names, not newskit) a name counts as public.
    """
    ip = parse_ip(host)
    if ip is not None:
        return frozenset({address_kind(ip)})
    if _LOCAL_NAMES.search(host):
        return frozenset({LOOPBACK})
    if resolve is None:
        return frozenset({PUBLIC})
    kinds = set()
    for address in resolve(host):
        try:
            kinds.add(address_kind(address.split("%", 1)[0]))
        except ValueError:
            continue
    return frozenset(kinds or {PUBLIC})


def hop_refusal(origin: frozenset[str], target: frozenset[str]) -> str | None:
    """Why a hop from a host of `origin` kinds to one of `target` kinds is refused, or None.

    A hop may lead into public space, or into a kind of space its origin is in itself.
    """
    new = sorted(target - origin - {PUBLIC})
    if not new:
        return None
    space = " and ".join(f"{kind} address" for kind in new)
    return f"{space} reached from a {'/'.join(sorted(origin))} host (--allow-private allows it)"


def check_hop(
    origin_url: str,
    target_url: str,
    proxied: Callable[[str], bool] = lambda url: False,
    resolve: Resolver = system_resolver,
) -> frozenset[str]:
    """Raise PrivateAddressError when `target_url`, reached from `origin_url` by a redirect
    or a link, is in a non-public space the origin is not in; else the origin's kinds.

    Host names are resolved with `resolve`, except those a proxy resolves (`proxied`);
    an origin of unknown address ("") counts as public.
    """

    def kinds(url: str) -> frozenset[str]:
        host = urlsplit(url).hostname
        if not host:  # a page of unknown address (a file, stdin) counts as public
            return frozenset({PUBLIC})
        return host_kinds(host, None if proxied(url) else resolve)

    origin = kinds(origin_url)
    why = hop_refusal(origin, kinds(target_url))
    if why is not None:
        raise PrivateAddressError(f"refused: {why}")
    return origin


class HopGuard:
    """check_hop for long runs: one verdict per (origin host, target host), then remembered."""

    def __init__(
        self,
        proxied: Callable[[str], bool] = lambda url: False,
        resolve: Resolver = system_resolver,
    ) -> None:
        self.proxied = proxied
        self.resolve = resolve
        self.verdicts: dict[tuple[str, str], str | None] = {}

    def refusal(self, origin: str, url: str) -> PrivateAddressError | None:
        """Why `url`, a link found at the URL `origin`, may not be fetched, or None.

        URLs of a local file or stdin are the user's own: never refused.
        """
        if "://" not in origin or origin == url:
            return None
        key = (urlsplit(origin).netloc.lower(), urlsplit(url).netloc.lower())
        if key not in self.verdicts:
            try:
                check_hop(origin, url, self.proxied, self.resolve)
                self.verdicts[key] = None
            except PrivateAddressError as err:
                self.verdicts[key] = err.message
        message = self.verdicts[key]
        return None if message is None else PrivateAddressError(message, source=url)
