"""Settings for the Solidarity Economy Directory.

Every value that differs between machines comes from the environment (or a `.env`
file beside manage.py); the README lists each variable. Development defaults apply
only when DEBUG is on, so nothing insecure can reach production by omission.
"""

import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
import leaflet
from django.conf.locale import LANG_INFO
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from import_export.formats.base_formats import CSV, XLSX
from pythonjsonlogger.core import RESERVED_ATTRS

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# Variables may also come from a file (ENV_FILE, default .env beside manage.py; empty
# reads none). The real environment wins over the file.
ENV_FILE = env.str("ENV_FILE", default=str(BASE_DIR / ".env"))
if ENV_FILE:
    environ.Env.read_env(ENV_FILE, overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

_DEVELOPMENT_SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"  # noqa: S105
SECRET_KEY = env.str("SECRET_KEY", default=_DEVELOPMENT_SECRET_KEY if DEBUG else "")
if not DEBUG and (
    not SECRET_KEY
    or SECRET_KEY == _DEVELOPMENT_SECRET_KEY
    or SECRET_KEY.startswith("django-insecure")
    or len(SECRET_KEY) < 50
    or len(set(SECRET_KEY)) < 5
):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a long random value when DEBUG is off "
        "(for example: python -c 'import secrets; print(secrets.token_urlsafe(50))')."
    )

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Applications: Django, third-party, local.
INSTALLED_APPS = [
    # Before the admin, as django-modeltranslation requires (it patches admin forms).
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django_filters",
    "reversion",
    "import_export",
    "axes",
    "corsheaders",
    "csp",
    "rest_framework",
    "drf_spectacular",
    "directory",
]

MIDDLEWARE = [
    # First, so that every answer of a public data address carries CORS headers, the
    # redirects and errors other middleware return included (CORS_URLS_REGEX below).
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise, which serves static files precompressed (gzip and Brotli) and
    # answers before this runs. Compresses pages, API answers and streamed exports;
    # Django's own mitigation for BREACH pads each answer with a random length, and
    # CSRF tokens are masked anew for every answer (README, "Deployment").
    "django.middleware.gzip.GZipMiddleware",
    "directory.core.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "directory.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: it turns a lockout into the lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "solidarity.urls"
WSGI_APPLICATION = "solidarity.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "directory.core.context_processors.site",
            ],
        },
    },
]

