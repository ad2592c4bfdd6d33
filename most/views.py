"""Views of the platform itself, outside any app."""

from django.db import connection
from django.http import HttpResponse
from django.views.decorators.http import require_GET


@require_GET
def health(request):
    """For load balancers and monitoring: the application answers and reaches its database.

    The cheapest page of the whole stack (middleware, session, database), which the benchmarks
    time beside every real page.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    response = HttpResponse("ok\n", content_type="text/plain")
    response["Cache-Control"] = "no-store"
    return response
