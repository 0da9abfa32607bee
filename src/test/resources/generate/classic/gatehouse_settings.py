# Django settings for example.com www.example.com behind an HTTPS proxy (nginx, Caddy or Gatehouse),
# written by `gatehouse generate django`. For Django 3.2 to 5.x.
#
# Save as gatehouse_settings.py next to settings.py and end settings.py with
#     from .gatehouse_settings import *  # noqa: F401,F403
# or paste it at the end of settings.py. Every value can be overridden by the environment variable
# named next to it, so one settings file serves production and a plain-HTTP development server
# (DJANGO_SECURE_SSL_REDIRECT=0 DJANGO_SESSION_COOKIE_SECURE=0 DJANGO_CSRF_COOKIE_SECURE=0).
# `python manage.py check --deploy` then stays quiet about SSL redirect, secure cookies and (unless
# HSTS is off) HSTS: security.W008, W012, W016, W004.
import os

import django


def _env_bool(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


def _env_list(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


# The proxy terminates TLS and says so in X-Forwarded-Proto; with this, request.is_secure() is true
# behind it, so redirects, build_absolute_uri() and the CSRF checks use https. Safe only because the
# proxy always sets this header itself, replacing what a client sent: never set it for an app that
# clients can reach without going through the proxy.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# The names this site answers to; any other Host gets 400. The proxy forwards the client's Host
# unchanged (port included), so USE_X_FORWARDED_HOST stays off: one header fewer to trust.
# Env: DJANGO_ALLOWED_HOSTS=name,name
ALLOWED_HOSTS = _env_list("DJANGO_ALLOWED_HOSTS", ["example.com", "www.example.com"])

# Origins allowed to send unsafe requests (POST, PUT, DELETE). Same-origin requests pass without this;
# it matters when a form or fetch on one of the site's names posts to another. Django 4.0 and later
# compare the Origin header, scheme and port included; 3.2 compares the Referer's host and port.
# Env: DJANGO_CSRF_TRUSTED_ORIGINS=origin,origin
if django.VERSION >= (4, 0):
    CSRF_TRUSTED_ORIGINS = _env_list("DJANGO_CSRF_TRUSTED_ORIGINS", ["https://example.com", "https://www.example.com"])
else:
    CSRF_TRUSTED_ORIGINS = _env_list("DJANGO_CSRF_TRUSTED_ORIGINS", ["example.com", "www.example.com"])

# Cookies only over HTTPS: a session or CSRF cookie sent once over plain HTTP can be read on the way
# and replayed. Env: DJANGO_SESSION_COOKIE_SECURE, DJANGO_CSRF_COOKIE_SECURE (1/0)
SESSION_COOKIE_SECURE = _env_bool("DJANGO_SESSION_COOKIE_SECURE", True)
CSRF_COOKIE_SECURE = _env_bool("DJANGO_CSRF_COOKIE_SECURE", True)

# Django also redirects plain HTTP to HTTPS, for any request that reaches it around the proxy's own
# redirect. No loop: thanks to SECURE_PROXY_SSL_HEADER the proxied HTTPS requests count as secure.
# Env: DJANGO_SECURE_SSL_REDIRECT (1/0)
SECURE_SSL_REDIRECT = _env_bool("DJANGO_SECURE_SSL_REDIRECT", True)

# HSTS (RFC 6797): browsers that saw it use only HTTPS here for this many seconds. Roll it out in
# stages, raising it once HTTPS has worked on every name for a whole stage:
# 300 -> 86400 -> 604800 -> 2592000 -> 31536000 (1 year, the preload list's minimum).
# The nginx and Caddy files from `gatehouse generate` send their own header and hide Django's, so
# this value counts when Django is reached another way. Env: DJANGO_SECURE_HSTS_SECONDS (0 = off)
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", "300"))
# Subdomains and the preload list are hard to take back: only once every subdomain has HTTPS.
# Env: DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS, DJANGO_SECURE_HSTS_PRELOAD (1/0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = _env_bool("DJANGO_SECURE_HSTS_PRELOAD", False)
