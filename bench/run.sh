#!/usr/bin/env bash
# Gatehouse against nginx, Caddy and HAProxy as a TLS-terminating reverse proxy, on one machine, in one run.
#
#   bash bench/run.sh                 full run (BENCH_SECONDS=10 per load test, after a warm-up)
#   BENCH_QUICK=1 bash bench/run.sh   smoke run: ~2 s per test, 2,000 idle connections
#
# One upstream (nginx, one worker, a fixed 1 KiB body) on 127.0.0.1; then each proxy in turn on the same
# port with the same ECDSA P-256 certificate, pinned to core BENCH_PROXY_CPU (0) while the load generator
# and the upstream share core BENCH_LOAD_CPU (1). Prints a table and writes JSON (see BENCHMARKS.md).
#
# Environment (all optional):
#   BENCH_SECONDS      length of each measured load test, seconds (10; 2 with BENCH_QUICK=1)
#   BENCH_WARMUP       warm-up before each load test, seconds (30: the JVM's JIT needs it on one core; 1 with BENCH_QUICK=1)
#   BENCH_IDLE_CONNS   idle TLS connections for the memory figure (10000; 2000 with BENCH_QUICK=1)
#   BENCH_STARTS       start-ups per server; the median is reported (3; 1 with BENCH_QUICK=1)
#   BENCH_FIRST_SECONDS  HTTP/1.1 load right after a start, before any warm-up, seconds (5)
#   BENCH_SERVERS      which proxies, in order ("nginx caddy haproxy gatehouse")
#   BENCH_TESTS        which tests ("startup first idle h1 h2 newconn static"); BENCH_TESTS=newconn measures only new
#                      TLS connections/s and the proxy's CPU per connection (Connection: close)
#   BENCH_CONNECTIONS  client connections for the load tests (64)
#   BENCH_PROXY_CPU, BENCH_LOAD_CPU   the cores (0 and 1)
#   BENCH_OUT          where the JSON goes (bench/results/latest.json)
#   BENCH_KEEP=1       keep the temporary directory (configs, logs, raw tool output)
#   BENCH_PLAIN=0      skip Gatehouse's start-up with plain `java -jar` instead of bin/gatehouse (an extra figure)
#   GATEHOUSE_JAR      the jar to run (target/gatehouse.jar, built with Maven when missing)
#   GATEHOUSE_JAVA_OPTS  extra JVM options for Gatehouse, after the launcher's own (none)
#   GATEHOUSE_JFR=FILE   record a JFR profile of Gatehouse during the load tests into FILE
#   BENCH_METRICS_AB=N   instead of the comparison: N rounds of Gatehouse without and with --admin (the
#                        per-request metrics), interleaved, HTTP/1.1 and HTTP/2 each; prints the difference
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
PATH="$PATH:/usr/sbin:/sbin"

if [[ "${BENCH_QUICK:-0}" == 1 ]]; then
  DURATION=${BENCH_SECONDS:-2} WARMUP=${BENCH_WARMUP:-1} IDLE_CONNS=${BENCH_IDLE_CONNS:-2000} STARTS=${BENCH_STARTS:-1}
else
  DURATION=${BENCH_SECONDS:-10} WARMUP=${BENCH_WARMUP:-30} IDLE_CONNS=${BENCH_IDLE_CONNS:-10000} STARTS=${BENCH_STARTS:-3}
fi
SERVERS=${BENCH_SERVERS:-nginx caddy haproxy gatehouse}
TESTS=${BENCH_TESTS:-startup first idle h1 h2 newconn static}
CONNECTIONS=${BENCH_CONNECTIONS:-64}
PROXY_CPU=${BENCH_PROXY_CPU:-0}
LOAD_CPU=${BENCH_LOAD_CPU:-1}
OUT=${BENCH_OUT:-$HERE/results/latest.json}
JAR=${GATEHOUSE_JAR:-$ROOT/target/gatehouse.jar}
PLAIN=${BENCH_PLAIN:-1}
FIRST_SECONDS=${BENCH_FIRST_SECONDS:-5}
NAME=localhost

for n in DURATION WARMUP IDLE_CONNS STARTS CONNECTIONS PROXY_CPU LOAD_CPU FIRST_SECONDS; do
  if ! [[ "${!n}" =~ ^[0-9]+$ ]]; then
    echo "bench: $n=${!n} is not a whole number" >&2
    exit 2
  fi
