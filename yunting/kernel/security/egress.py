"""Outbound requests to addresses that other people give us (institutions' webhook URLs): never into the court's
own network.

A URL is refused when its host is, or resolves to, a private, loopback, link-local, shared (CGNAT), multicast,
reserved or unspecified address — checked when the URL is registered and again, on the resolved addresses
themselves, at every delivery (DNS may have changed since, or answer differently the second time: the request
goes to the very address that was checked, with the name kept for Host and TLS). Redirects are never followed.

Written here rather than taken from a library: the maintained HTTP clients have no SSRF guard, and the
dedicated packages (advocate and the like) are unmaintained; what is needed is a few lines over `ipaddress`,
`socket` and `http.client`.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings


class EgressRefused(ValueError):
    """The URL may not be called; `reason` says why, in words for the log and the caller."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str


def _allow_private() -> bool:
    return bool(getattr(settings, "YUNTING_EGRESS_ALLOW_PRIVATE", False))


def address_forbidden(address: str) -> bool:
    """Whether an IP address lies outside the public internet (is_global covers private, loopback, link-local,
    shared 100.64/10, documentation and reserved ranges); IPv4 mapped into IPv6 is judged as IPv4."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not ip.is_global or ip.is_multicast or ip.is_reserved or ip.is_unspecified


def parse_target(url: str, *, schemes: tuple[str, ...] = ("https",)) -> Target:
    parts = urlsplit(url)
    if parts.scheme not in schemes:
        raise EgressRefused(f"scheme {parts.scheme or '(none)'} is not allowed")
    if parts.username or parts.password:
        raise EgressRefused("credentials in the URL are not allowed")
    host = parts.hostname or ""
    if not host:
        raise EgressRefused("the URL has no host")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise EgressRefused("the port is not valid") from None
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(parts.scheme, host, port, path)


def _literal(host: str) -> str | None:
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        return None


def resolve_public(host: str, port: int) -> list[str]:
    """The host's addresses, all of them public; EgressRefused if any is not (or if the name does not resolve)."""
    literal = _literal(host)
    if literal is not None:
        addresses = [literal]
    else:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError):
            raise EgressRefused(f"the host {host} does not resolve") from None
        addresses = list(dict.fromkeys(info[4][0] for info in infos))
    if not _allow_private():
        for address in addresses:
            if address_forbidden(address):
                raise EgressRefused(f"the host {host} points to a non-public address ({address})")
    if not addresses:
        raise EgressRefused(f"the host {host} does not resolve")
    return addresses


def check_url(url: str, *, schemes: tuple[str, ...] = ("https",)) -> Target:
    """At registration: refuse a URL whose host is, or now resolves to, a non-public address. A name that does
    not resolve yet is accepted (its DNS may not be live); delivery checks again in any case."""
    target = parse_target(url, schemes=schemes)
    if _literal(target.host) is not None:
        resolve_public(target.host, target.port)
        return target
    try:
        resolve_public(target.host, target.port)
    except EgressRefused as exc:
        if "does not resolve" not in exc.reason:
            raise
    return target


def request(method: str, url: str, *, body: bytes | None = None, headers: dict[str, str] | None = None,
            timeout: float = 10, schemes: tuple[str, ...] = ("https",), max_answer: int = 8 * 1024 * 1024
            ) -> tuple[int, bytes]:
    """One request to the first vetted address of the URL's host: (HTTP status, answer body up to `max_answer`
    bytes). Redirects are answers, never followed. Raises EgressRefused for a forbidden target, OSError for
    network trouble."""
    target = parse_target(url, schemes=schemes)
    address = resolve_public(target.host, target.port)[0]
    sock = socket.create_connection((address, target.port), timeout=timeout)
    try:
        if target.scheme == "https":
            context = ssl.create_default_context()
            sock = context.wrap_socket(sock, server_hostname=target.host)
            conn = http.client.HTTPSConnection(target.host, target.port, timeout=timeout, context=context)
        else:
            conn = http.client.HTTPConnection(target.host, target.port, timeout=timeout)
        conn.sock = sock  # already connected to the checked address: no second DNS lookup
        conn.request(method, target.path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.read(max_answer)
    finally:
        sock.close()


def post(url: str, body: bytes, headers: dict[str, str], *, timeout: float = 10,
         schemes: tuple[str, ...] = ("https",)) -> int:
    """One POST (a webhook delivery); the HTTP status."""
    return request("POST", url, body=body, headers=headers, timeout=timeout, schemes=schemes, max_answer=64 * 1024)[0]
