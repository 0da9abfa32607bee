#!/bin/sh
# Gunicorn behind an HTTPS proxy, written by `gatehouse generate gunicorn`.
# shop.wsgi:application is the WSGI application (--app); run this from the project directory.
#
# --bind HOST:PORT: where the proxy connects.
# --forwarded-allow-ips: the only peers whose X-Forwarded-Proto Gunicorn believes: the proxy's
# address as Gunicorn sees it (change it if the proxy runs on another machine).
# Django also needs SECURE_PROXY_SSL_HEADER: see `gatehouse generate django`.
exec gunicorn shop.wsgi:application \
    --bind 127.0.0.1:8000 \
    --forwarded-allow-ips 127.0.0.1,::1
