"""Settings for Most, read from environment variables (listed in docs/configuration.md).

The defaults make `make demo` work with no configuration: an SQLite file under MOST_DATA_DIR and
DEBUG on. With DEBUG=false the production defaults apply: a real SECRET_KEY is required, cookies
are secure, HSTS is on and plain HTTP is redirected.
"""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name, default=""):
    return os.environ.get(name, default)


def env_bool(name, default):
    value = os.environ.get(name, default).strip().lower()
    if value not in ("true", "false"):
        raise ImproperlyConfigured(f"{name} must be 'true' or 'false', not {value!r}")
    return value == "true"


def env_int(name, default):
    value = os.environ.get(name, default)
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_cache(name, default):
    """A cache from a URL: db://<table>, locmem://, or redis://host:port/db (Django's Redis cache,
    which needs the redis package)."""
    url = os.environ.get(name, default)
    scheme, _sep, location = url.partition("://")
    if scheme == "db" and location:
        # The database cache culls a third of its entries at random once it holds MAX_ENTRIES;
        # the API throttle keeps one per user there, so leave room for every user of a network.
        return {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": location,
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    if scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": location}
    if scheme in ("redis", "rediss"):
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    raise ImproperlyConfigured(
        f"{name} must be db://<table>, locmem:// or redis://host:port/db, not {url!r}"
    )


def env_secret(name):
    """A secret from NAME, or from the file NAME_FILE points at (Docker/systemd credentials)."""
    if path := os.environ.get(f"{name}_FILE"):
        return Path(path).read_text(encoding="utf-8").strip()
    return os.environ.get(name, "")


DEBUG = env_bool("DEBUG", "true")

SECRET_KEY = env_secret("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY (or SECRET_KEY_FILE) must be set when DEBUG=false")
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"  # noqa: S105
# Former secret keys, still accepted while what they signed moves on (sessions, password links,
# backup codes): comma-separated, like SECRET_KEY read from the environment or a file.
SECRET_KEY_FALLBACKS = [
    key.strip() for key in env_secret("SECRET_KEY_FALLBACKS").split(",") if key.strip()
]

# The master keys of the audit trail (docs/data-protection.md): Fernet keys, comma-separated, the
# first wraps every new data key, the others still open keys wrapped before a rotation. Keep them
# outside the database and its backups. Unset, one is derived from SECRET_KEY, which
# `check --deploy` reports.
AUDIT_KEYS = [key.strip() for key in env_secret("MOST_AUDIT_KEYS").split(",") if key.strip()]
AUDIT_KEYS_DERIVED = not AUDIT_KEYS
if AUDIT_KEYS_DERIVED:
    import base64
    import hashlib

    AUDIT_KEYS = [
        base64.urlsafe_b64encode(
            hashlib.sha256(b"most.audit.master-key:" + SECRET_KEY.encode()).digest()
        ).decode()
    ]

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_NAME = env("SITE_NAME", "Most")

DATA_DIR = Path(env("MOST_DATA_DIR", str(BASE_DIR / "data")))
# Which persons were erased (numbers only), outside the database: a restored backup is erased
# again from it (docs/data-protection.md). Keep it on other storage than the database backups.
ERASURE_LEDGER = Path(env("MOST_ERASURE_LEDGER", str(DATA_DIR / "erasures.log")))

INSTALLED_APPS = [
    # Django's admin on a site that asks for the second factor too (accounts/admin_site.py).
    "most.accounts.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "template_partials",
    "django_countries",
    "csp",
    "axes",
    # Before most.accounts, whose admin module makes their admin pages read-only.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "most.audit",
    "most.accounts",
    "most.people",
    "most.programmes",
    "most.casework",
    "most.directory",
    "most.referrals",
    "most.reports",
    "most.privacy",
    "most.info",
    "most.workspace",
    "most.jobs",
    "most.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "most.accounts.middleware.StaffLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): whether this session passed the second step of signing in.
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "most.accounts.middleware.ActiveMembershipMiddleware",
    "most.accounts.middleware.NoStoreMiddleware",
    # Last, as django-axes asks: it turns a lockout raised during login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "most.urls"
WSGI_APPLICATION = "most.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "most" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "most.accounts.context_processors.workspace",
            ],
        },
    },
]

# --- Database ------------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{DATA_DIR / 'most.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", "60"),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers go on while one request writes; IMMEDIATE takes the write lock at the
        # start of a transaction, so two writers queue instead of failing half-way.
        # secure_delete overwrites what is deleted with zeros, so that an erased person's values
        # do not linger in the file's free pages.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA secure_delete=ON;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The pages' queries are short; PostgreSQL's JIT compiles any query its planner costs high
    # (a correlated subquery over the national registry is), which costs a third of a second
    # to save a few milliseconds. A DATABASE_URL's own `?options=` replaces this.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# One cache for every worker and server: the API throttle counts there, and a cache of each
# process's own would let every gunicorn worker count alone. The database cache's table is made
# by a migration (accounts 0002); another table name needs `most createcachetable`.
CACHES = {"default": env_cache("CACHE_URL", "db://most_cache")}

# --- Authentication ------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "most.accounts.backends.ModelBackendWithMemberships",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "workspace:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Reverse proxies in front of the application, each appending to X-Forwarded-For: the client's
# address (audit trail, login throttle, API) is the Nth from the right (most/lib/net.py).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", "0")

