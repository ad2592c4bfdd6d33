from django.shortcuts import render
from django.views.decorators.http import require_GET


@require_GET
def home(request):
    """The public home for migrants; information and the service finder grow here."""
    return render(request, "info/home.html")