# Database: SQLite file in the project folder unless DATABASE_URL says otherwise
# (postgres://user:password@host:port/name uses psycopg 3).
DATABASE_URL = env.str("DATABASE_URL", default="") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
DATABASES = {"default": env.db_url_config(DATABASE_URL)}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default must survive concurrent writes (25 suggestions at once gave
    # 23 "database is locked" errors): write-ahead logging lets readers go on while one
    # writer writes; IMMEDIATE takes the write lock when a transaction begins, so writers
    # queue (for up to `timeout` seconds) instead of failing when a read turns into a
    # write. Options given in DATABASE_URL's query string win.
    _SQLITE_OPTIONS = {
        "init_command": "PRAGMA journal_mode=WAL",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["OPTIONS"] = {
        **_SQLITE_OPTIONS,
        **DATABASES["default"].get("OPTIONS", {}),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The languages the District's Language Access Act names, English first (the original
# of every text). A language is offered (switcher, first-visit redirect, hreflang,
# sitemap) only while its catalogue in locale/ is complete: directory.core.languages.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("es", _("Spanish")),
    ("zh-hans", _("Simplified Chinese")),
    ("vi", _("Vietnamese")),
    ("ko", _("Korean")),
    ("am", _("Amharic")),
    ("fr", _("French")),
]
# Django knows no Amharic; its name and direction for {% get_language_info %} and the
# switcher. Our own catalogue (locale/am) carries the framework messages the public sees.
LANG_INFO.setdefault("am", {"bidi": False, "code": "am", "name": "Amharic", "name_local": "አማርኛ"})
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates and numbers follow the page's language (Django's locale formats); Amharic's are
# ours (solidarity/formats/am). Distances stay in miles in every language.
FORMAT_MODULE_PATH = ["solidarity.formats"]
# Listing text and reference names in every language (django-modeltranslation): the
# English field is the original, a missing translation falls back to it.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_LANGUAGES = tuple(code for code, _name in LANGUAGES)
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
# Rows created with the original field name (fixtures, bulk_create, services) fill the
# English column too, so the fallback always has something to show.
MODELTRANSLATION_AUTO_POPULATE = "default"
MODELTRANSLATION_TRANSLATION_FILES = ("directory.models.translation",)
TIME_ZONE = env.str("TIME_ZONE", default="America/New_York")
USE_I18N = True
USE_TZ = True

# An absolute URL (https://cdn.example.org/static/) serves static files from a CDN.
STATIC_URL = env.str("STATIC_URL", default="static/")
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
# Leaflet comes from django-leaflet's static files. The package is not an installed
# app because its admin module imports GeoDjango (GDAL), which this project avoids.
STATICFILES_DIRS = [BASE_DIR / "static", Path(leaflet.__file__).parent / "static"]

# Directory behaviour.
SITE_NAME = env.str("SITE_NAME", default="Solidarity Economy Directory: DC, Maryland & Virginia")
# Scheme and host used in links that leave the request (canonical URLs, exports, emails).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000" if DEBUG else "")
DATA_LICENSE = env.str("DATA_LICENSE", default="CC BY-SA 4.0")
DATA_LICENSE_URL = env.str(
    "DATA_LICENSE_URL", default="https://creativecommons.org/licenses/by-sa/4.0/"
)
# A listing not verified for this many months counts as stale.
VERIFY_AFTER_MONTHS = env.int("VERIFY_AFTER_MONTHS", default=12)

# Optional street-level geocoder. Off unless GEOCODER=nominatim; ZIP centroids
# from the offline zipcodes package are always available.
GEOCODER = env.str("GEOCODER", default="")
GEOCODER_USER_AGENT = env.str("GEOCODER_USER_AGENT", default="solidarity-directory")
GEOCODER_DOMAIN = env.str("GEOCODER_DOMAIN", default="nominatim.openstreetmap.org")
GEOCODER_TIMEOUT = env.float("GEOCODER_TIMEOUT", default=3.0)

MAP_TILE_URL = env.str("MAP_TILE_URL", default="https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILE_ATTRIBUTION = env.str(
    "MAP_TILE_ATTRIBUTION",
    default=(
        '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
    ),
)

# Most features one map data response (/api/locations.geojson) may hold; beyond it the
# response says "truncated": true and the map asks people to zoom in or filter.
MAP_DATA_MAX_FEATURES = env.int("MAP_DATA_MAX_FEATURES", default=100_000)

# ---------------------------------------------------------------------------------------
# Public contributions, moderation, verification emails (see README, "Contributions and
# moderation").
# ---------------------------------------------------------------------------------------
# EMAIL_URL: smtp://user:password@host:25, smtp+tls://...:587, smtp+ssl://...:465 or
# consolemail:// (django-environ). Development prints mail to the console.
EMAIL_CONFIG = env.email_url(
    "EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25"
)
globals().update({key: value for key, value in EMAIL_CONFIG.items() if value not in (None, "")})
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="webmaster@localhost")
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
# Who hears about new suggestions; empty means the active members of the Organizers group.
ORGANIZER_EMAILS = env.list("ORGANIZER_EMAILS", default=[])
# Organizers get at most one suggestions email per this many minutes (a digest).
NOTIFY_DIGEST_MINUTES = env.int("NOTIFY_DIGEST_MINUTES", default=60)
# How long a verification link works, and after how many months of silence a listing
# is flagged for organizers (never archived automatically).
VERIFICATION_LINK_DAYS = env.int("VERIFICATION_LINK_DAYS", default=30)
ARCHIVE_AFTER_MONTHS = env.int("ARCHIVE_AFTER_MONTHS", default=3)
# Spam resistance for the public forms.
CONTRIBUTION_RATE_LIMIT = env.int("CONTRIBUTION_RATE_LIMIT", default=10)
CONTRIBUTION_RATE_WINDOW_MINUTES = env.int("CONTRIBUTION_RATE_WINDOW_MINUTES", default=60)
CONTRIBUTION_MIN_FILL_SECONDS = env.int("CONTRIBUTION_MIN_FILL_SECONDS", default=4)
# A form page works for this many hours, and for one post.
CONTRIBUTION_FORM_HOURS = env.int("CONTRIBUTION_FORM_HOURS", default=6)
CONTRIBUTION_MAX_LINKS = env.int("CONTRIBUTION_MAX_LINKS", default=3)
CONTRIBUTION_MAX_BODY_BYTES = env.int("CONTRIBUTION_MAX_BODY_BYTES", default=64 * 1024)