done
for t in $TESTS; do
  case "$t" in startup | idle | h1 | h2 | newconn | static) ;; *)
    echo "bench: BENCH_TESTS: unknown test '$t' (valid: startup first idle h1 h2 newconn static)" >&2
    exit 2
    ;;
  esac
done
testing() { [[ " $TESTS " == *" $1 "* ]]; }
for s in $SERVERS; do
  case "$s" in nginx | caddy | haproxy | gatehouse) ;; *)
    echo "bench: BENCH_SERVERS: unknown server '$s' (valid: nginx caddy haproxy gatehouse)" >&2
    exit 2
    ;;
  esac
done

# --- what must be installed -------------------------------------------------------------------------
missing=()
need() { command -v "$1" >/dev/null 2>&1 || missing+=("$2"); }
need nginx nginx # the upstream, and a competitor
need wrk wrk
need h2load nghttp2-client
need openssl openssl
need taskset util-linux
need python3 python3
need getconf libc-bin
[[ " $SERVERS " == *" caddy "* ]] && need caddy caddy
[[ " $SERVERS " == *" haproxy "* ]] && need haproxy haproxy
if [[ " $SERVERS " == *" gatehouse "* ]]; then
  need java openjdk-17-jre-headless
  [[ -f "$JAR" ]] || need mvn maven
