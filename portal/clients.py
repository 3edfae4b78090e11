"""Who a request comes from, as the abuse limits and the login lockout count it.

The guidance door's rate limit and django-axes (AXES_CLIENT_IP_CALLABLE) both read the client's
address here, so both trust the same proxies (TRUSTED_PROXY_COUNT) and count an IPv6 client by
its /64.
"""

import ipaddress

from django.conf import settings


def client_ip(request):
    """The client's address: REMOTE_ADDR, or the address the trusted proxies saw.

    X-Forwarded-For is trusted only with TRUSTED_PROXY_COUNT set, and then only the entry the
    nearest trusted proxy appended: the ones before it are whatever the client chose to send.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [a for a in forwarded if a]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def client_key(ip):
    """What the abuse limits count by: an IPv4 address, or an IPv6 client's /64 network (one
    household or host usually holds a whole /64, and rotates addresses inside it)."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ip
    if address.version == 6:
        if address.ipv4_mapped:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def lockout_address(request):
    """The address login failures are counted under: the client's, or for IPv6 the first address
    of its /64, so a client cannot escape the lockout by taking the next address of its network.

    An address, not a network, because axes keeps it in a GenericIPAddressField; None when the
    request has no usable address (axes then counts by the username alone).
    """
    key = client_key(client_ip(request))
    try:
        return str(ipaddress.ip_network(key, strict=False).network_address)
    except ValueError:
        return None
