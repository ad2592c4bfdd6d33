def login_username(request, credentials):
    """The e-mail a login attempt was for, as django-axes counts failures (case-insensitive)."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    return str(username).strip().lower()