fi
if ((${#missing[@]})); then
  echo "bench: missing Debian packages: ${missing[*]}" >&2
  echo "bench: install them with: sudo apt-get install -y ${missing[*]}" >&2
  exit 2
fi
CORES=$(getconf _NPROCESSORS_ONLN)
if ((PROXY_CPU >= CORES || LOAD_CPU >= CORES || PROXY_CPU == LOAD_CPU)); then
  echo "bench: BENCH_PROXY_CPU=$PROXY_CPU and BENCH_LOAD_CPU=$LOAD_CPU must be two different cores of $CORES" >&2
  exit 2
fi
if [[ " $SERVERS " == *" gatehouse "* && ! -f "$JAR" ]]; then
  echo "bench: building $JAR"
  (cd "$ROOT" && mvn -B -q package -DskipTests)
fi

# --- scratch space and cleanup ----------------------------------------------------------------------
WORK=$(mktemp -d "${TMPDIR:-/tmp}/gatehouse-bench.XXXXXX")
PIDS="$WORK/pids"
: >"$PIDS"
RESULTS="$WORK/results.tsv"
: >"$RESULTS"

stop_pid() {
  local pid=$1 i
  kill -TERM "$pid" 2>/dev/null || return 0
  for i in $(seq 100); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
}
cleanup() {
  local pid
  if [[ -f "$PIDS" ]]; then
    while read -r pid; do
      [[ -n "$pid" ]] && stop_pid "$pid"
    done < <(tac "$PIDS")
  fi
  if [[ "${BENCH_KEEP:-0}" == 1 ]]; then
    echo "bench: kept $WORK"
  else
    rm -rf "$WORK"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
record() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >>"$RESULTS"; }

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
PORT=$(free_port)
UPSTREAM_PORT=$(free_port)
while [[ "$UPSTREAM_PORT" == "$PORT" ]]; do UPSTREAM_PORT=$(free_port); done

# --- certificate, static file, body -----------------------------------------------------------------
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 7 -subj "/CN=$NAME" \
  -addext "subjectAltName=DNS:$NAME" -keyout "$WORK/key.pem" -out "$WORK/cert.pem" 2>/dev/null
chmod 600 "$WORK/key.pem"
cat "$WORK/cert.pem" "$WORK/key.pem" >"$WORK/haproxy.pem"
chmod 600 "$WORK/haproxy.pem"
mkdir -p "$WORK/static"
head -c 32768 /dev/urandom >"$WORK/static/file32k.bin"
BODY=$(head -c 1024 /dev/zero | tr '\0' 'x')
# nginx as root runs its workers as "nobody" unless told otherwise; they must read $WORK.
NGINX_USER="user $(id -un) $(id -gn);"
[[ $(id -u) == 0 ]] || NGINX_USER=""

# --- process helpers --------------------------------------------------------------------------------
# A server and all its descendants (nginx's workers).
tree_pids() {
  local pid=$1 child
  echo "$pid"
  for child in $(ps -o pid= --ppid "$pid" 2>/dev/null); do tree_pids "$child"; done
}
rss_kib() {
  local total=0 pid v
  for pid in $(tree_pids "$1"); do
    v=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
    total=$((total + ${v:-0}))
  done
  echo "$total"
}
cpu_ticks() {
  local total=0 pid v
  for pid in $(tree_pids "$1"); do
    v=$(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0)
    total=$((total + ${v:-0}))
  done
  echo "$total"
}
core_busy_ticks() { awk -v c="cpu$1" '$1 == c {print $2 + $3 + $4 + $7 + $8, $2 + $3 + $4 + $5 + $6 + $7 + $8}' /proc/stat; }
TICK=$(getconf CLK_TCK)

# Starts a server with `tlsclient.py first-response`, which prints the milliseconds until the first 200
# and writes the CPU milliseconds the server had used by then (all threads: on a shared machine this moves
# much less than the wall time). Sets SERVER_PID, STARTUP_MS and STARTUP_CPU_MS.
start_server() {
  local name=$1
  shift
  local pidfile="$WORK/$name.pid" cpufile="$WORK/$name.cpu"
  rm -f "$pidfile" "$cpufile"
  if ! STARTUP_MS=$(taskset -c "$LOAD_CPU" python3 "$HERE/tlsclient.py" first-response --port "$PORT" \
    --host "$NAME" --cafile "$WORK/cert.pem" --pid-file "$pidfile" --log "$WORK/$name.log" --cpu-file "$cpufile" \
    -- taskset -c "$PROXY_CPU" "$@"); then
    [[ -f "$pidfile" ]] && cat "$pidfile" >>"$PIDS"
    log "$name did not start; its log:"
    tail -20 "$WORK/$name.log" >&2
    exit 1
  fi
  SERVER_PID=$(cat "$pidfile")
  STARTUP_CPU_MS=$(cat "$cpufile")
  echo "$SERVER_PID" >>"$PIDS"
}

median() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }

# --- load tests -------------------------------------------------------------------------------------
# Runs a load command on the load core and records the proxy's CPU time and the cores' busy share.
measure() {
  local server=$1 test=$2 out=$3
  shift 3
  local c0 b0 l0 c1 b1 l1
  c0=$(cpu_ticks "$SERVER_PID")
  read -r b0 t0 <<<"$(core_busy_ticks "$PROXY_CPU")"
  read -r l0 u0 <<<"$(core_busy_ticks "$LOAD_CPU")"
  taskset -c "$LOAD_CPU" "$@" >"$out" 2>&1 || true
  c1=$(cpu_ticks "$SERVER_PID")
  read -r b1 t1 <<<"$(core_busy_ticks "$PROXY_CPU")"
  read -r l1 u1 <<<"$(core_busy_ticks "$LOAD_CPU")"
  record "$server" "${test}_proxy_cpu_s" "$(awk -v a="$c0" -v b="$c1" -v t="$TICK" 'BEGIN {printf "%.2f", (b - a) / t}')"
  record "$server" "${test}_proxy_core_busy" "$(awk -v a="$b0" -v b="$b1" -v x="$t0" -v y="$t1" 'BEGIN {printf "%.2f", (y > x) ? (b - a) / (y - x) : 0}')"
  record "$server" "${test}_load_core_busy" "$(awk -v a="$l0" -v b="$l1" -v x="$u0" -v y="$u1" 'BEGIN {printf "%.2f", (y > x) ? (b - a) / (y - x) : 0}')"
}

# wrk's figures: requests/s, p99 in ms, and every error count.
parse_wrk() {
  local server=$1 test=$2 out=$3
  local rps p99 non2xx errors requests
  rps=$(awk '/^Requests\/sec:/ {print $2}' "$out")
  requests=$(awk '$2 == "requests" && $3 == "in" {print $1}' "$out")
  p999=$(awk '$1 == "p99.9_us" {printf "%.2f", $2 / 1000}' "$out")
  p99=$(awk '$1 == "99%" {v = $2; if (v ~ /us$/) {sub(/us$/, "", v); v /= 1000} else if (v ~ /ms$/) {sub(/ms$/, "", v)} else if (v ~ /s$/) {sub(/s$/, "", v); v *= 1000}; printf "%.2f", v}' "$out")
  non2xx=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$out")
  errors=$(awk '/Socket errors:/ {gsub(/,/, ""); print $4 + $6 + $8 + $10}' "$out")
  if [[ -z "$rps" ]]; then
    log "$server $test: wrk gave no result:"
    cat "$out" >&2
    return
  fi
  record "$server" "${test}_rps" "$rps"
  record "$server" "${test}_requests" "$requests"
  [[ -n "$p99" ]] && record "$server" "${test}_p99_ms" "$p99"
  [[ -n "$p999" ]] && record "$server" "${test}_p999_ms" "$p999"
  record "$server" "${test}_errors" "$((${non2xx:-0} + ${errors:-0}))"
  log "$server $test: $rps req/s${p99:+, p99 $p99 ms}${p999:+, p99.9 $p999 ms}, errors $((${non2xx:-0} + ${errors:-0}))"
}

wrk_test() {
  local server=$1 test=$2 path=$3
  shift 3
  local url="https://$NAME:$PORT$path" out="$WORK/$server-$test.txt"
  taskset -c "$LOAD_CPU" wrk -t1 -c"$CONNECTIONS" -d"${WARMUP}s" "$@" "$url" >/dev/null 2>&1 || true
  measure "$server" "$test" "$out" wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$HERE/percentiles.lua" "$@" "$url"
  parse_wrk "$server" "$test" "$out"
}

# HTTP/1.1 keep-alive load from the moment a just-started server has answered its first request, for
# FIRST_SECONDS with no warm-up: what a restart under traffic sees (a JVM's JIT compiles while it serves).
first_seconds_test() {
  local server=$1 out="$WORK/$1-first.txt"
  measure "$server" first "$out" wrk -t1 -c"$CONNECTIONS" -d"${FIRST_SECONDS}s" --latency -s "$HERE/percentiles.lua" \
    "https://$NAME:$PORT/"
  parse_wrk "$server" first "$out"
}

h2_test() {
  local server=$1 test=${2:-h2} rps errors total
  local out="$WORK/$server-$test.txt"
  taskset -c "$LOAD_CPU" h2load -t1 -c"$CONNECTIONS" -m10 -D"$WARMUP" "https://$NAME:$PORT/" >/dev/null 2>&1 || true
  measure "$server" "$test" "$out" h2load -t1 -c"$CONNECTIONS" -m10 -D"$DURATION" "https://$NAME:$PORT/"
  rps=$(awk '/^finished in/ {for (i = 1; i <= NF; i++) if ($i == "req/s,") print $(i - 1)}' "$out")
  read -r total errors <<<"$(awk '/^requests:/ {print $2, $10 + $12 + $14}' "$out")"
  if [[ -z "$rps" ]] || ! grep -q "h2" <(grep -i "application protocol" "$out"); then
    log "$server h2: h2load gave no HTTP/2 result:"
    tail -20 "$out" >&2
    return
  fi
  record "$server" "${test}_rps" "$rps"
  record "$server" "${test}_requests" "$total"
  record "$server" "${test}_errors" "$errors"
  log "$server $test: $rps req/s ($total requests), errors $errors"
}

idle_test() {
  local server=$1 out="$WORK/$server-idle.txt" before after alive failures client i count=$IDLE_CONNS
  if [[ "$server" == haproxy ]] && ((count > HAPROXY_MAXCONN - 100)); then
    count=$((HAPROXY_MAXCONN - 100))
  fi
  before=$(rss_kib "$SERVER_PID")
  taskset -c "$LOAD_CPU" python3 "$HERE/tlsclient.py" idle --port "$PORT" --host "$NAME" --cafile "$WORK/cert.pem" \
    --count "$count" >"$out" 2>&1 &
  client=$!
  echo "$client" >>"$PIDS"
  for i in $(seq 1200); do
    grep -qs '^ready' "$out" && break
    kill -0 "$client" 2>/dev/null || break
    sleep 0.25
  done
  if ! grep -qs '^ready' "$out"; then
    log "$server idle: the client did not get ready:"
    tail -5 "$out" >&2
    stop_pid "$client"
    return
  fi
  after=$(rss_kib "$SERVER_PID")
  read -r _ alive failures _ <<<"$(grep '^ready' "$out")"
  stop_pid "$client"
  wait "$client" 2>/dev/null || true
  record "$server" rss_start_mib "$(awk -v k="$before" 'BEGIN {printf "%.1f", k / 1024}')"
  record "$server" rss_idle_mib "$(awk -v k="$after" 'BEGIN {printf "%.1f", k / 1024}')"
  record "$server" idle_alive "$alive"
  record "$server" idle_failed "$failures"
  if ((alive > 0)); then
    record "$server" idle_kib_per_conn "$(awk -v a="$before" -v b="$after" -v n="$alive" 'BEGIN {printf "%.1f", (b - a) / n}')"
  fi
  log "$server idle: RSS $((before / 1024)) -> $((after / 1024)) MiB with $alive of $count connections open ($failures failed)"
  sleep 1
}

# --- the servers ------------------------------------------------------------------------------------
# shellcheck source=upstream.sh
source "$HERE/upstream.sh"


nginx_config() {
  mkdir -p "$WORK/nginx/logs"
  cat >"$WORK/nginx/nginx.conf" <<EOF
$NGINX_USER
worker_processes 1;
worker_rlimit_nofile 20000;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/logs/error.log;
events { worker_connections 16384; }
http {
  access_log off;
  sendfile on;
  keepalive_timeout 75s;
  keepalive_requests 1000000;
  ssl_protocols TLSv1.2 TLSv1.3;
  ssl_session_cache shared:SSL:10m;
  ssl_session_timeout 1d;
  upstream app {
    server 127.0.0.1:$UPSTREAM_PORT;
    keepalive 128;
    keepalive_requests 1000000;
  }
  server {
    listen 127.0.0.1:$PORT ssl http2;
    server_name $NAME;
    ssl_certificate $WORK/cert.pem;
    ssl_certificate_key $WORK/key.pem;
    location / {
      proxy_pass http://app;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$http_host;
      proxy_set_header X-Forwarded-For \$remote_addr;
      proxy_set_header X-Forwarded-Proto https;
      proxy_set_header X-Real-IP \$remote_addr;
    }
    location /static/ { alias $WORK/static/; }
  }
}
EOF
}

caddy_config() {
  mkdir -p "$WORK/caddy"
  cat >"$WORK/caddy/Caddyfile" <<EOF
{
	admin off
	auto_https off
	servers {
		protocols h1 h2
	}
}
https://$NAME:$PORT {
	bind 127.0.0.1
	tls $WORK/cert.pem $WORK/key.pem
	reverse_proxy 127.0.0.1:$UPSTREAM_PORT {
		transport http {
			keepalive 75s
			keepalive_idle_conns 256
			keepalive_idle_conns_per_host 256
		}
	}
}
EOF
}

# HAProxy refuses to start unless it has two descriptors per connection under its own limit; where the
# hard limit is lower than twice BENCH_IDLE_CONNS, HAProxy's idle figure is taken with fewer connections.
HAPROXY_MAXCONN=$((($(ulimit -Hn) - 100) / 2))
haproxy_config() {
  mkdir -p "$WORK/haproxy"
  cat >"$WORK/haproxy/haproxy.cfg" <<EOF
global
    nbthread 1
    maxconn $HAPROXY_MAXCONN
    tune.ssl.cachesize 20000

defaults
    mode http
    option http-keep-alive
    timeout connect 5s
    timeout client 75s
    timeout server 60s
    timeout http-request 75s
    timeout http-keep-alive 75s

frontend https
    bind 127.0.0.1:$PORT ssl crt $WORK/haproxy.pem alpn h2,http/1.1
    option forwardfor
    http-request set-header X-Forwarded-Proto https
    default_backend app

backend app
    http-reuse always
    server app 127.0.0.1:$UPSTREAM_PORT
EOF
}


# Fills CMD with the command line that starts server $1; extra JVM options for Gatehouse follow.
server_command() {
  local server=$1
  shift
  case "$server" in
    nginx) CMD=(nginx -p "$WORK/nginx" -e "$WORK/nginx/logs/error.log" -c "$WORK/nginx/nginx.conf") ;;
    caddy) CMD=(env HOME="$WORK/caddy" XDG_DATA_HOME="$WORK/caddy/data" XDG_CONFIG_HOME="$WORK/caddy/config"
      caddy run --adapter caddyfile --config "$WORK/caddy/Caddyfile") ;;
    haproxy) CMD=(haproxy -db -f "$WORK/haproxy/haproxy.cfg") ;;
    gatehouse)
      # As shipped: the bin/gatehouse launcher (its JVM options and class-data-sharing archive, kept in the
      # run's own cache directory); with "plain", `java -jar` and nothing else, for comparison.
      local launcher=("$ROOT/bin/gatehouse")
      if [[ "${1:-}" == plain ]]; then
        shift
        launcher=(java "$@" -jar "$JAR")
      fi
      CMD=(env XDG_CACHE_HOME="$WORK/cache" GATEHOUSE_JAR="$JAR" GATEHOUSE_JAVA_OPTS="${GATEHOUSE_JAVA_OPTS:-} $*"
        "${launcher[@]}" serve "$NAME" --bind 127.0.0.1 --http-port 0 --https-port "$PORT"
        --state-dir "$WORK/gatehouse-state" --tls-cert "$WORK/cert.pem" --tls-key "$WORK/key.pem"
        --upstream "127.0.0.1:$UPSTREAM_PORT" --static "/static/=$WORK/static" --access-log off
        "${GATEHOUSE_SERVE_FLAGS[@]}")
      ;;
  esac
}