# Organizers import with a preview; nothing is written if any row is invalid.
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
IMPORT_EXPORT_FORMATS = [CSV, XLSX]
# A confirmed spreadsheet import is written in chunks of this many rows, each planned
# again and written in one transaction; one request writes chunks for about this many
# seconds (well under the proxy's timeout), then the import's page goes on.
IMPORT_CHUNK_ROWS = env.int("IMPORT_CHUNK_ROWS", default=200)
IMPORT_STEP_SECONDS = env.float("IMPORT_STEP_SECONDS", default=8.0)


# ---------------------------------------------------------------------------
# Security and production
#
# `python manage.py check --deploy --fail-level WARNING` passes with DEBUG off, a real
# SECRET_KEY, ALLOWED_HOSTS and a shared CACHE_URL (docs/deploy.md lists the full
# environment). Browsers reach the site over HTTPS through a TLS proxy (nginx);
# gunicorn trusts that proxy's X-Forwarded-Proto only from FORWARDED_ALLOW_IPS.
# ---------------------------------------------------------------------------

# Static files: hashed, compressed names served by WhiteNoise with far-future caching.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# HTTPS everywhere. Health probes may come over plain HTTP from the load balancer.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SIX_MONTHS_SECONDS = 15_552_000
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
if not DEBUG and SECURE_HSTS_SECONDS < SIX_MONTHS_SECONDS:
    raise ImproperlyConfigured(
        f"SECURE_HSTS_SECONDS must be at least six months ({SIX_MONTHS_SECONDS}) when DEBUG is off."
    )
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
# Sites we link to learn only that a visitor came from the directory, never which page.
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"  # /embed/ opts out with @xframe_options_exempt

SESSION_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SAMESITE = "Lax"
# The interface language a visitor chose with the switcher: a year, over HTTPS only,
# never read by scripts.
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
# The site's own 403 page, saying to reload the form, instead of Django's bare one.
CSRF_FAILURE_VIEW = "solidarity.errors.csrf_failure"


def tile_image_source(tile_url: str) -> str | None:
    """The CSP source that allows map tiles from MAP_TILE_URL: its scheme and host,
    with a {s} subdomain placeholder turned into a wildcard. None for relative URLs."""
    parts = urlsplit(tile_url)
    if not parts.netloc:
        return None
    host = parts.netloc.replace("{s}", "*")
    if "{" in host:
        raise ImproperlyConfigured(
            "MAP_TILE_URL may use a placeholder in its host only as the {s} subdomain."
        )
    return f"{parts.scheme}://{host}"


def origin_of(url: str) -> list[str]:
    """The scheme and host of an absolute URL, as a one-item CSP source list."""
    parts = urlsplit(url)
    return [f"{parts.scheme}://{parts.netloc}"] if parts.netloc else []


# Content-Security-Policy (django-csp 4): nothing inline, nothing from elsewhere except
# map tiles and, when STATIC_URL points at a CDN, the static files there. /embed/ and
# any other view marked @xframe_options_exempt gets frame-ancestors * from
# directory.core.middleware.ContentSecurityPolicyMiddleware.
_SELF, _NONE = "'self'", "'none'"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [_NONE],
        "script-src": [_SELF, *origin_of(STATIC_URL)],
        "style-src": [_SELF, *origin_of(STATIC_URL)],
        # data: for the few images Leaflet's stylesheet inlines.
        "img-src": [
            _SELF,
            "data:",
            *origin_of(STATIC_URL),
            *filter(None, [tile_image_source(MAP_TILE_URL)]),
        ],
        "font-src": [_SELF, *origin_of(STATIC_URL)],
        "connect-src": [_SELF],
        "manifest-src": [_SELF],
        "form-action": [_SELF],
        "base-uri": [_NONE],
        "frame-ancestors": [_NONE],
    },
}

# Browser features: location only for this site (the "near me" search), nothing else.
PERMISSIONS_POLICY = {
    "geolocation": ["self"],
    "camera": [],
    "microphone": [],
    "payment": [],
    "usb": [],
    "browsing-topics": [],
}