# Failed logins slow down further attempts, never lock out (most/accounts/throttling.py): counted
# per e-mail and, separately, per address; past either limit each attempt waits a little longer,
# up to a minute. Failures are forgotten AXES_COOLOFF_TIME after the last one, or at a correct
# password for that e-mail.
AXES_HANDLER = "most.accounts.throttling.SlowDownHandler"
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", "5")
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("LOGIN_ADDRESS_FAILURE_LIMIT", "30")
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", "15"))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# The handler decides before each attempt; a failure itself never turns into a lock-out, and an
# attempt refused for coming too early is not counted.
AXES_LOCK_OUT_AT_FAILURE = False
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_USERNAME_CALLABLE = "most.accounts.throttling.login_username"
AXES_CLIENT_IP_CALLABLE = "most.audit.services.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "most.accounts.throttling.lockout_response"
AXES_VERBOSE = False

# Two-factor sign-in (most/accounts/policy.py, second_factor_step): a code from an authenticator
# app (TOTP) after the password, or one of ten backup codes. Whoever has set it up must use it;
# administrators must set it up (unless MOST_TWO_FACTOR_FOR_ADMINS=false, as for the demo), and
# so must every member of an organisation that requires it. API tokens are not affected.
TWO_FACTOR_REQUIRED_FOR_ADMINS = env_bool("MOST_TWO_FACTOR_FOR_ADMINS", "true")
# The name the authenticator app shows beside the codes.
OTP_TOTP_ISSUER = SITE_NAME
# The Django admin's device pages show no secret key, QR code or backup code.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Database sessions that ignore a malformed session cookie instead of querying with it.
SESSION_ENGINE = "most.accounts.sessions"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", str(8 * 60 * 60))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# --- Security ------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    # Cookies only over HTTPS. SECURE_COOKIES=false is for a server on plain HTTP at 127.0.0.1
    # (the demo, benchmarks), which no one else can reach.
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", "true")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", "true")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", str(365 * 24 * 60 * 60))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    if env_bool("BEHIND_PROXY", "false"):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Strict Content Security Policy: nothing inline, nothing from another host.
# The service finder's map: a tile server's URL template (Leaflet's {z}/{x}/{y}, {s}), and what
# its licence asks to show. Empty: no map, the list only.
MAP_TILES = env("MOST_MAP_TILES", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_ATTRIBUTION = env(
    "MOST_MAP_ATTRIBUTION",
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>',
)
# The images' source the Content Security Policy lets in: the tile server's origin ({s}: any
# of its subdomains), none more for tiles served by Most itself.
_tiles = urlsplit(MAP_TILES)
MAP_TILE_SOURCE = f"{_tiles.scheme}://{_tiles.netloc.replace('{s}', '*')}" if _tiles.netloc else ""

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *([MAP_TILE_SOURCE] if MAP_TILE_SOURCE else [])],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# --- Languages -----------------------------------------------------------------------------
LANGUAGE_CODE = "sl"
# The public pages (home, service finder, service pages) speak all seven; the staff workspace,
# whose catalogues are complete, the first two (STAFF_LANGUAGES).
LANGUAGES = [
    ("sl", _("Slovenian")),
    ("en", _("English")),
    ("uk", _("Ukrainian")),
    ("ar", _("Arabic")),
    ("fa", _("Persian")),
    ("sq", _("Albanian")),
    ("ru", _("Russian")),
]
STAFF_LANGUAGES = ("sl", "en")
LOCALE_PATHS = [BASE_DIR / "most" / "locale"]
FORMAT_MODULE_PATH = ["most.formats"]
TIME_ZONE = "Europe/Ljubljana"
USE_I18N = True
USE_TZ = True
# Slovenia first in country lists, where most staff look for it.
COUNTRIES_FIRST = ["SI"]
COUNTRIES_FIRST_REPEAT = True
# Kosovo has no ISO 3166 code; XK is the code its documents and the EU use.
COUNTRIES_OVERRIDE = {"XK": _("Kosovo")}

# --- Static files --------------------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "most" / "static"]
STATIC_ROOT = Path(env("STATIC_ROOT", str(DATA_DIR / "static")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Files with personal data (exports) for their owner only: never under a public URL.
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": DATA_DIR / "private", "base_url": None},
    },
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# --- Background jobs and e-mail -------------------------------------------------------------
# Jobs wait in the database for the worker (`most worker`): no broker to run.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", str(DATA_DIR / "mail"))
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", "25")
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", "false")
# A mail server that does not answer must not hold a request (a referral's notice) for long.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", "10")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Most <most@localhost>")
# Where links in e-mails point (no request tells the worker the site's address).
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# --- API -----------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "most.accounts.authentication.TokenAuthentication",
        "most.accounts.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["most.api.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "most.api.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.UserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"user": env("API_THROTTLE_RATE", "6000/hour")},
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Most API",
    "DESCRIPTION": "Organisations, persons, households and consents of the Most network. "
    "Authenticate with `Authorization: Token <key>`; pick the organisation you act for with "
    "the `X-Organisation` header (its id), otherwise your first membership is used.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "most.api.version_required_in_updates",
        "most.api.error_responses",
    ],
    "ENUM_NAME_OVERRIDES": {
        "CountryEnum": "most.people.api.COUNTRY_CHOICES",
        "LanguageEnum": "most.people.taxonomy.Language.choices",
        "SituationKindEnum": "most.people.models.SituationKind.choices",
        "ActivityKindEnum": "most.programmes.models.ActivityKind.choices",
        "CounsellingKindEnum": "most.casework.taxonomy.CounsellingKind.choices",
        "OutcomeKindEnum": "most.casework.taxonomy.OutcomeKind.choices",
        "DropoutReasonEnum": "most.programmes.models.DropoutReason.choices",
    },
}

# --- Logging -------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
}