# Starts and stops server $1 BENCH_STARTS times; sets STARTUP_MEDIAN and STARTUP_CPU_MEDIAN (ms). Extra JVM
# options follow.
startups() {
  local server=$1 i times="" cpus=""
  shift
  for i in $(seq "$STARTS"); do
    server_command "$server" "$@"
    start_server "$server" "${CMD[@]}"
    times="$times $STARTUP_MS"
    cpus="$cpus $STARTUP_CPU_MS"
    stop_pid "$SERVER_PID"
  done
  STARTUP_MEDIAN=$(echo "$times" | median)
  STARTUP_CPU_MEDIAN=$(echo "$cpus" | median)
}

bench_server() {
  local server=$1
  case "$server" in
    nginx) nginx_config ;;
    caddy) caddy_config ;;
    haproxy) haproxy_config ;;
  esac
  log "$server: starting"
  testing startup && startup_figures "$server"
  local extra=()
  if [[ "$server" == gatehouse && -n "${GATEHOUSE_JFR:-}" ]]; then
    extra+=("-XX:StartFlightRecording=filename=$GATEHOUSE_JFR,settings=profile,dumponexit=true")
  fi
  server_command "$server" "${extra[@]}"
  start_server "$server" "${CMD[@]}"
  testing first && first_seconds_test "$server"
  testing idle && idle_test "$server"
  testing h1 && wrk_test "$server" h1 /
  testing h2 && h2_test "$server"
  testing newconn && wrk_test "$server" newconn / -H "Connection: close"
  if testing static && [[ "$server" == nginx || "$server" == gatehouse ]]; then
    wrk_test "$server" static /static/file32k.bin
  fi
  record "$server" rss_loaded_mib "$(awk -v k="$(rss_kib "$SERVER_PID")" 'BEGIN {printf "%.1f", k / 1024}')"
  stop_pid "$SERVER_PID"
}