# Reverse proxies in front of the app (nginx: 1). With 0 the connection's address is the
# client's; behind N proxies it is the X-Forwarded-For entry the outermost one added, so a
# client cannot choose its own (directory/clients.py). Every per-client limit and the
# request log use it.
TRUSTED_PROXIES = env.int("TRUSTED_PROXIES", default=0)
if TRUSTED_PROXIES < 0:
    raise ImproperlyConfigured("TRUSTED_PROXIES must be 0 or more.")
for _replaced in ("CLIENT_IP_HEADER", "NUM_PROXIES"):
    # Ignoring an old setting would count every visitor as the proxy's address.
    if env.str(_replaced, default=""):
        raise ImproperlyConfigured(
            f"{_replaced} is no longer read: set TRUSTED_PROXIES to the number of reverse "
            "proxies in front of the app (1 behind nginx) and remove it."
        )

# Admin sign-in: django-axes locks a username on one address, or a whole address, out
# after repeated failures; `python manage.py axes_reset_username NAME`,
# `axes_reset_ip ADDRESS` or the admin unlocks it.
ADMIN_URL = env.str("ADMIN_URL", default="admin/")
if not ADMIN_URL.endswith("/") or ADMIN_URL.startswith("/"):
    raise ImproperlyConfigured(
        "ADMIN_URL must look like 'curation/': no leading slash, a slash at the end."
    )
# Signing in happens in the admin; a refused or missing next= lands on its home page.
LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "admin:index"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Two limits (directory/core/signin.py): wrong passwords for one username from one
# address lock that username out there (a shared library computer is not locked out for
# everyone, and nobody can lock an organizer out from elsewhere); many more from one
# address, whatever the usernames, lock the address out (a password spray stops).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_ADDRESS_FAILURE_LIMIT = env.int("AXES_ADDRESS_FAILURE_LIMIT", default=20)
if not 0 < AXES_FAILURE_LIMIT <= AXES_ADDRESS_FAILURE_LIMIT:
    raise ImproperlyConfigured(
        "AXES_ADDRESS_FAILURE_LIMIT must be at least AXES_FAILURE_LIMIT, and both above 0."
    )
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_HANDLER = "directory.core.signin.SignInLockoutHandler"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "lockout.html"
# Only the site itself may read a lockout answer to a script (axes allows "*" by default).
AXES_ALLOWED_CORS_ORIGINS = SITE_URL.rstrip("/")
# The client's address is the same for the lockout, the rate limits and the request log
# (directory.core.clients): see TRUSTED_PROXIES.
AXES_CLIENT_IP_CALLABLE = "directory.core.clients.client_ip"

# Cache: shared between processes (Redis) in production, so that invalidation after a
# change reaches every worker; per process in development and tests.
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}
CACHES["default"].setdefault("TIMEOUT", env.int("CACHE_TIMEOUT", default=600))

# When the database cannot be reached, pages ask clients to retry after this many seconds.
DATABASE_RETRY_AFTER = env.int("DATABASE_RETRY_AFTER", default=30)

# Logs: one JSON object per line on stdout (LOG_FORMAT=plain for reading by eye).
LOG_FORMAT = env.str("LOG_FORMAT", default="plain" if DEBUG else "json")
# Django's request log passes the request object along, whose text holds the query
# string (where someone searched, a verification token): the message has the path.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(levelname)s %(name)s %(message)s",
            "rename_fields": {"levelname": "level", "name": "logger"},
            "timestamp": "time",  # ISO 8601 in UTC
            "reserved_attrs": [*RESERVED_ATTRS, "request"],
        },
    },
    "filters": {"redact_tokens": {"()": "solidarity.logs.RedactTokens"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": LOG_FORMAT,
            "filters": ["redact_tokens"],
        },
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
    },
}

# Partners: JSON API, GeoJSON and CSV export (directory/api/, directory/http.py).
# The cache holds the rate-limit counters and the data version behind ETags, so every
# process must share it. CACHE_URL (above) wins when set; otherwise Redis when REDIS_URL
# is set, else the database (run `manage.py createcachetable`; make run and make serve
# do).
REDIS_URL = env.str("REDIS_URL", default="")
if not env.str("CACHE_URL", default=""):
    _SHARED_CACHE = (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="solidarity"),
        }
        if REDIS_URL
        else {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "django_cache",
            # One entry per client and limit: cull late, so counters are not dropped.
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    )
    CACHES = {"default": {**_SHARED_CACHE, "TIMEOUT": CACHES["default"]["TIMEOUT"]}}

