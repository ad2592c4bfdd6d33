"""The address of the client behind a chain of reverse proxies.

Framework-free. Every proxy appends the address it received the request from to
X-Forwarded-For, so only the entries appended by proxies we run can be believed: with N trusted
proxies in front of the application, the client is the Nth address from the right. Anything to
the left of it was sent by the client and may be made up (a login throttle that believed it
could be escaped by sending a new address with every attempt).
"""

import ipaddress


def client_address(remote_addr: str | None, forwarded_for: str | None, trusted_proxies: int):
    """The client's IP address: REMOTE_ADDR with no trusted proxy, else from X-Forwarded-For.

    Falls back to REMOTE_ADDR (the peer that connected, a fact rather than a claim) when the
    header holds fewer addresses than there are proxies or the chosen one is no address.
    """
    remote_addr = remote_addr or None
    if trusted_proxies <= 0 or not forwarded_for:
        return remote_addr
    addresses = [part.strip() for part in forwarded_for.split(",")]
    if len(addresses) < trusted_proxies:
        return remote_addr
    candidate = addresses[-trusted_proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote_addr