# Start-up figures of server $1: the median time to the first HTTPS response over BENCH_STARTS starts.
startup_figures() {
  local server=$1
  if [[ "$server" == gatehouse ]]; then
    # The launcher's first start with a new jar records the class-data-sharing archive first: once per jar and
    # Java runtime, so it is reported on its own and the median below is of the starts that follow.
    STARTS=1 startups gatehouse
    record gatehouse startup_first_ms "$STARTUP_MEDIAN"
    log "gatehouse: first start ever (records the start-up archive): first HTTPS response ${STARTUP_MEDIAN} ms after start"
  fi
  startups "$server"
  record "$server" startup_ms "$STARTUP_MEDIAN"
  record "$server" startup_cpu_ms "$STARTUP_CPU_MEDIAN"
  log "$server: first HTTPS response ${STARTUP_MEDIAN} ms after start, ${STARTUP_CPU_MEDIAN} ms of its CPU (median of $STARTS)"
  if [[ "$server" == gatehouse && "$PLAIN" == 1 ]]; then
    startups gatehouse plain
    record gatehouse startup_ms_plain "$STARTUP_MEDIAN"
    record gatehouse startup_cpu_ms_plain "$STARTUP_CPU_MEDIAN"
    log "gatehouse: first HTTPS response ${STARTUP_MEDIAN} ms after start with plain java -jar (${STARTUP_CPU_MEDIAN} ms CPU)"
  fi
}