# Rendered public pages (directory.core.cache.cached_public_page). Their keys carry the
# data version from the shared cache above, so a page kept in one process is never
# stale; keeping them in each process's memory, a bounded number each, means no query
# string can fill a shared store with pages. PAGE_CACHE_URL puts them elsewhere.
CACHES["pages"] = env.cache_url("PAGE_CACHE_URL", default="locmemcache://pages")
CACHES["pages"].setdefault("TIMEOUT", CACHES["default"]["TIMEOUT"])
CACHES["pages"].setdefault("OPTIONS", {}).setdefault(
    "MAX_ENTRIES", env.int("PAGE_CACHE_ENTRIES", default=500)
)
# Filtered map data documents (up to a few MB each at 100,000 listings), kept in each
# process's memory, a bounded number; the unfiltered map is in the shared cache.
CACHES["documents"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "documents",
    "TIMEOUT": CACHES["default"]["TIMEOUT"],
    "OPTIONS": {"MAX_ENTRIES": env.int("MAP_DATA_CACHE_ENTRIES", default=50)},
}


def _rate_limit(name: str, default: str) -> str:
    """Requests per client as N/s, N/min, N/hour or N/day; empty turns the limit off."""
    value = env.str(name, default=default)
    if value and not re.fullmatch(r"[1-9]\d*/(s|sec|m|min|h|hour|d|day)", value):
        raise ImproperlyConfigured(f"{name} must look like 60/min (N/s, N/min, N/hour, N/day).")
    return value


API_RATE_LIMIT = _rate_limit("API_RATE_LIMIT", "120/min")
EXPORT_RATE_LIMIT = _rate_limit("EXPORT_RATE_LIMIT", "20/min")  # the CSV
GEOJSON_RATE_LIMIT = _rate_limit("GEOJSON_RATE_LIMIT", "20/min")  # /api/organizations.geojson
# The map data (/api/locations.geojson): the site's own maps ask once per change of the
# filters or the "search this area" box.
MAP_DATA_RATE_LIMIT = _rate_limit("MAP_DATA_RATE_LIMIT", "300/min")

REST_FRAMEWORK = {
    # Public, read-only and anonymous: no sessions, so no CSRF and no per-user data.
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "directory.partners.negotiation.PublicContentNegotiation",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Solidarity Economy Directory API",
    "DESCRIPTION": (
        "Published organizations of the directory (DC, Maryland, Virginia): JSON, GeoJSON "
        "and CSV, with the same filters as the site. Documentation and examples: /api/."
    ),
    "VERSION": "1.0.0",
    "LICENSE": {"name": f"Data: {DATA_LICENSE}", "url": DATA_LICENSE_URL},
    "SERVE_INCLUDE_SCHEMA": False,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "directory.partners.schema.postprocess_schema",
    ],
}

# The Murmurations index `manage.py register_murmurations` registers profiles with,
# e.g. https://index.murmurations.network/v2; empty: off.
MURMURATIONS_INDEX_URL = env.str("MURMURATIONS_INDEX_URL", default="")

# The public data addresses (JSON API, GeoJSON, map data, CSV, data package, profiles,
# schema): readable from any site's pages and compressed when the client accepts it.
# Never the admin, the forms or the pages: they keep the same-origin rule, and no page
# with a CSRF token is compressed (BREACH).
PUBLIC_DATA_PATHS = r"^/(api/.+|export/.+)$"
CORS_URLS_REGEX = PUBLIC_DATA_PATHS
CORS_ALLOW_ALL_ORIGINS = True  # public data, no cookies: never with credentials
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ("GET", "HEAD", "OPTIONS")
# What a polite client sends: conditional requests (so a preflight admits them) and the
# cache directives fetch() adds for its cache modes.
CORS_ALLOW_HEADERS = (
    "accept",
    "accept-language",
    "cache-control",
    "if-modified-since",
    "if-none-match",
    "pragma",
)
CORS_EXPOSE_HEADERS = ("ETag", "Last-Modified", "Retry-After", "Content-Disposition")
CORS_PREFLIGHT_MAX_AGE = 86400
