#!/bin/sh
# Gunicorn behind an HTTPS proxy, written by `gatehouse generate gunicorn`.
# mysite.wsgi:application is the WSGI application (--app); run this from the project directory.
#
# --bind unix:PATH: the proxy connects over a Unix socket, no TCP port is open.
# Gunicorn believes X-Forwarded-Proto (and -Protocol, -Ssl) from every Unix-socket peer;
# --forwarded-allow-ips only applies to TCP peers. So the socket's file mode is the trust
# boundary: --umask 007 makes it 0770, only its owner and group may connect. Put nginx's user
# (www-data on Debian) or Gatehouse's in that group, e.g. run Gunicorn with --group www-data.
# The socket's directory must exist (systemd: RuntimeDirectory=).
# Django also needs SECURE_PROXY_SSL_HEADER: see `gatehouse generate django`.
exec gunicorn mysite.wsgi:application \
    --bind unix:/run/gunicorn.sock \
    --umask 007