# --- run ---------------------------------------------------------------------------------------------
upstream_config
log "upstream: nginx on 127.0.0.1:$UPSTREAM_PORT (core $LOAD_CPU); proxies on 127.0.0.1:$PORT (core $PROXY_CPU)"
taskset -c "$LOAD_CPU" nginx -p "$WORK/upstream" -e "$WORK/upstream/logs/error.log" -c "$WORK/upstream/nginx.conf" \
  >"$WORK/upstream/stdout.log" 2>&1 &
echo $! >>"$PIDS"
for i in $(seq 100); do
  python3 -c "import socket,sys; socket.create_connection(('127.0.0.1', $UPSTREAM_PORT), 0.2)" 2>/dev/null && break
  sleep 0.1
done

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
STARTED=$(date -u +%Y-%m-%dT%H:%M:%SZ)
GATEHOUSE_SERVE_FLAGS=()
if [[ "${BENCH_METRICS_AB:-0}" != 0 ]]; then
  # The cost of the per-request metrics: the same build without an admin listener (no observer) and with
  # one, alternating in ABBA order, so that load from elsewhere on the machine falls on both alike.
  ADMIN_PORT=$(free_port)
  for round in $(seq "$BENCH_METRICS_AB"); do
    variants="off on"
    ((round % 2 == 0)) && variants="on off" # ABBA: neither variant always runs first
    for variant in $variants; do
      GATEHOUSE_SERVE_FLAGS=()
      [[ "$variant" == on ]] && GATEHOUSE_SERVE_FLAGS=(--admin "$ADMIN_PORT")
      server_command gatehouse
      start_server "gatehouse-metrics-$variant" "${CMD[@]}"
      wrk_test "metrics-$variant" "h1_r$round" /
      h2_test "metrics-$variant" "h2_r$round"
      stop_pid "$SERVER_PID"
    done
  done
  log "load average before ${LOAD_BEFORE}, after $(cut -d' ' -f1-3 /proc/loadavg)"
  # Throughput, and the proxy's own CPU time per request (less sensitive to what else runs on its core).
  awk -F'\t' '{split($2, t, "_"); k = $1 " " t[1]}
    $2 ~ /_rps$/ {rps[k] += $3; n[k]++} $2 ~ /_requests$/ {req[k] += $3} $2 ~ /_proxy_cpu_s$/ {cpu[k] += $3}
    END {split("h1 h2", ps, " ");
      for (i = 1; i <= 2; i++) {
        off = "metrics-off " ps[i]; on = "metrics-on " ps[i];
        printf "%s: without metrics %.0f req/s, %.1f us CPU/request; with %.0f req/s, %.1f us CPU/request (%d rounds):", ps[i],
          rps[off] / n[off], cpu[off] / req[off] * 1e6, rps[on] / n[on], cpu[on] / req[on] * 1e6, n[off];
        printf " throughput %+.1f %%, CPU/request %+.1f %%\n", (rps[on] - rps[off]) / rps[off] * 100,
          (cpu[on] / req[on] - cpu[off] / req[off]) / (cpu[off] / req[off]) * 100
      }}' "$RESULTS"
  exit 0
