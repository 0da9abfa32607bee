# The 1 KiB upstream every benchmark proxies to: one nginx worker answering every path with BODY.
# Sourced by run.sh and ab.sh; uses WORK, UPSTREAM_PORT, BODY and NGINX_USER (a `user` line when root, else empty).
upstream_config() {
  mkdir -p "$WORK/upstream/logs"
  cat >"$WORK/upstream/nginx.conf" <<EOF
$NGINX_USER
worker_processes 1;
daemon off;
pid $WORK/upstream/nginx.pid;
error_log $WORK/upstream/logs/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  keepalive_timeout 75s;
  server {
    listen 127.0.0.1:$UPSTREAM_PORT;
    location / { default_type text/plain; return 200 '$BODY'; }
  }
}
EOF
}
