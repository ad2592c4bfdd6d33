"""The API throttle counts in a cache every worker shares, so N workers do not allow N times."""

import pytest
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from rest_framework.throttling import UserRateThrottle
from rest_framework.views import APIView

from most.settings import env_cache


class ThreePerHour(UserRateThrottle):
    rate = "3/hour"


def worker_throttle():
    """What one gunicorn worker has: a throttle with its own connection to the cache."""
    throttle = ThreePerHour()
    throttle.cache = caches.create_connection("default")
    return throttle


def test_the_default_cache_is_the_database(settings, db):
    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    assert settings.CACHES["default"]["LOCATION"] in connection.introspection.table_names()


def test_two_workers_share_one_count(rf, alice):
    request = rf.get("/api/persons/")
    request.user = alice.user
    first, second = worker_throttle(), worker_throttle()
    assert first.cache is not second.cache
    view = APIView()
    assert first.allow_request(request, view)
    assert second.allow_request(request, view)
    assert first.allow_request(request, view)
    # The fourth request in the hour is refused, whichever worker it reaches.
    assert not second.allow_request(request, view)
    assert not first.allow_request(request, view)
    # Shared because it is in the database, which every worker and every server reaches.
    table = connection.ops.quote_name(caches["default"]._table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 (a table name, quoted)
        assert cursor.fetchone()[0] >= 1


def test_the_api_refuses_past_the_rate_across_workers(alice, settings, monkeypatch):
    monkeypatch.setitem(UserRateThrottle.THROTTLE_RATES, "user", "2/hour")
    token, _created = Token.objects.get_or_create(user=alice.user)
    answers = []
    for _ in range(3):
        # A fresh cache connection for each request, as if each reached another worker.
        monkeypatch.setattr(UserRateThrottle, "cache", caches.create_connection("default"))
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        answers.append(client.get("/api/me/").status_code)
    assert answers == [200, 200, 429]


@pytest.mark.parametrize(
    ("url", "backend", "location"),
    [
        ("db://most_cache", "django.core.cache.backends.db.DatabaseCache", "most_cache"),
        ("db://other_table", "django.core.cache.backends.db.DatabaseCache", "other_table"),
        ("locmem://", "django.core.cache.backends.locmem.LocMemCache", ""),
        (
            "redis://cache:6379/1",
            "django.core.cache.backends.redis.RedisCache",
            "redis://cache:6379/1",
        ),
    ],
)
def test_cache_url_chooses_the_cache(monkeypatch, url, backend, location):
    monkeypatch.setenv("CACHE_URL", url)
    cache = env_cache("CACHE_URL", "db://most_cache")
    assert (cache["BACKEND"], cache["LOCATION"]) == (backend, location)


@pytest.mark.parametrize("url", ["db://", "memcached://x", "most_cache", ""])
def test_a_cache_url_of_no_known_kind_is_refused(monkeypatch, url):
    monkeypatch.setenv("CACHE_URL", url)
    with pytest.raises(ImproperlyConfigured, match="CACHE_URL"):
        env_cache("CACHE_URL", "db://most_cache")
