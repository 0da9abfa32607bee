#!/bin/sh
# Uvicorn behind an HTTPS proxy, written by `gatehouse generate uvicorn`.
# shop.asgi:application is the ASGI application (--app); run this from the project directory.
#
# --host/--port: where the proxy connects.
# --proxy-headers: take the scheme from X-Forwarded-Proto, the client from X-Forwarded-For,
# --forwarded-allow-ips: but only from these peers: the proxy's address as Uvicorn sees it
# (change it if the proxy runs on another machine).
# Django also needs SECURE_PROXY_SSL_HEADER: see `gatehouse generate django`.
exec uvicorn shop.asgi:application \
    --host 127.0.0.1 \
    --port 8000 \
    --proxy-headers \
    --forwarded-allow-ips 127.0.0.1,::1
