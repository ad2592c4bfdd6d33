from hypothesis import given
from hypothesis import strategies as st

from most.lib.net import client_address

PROXY = "10.0.0.5"


def test_without_trusted_proxies_the_header_is_ignored():
    assert client_address("203.0.113.9", "198.51.100.1", 0) == "203.0.113.9"


def test_with_one_proxy_the_rightmost_address_is_the_client():
    assert client_address(PROXY, "198.51.100.1", 1) == "198.51.100.1"
    # Whatever the client sent itself stands to the left, and is not believed.
    assert client_address(PROXY, "1.2.3.4, 198.51.100.1", 1) == "198.51.100.1"


def test_with_two_proxies_the_second_address_from_the_right_is_the_client():
    assert client_address(PROXY, "1.2.3.4, 198.51.100.1, 10.0.0.4", 2) == "198.51.100.1"


def test_ipv6_addresses_are_read_too():
    assert client_address(PROXY, "2001:db8::1", 1) == "2001:db8::1"


def test_a_short_or_odd_header_falls_back_to_the_connecting_peer():
    assert client_address(PROXY, "198.51.100.1", 2) == PROXY
    assert client_address(PROXY, "", 1) == PROXY
    assert client_address(PROXY, None, 1) == PROXY
    assert client_address(PROXY, "not-an-address", 1) == PROXY
    assert client_address(PROXY, "198.51.100.1:443", 1) == PROXY
    assert client_address("", None, 0) is None


ADDRESS = st.ip_addresses().map(str)


@given(st.lists(st.one_of(ADDRESS, st.text(max_size=10)), max_size=5), ADDRESS, st.integers(1, 4))
def test_the_client_can_never_choose_its_own_address(sent, client, proxies):
    """Whatever the client puts in the header, the proxies' own entries decide."""
    appended = [client] + [f"10.0.0.{n}" for n in range(1, proxies)]
    header = ", ".join([*sent, *appended])
    assert client_address(PROXY, header, proxies) == str(client)
