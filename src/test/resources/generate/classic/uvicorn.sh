#!/bin/sh
# Uvicorn behind an HTTPS proxy, written by `gatehouse generate uvicorn`.
# mysite.asgi:application is the ASGI application (--app); run this from the project directory.
#
# --uds PATH: the proxy connects over a Unix socket, no TCP port is open.
# --proxy-headers: take the scheme from X-Forwarded-Proto, the client from X-Forwarded-For.
# --forwarded-allow-ips '*': a socket peer has no address to match, so Uvicorn must trust every
# peer. It makes the socket 0666: the directory's mode is the trust boundary (systemd:
# RuntimeDirectory= with RuntimeDirectoryMode=0750 and Group= nginx's or Gatehouse's group).
# Django also needs SECURE_PROXY_SSL_HEADER: see `gatehouse generate django`.
exec uvicorn mysite.asgi:application \
    --uds /run/gunicorn.sock \
    --proxy-headers \
    --forwarded-allow-ips '*'
