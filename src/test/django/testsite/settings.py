"""Settings of the Gatehouse test site.

Every setting that decides how Django behaves behind a TLS proxy comes from an environment
variable, so an integration test can plant exactly one misconfiguration. The defaults are
a correct proxy setup. Works unchanged under Django 3.2 (Debian) and 5.2 (the venv).
"""
import os
import tempfile


def _flag(name, default):
    value = os.environ.get(name, default).strip().lower()
    if value not in ("0", "1", "true", "false", "yes", "no", "on", "off"):
        raise ValueError(f"{name}={value!r}: expected 1 or 0")
    return value in ("1", "true", "yes", "on")


def _list(name, default):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = "gatehouse-test-site-not-a-secret"
DEBUG = False
ALLOWED_HOSTS = _list("DJANGO_ALLOWED_HOSTS", "*")

# Django's switch for trusting the proxy's scheme (docs: settings/#secure-proxy-ssl-header).
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if _flag("DJANGO_SECURE_PROXY_SSL_HEADER", "1") else None
)
SECURE_SSL_REDIRECT = _flag("DJANGO_SECURE_SSL_REDIRECT", "0")
SESSION_COOKIE_SECURE = _flag("DJANGO_SESSION_COOKIE_SECURE", "1")
CSRF_COOKIE_SECURE = _flag("DJANGO_CSRF_COOKIE_SECURE", "1")
CSRF_TRUSTED_ORIGINS = _list("DJANGO_CSRF_TRUSTED_ORIGINS", "")
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "0"))
USE_X_FORWARDED_HOST = _flag("DJANGO_USE_X_FORWARDED_HOST", "0")
# Django's default since 3.1; "no-referrer" makes browsers send Origin: null with form POSTs.
SECURE_REFERRER_POLICY = os.environ.get("DJANGO_SECURE_REFERRER_POLICY", "same-origin")
# The path prefix under which a proxy that strips it mounts the site, e.g. "/app" (docs: settings/#force-script-name).
FORCE_SCRIPT_NAME = os.environ.get("DJANGO_FORCE_SCRIPT_NAME") or None

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "testsite.urls"
WSGI_APPLICATION = "testsite.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get(
            "DJANGO_DB", os.path.join(tempfile.gettempdir(), "gatehouse-test-site.sqlite3")
        ),
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = os.environ.get(
    "DJANGO_STATIC_ROOT", os.path.join(tempfile.gettempdir(), "gatehouse-test-site-static")
)

# With DEBUG off Django would only mail request errors to ADMINS; tests read them from the log file.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django": {"handlers": ["console"], "level": "WARNING"}},
}