fi
for server in $SERVERS; do
  bench_server "$server"
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

mkdir -p "$(dirname "$OUT")"
python3 "$HERE/report.py" --results "$RESULTS" --out "$OUT" \
  --meta started="$STARTED" load_before="$LOAD_BEFORE" load_after="$LOAD_AFTER" \
  duration_s="$DURATION" warmup_s="$WARMUP" first_s="$FIRST_SECONDS" connections="$CONNECTIONS" idle_connections="$IDLE_CONNS" \
  starts="$STARTS" proxy_cpu="$PROXY_CPU" load_cpu="$LOAD_CPU" plain="$PLAIN" \
  gatehouse_java_opts="${GATEHOUSE_JAVA_OPTS:-}" \
  cpu="$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)" cores="$CORES" \
  memory_gib="$(awk '/^MemTotal/ {printf "%.0f", $2 / 1048576}' /proc/meminfo)" \
  kernel="$(uname -r)" \
  nginx="$(nginx -v 2>&1 | sed 's/.*nginx\///')" \
  caddy="$(command -v caddy >/dev/null && caddy version | cut -d' ' -f1 || true)" \
  haproxy="$(command -v haproxy >/dev/null && haproxy -v | awk 'NR == 1 {print $3}' || true)" \
  java="$(command -v java >/dev/null && java -version 2>&1 | awk -F'"' 'NR == 1 {print $2}' || true)" \
  wrk="$(wrk -v 2>&1 | awk 'NR == 1 {print $2}')" \
  h2load="$(h2load --version | awk '{print $2}')"
