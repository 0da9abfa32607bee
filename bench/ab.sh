#!/usr/bin/env bash
# A/B of Gatehouse builds in one run: the jars take turns, round after round, behind the same nginx upstream
# (one worker, a fixed 1 KiB body), with bench/run.sh's cores: the proxy on BENCH_PROXY_CPU (0), the load and
# the upstream on BENCH_LOAD_CPU (1). Per jar and round: HTTP/2 (h2load, 64 connections x 10 streams) and
# HTTP/1.1 (wrk, 64 connections) req/s, requests per proxy CPU-second, and the bytes allocated per HTTP/2
# request (JFR allocation samples over the measured test only; bench/jfr_alloc.py). On a shared machine,
# compare the per-CPU-second and allocation columns, and only within one run.
#
#   bash bench/ab.sh main.jar branch.jar [more.jar ...]
#
# Environment: BENCH_ROUNDS (2), BENCH_WARMUP (60 s: the JIT must be done before allocation means anything),
# BENCH_SECONDS (15), BENCH_PROXY_CPU, BENCH_LOAD_CPU (0, 1; BENCH_PROXY_CPU=all leaves the proxy unpinned).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PATH="$PATH:/usr/sbin:/sbin"
ROUNDS=${BENCH_ROUNDS:-2} WARMUP=${BENCH_WARMUP:-60} DURATION=${BENCH_SECONDS:-15}
PROXY_CPU=${BENCH_PROXY_CPU:-0} LOAD_CPU=${BENCH_LOAD_CPU:-1}
if (($# < 2)); then
  echo "bench/ab.sh: name two or more jars, e.g. bash bench/ab.sh main.jar branch.jar" >&2
  exit 2
fi
for jar in "$@"; do
  [[ -f $jar ]] || { echo "bench/ab.sh: $jar is not a file (expected a gatehouse jar)" >&2; exit 2; }
done
for n in ROUNDS WARMUP DURATION LOAD_CPU; do
  [[ ${!n} =~ ^[0-9]+$ ]] || { echo "bench/ab.sh: $n=${!n} is not a whole number" >&2; exit 2; }
done
for tool in nginx h2load wrk java jcmd jfr openssl taskset python3 curl; do
  command -v "$tool" >/dev/null || { echo "bench/ab.sh: $tool is missing" >&2; exit 2; }
done
PIN=(taskset -c "$PROXY_CPU")
[[ $PROXY_CPU == all ]] && PIN=()

WORK=$(mktemp -d "${TMPDIR:-/tmp}/gatehouse-ab.XXXXXX")
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
TICK=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$WORK/key.pem" -out "$WORK/cert.pem" \
  -days 2 -subj /CN=localhost -addext subjectAltName=DNS:localhost >/dev/null 2>&1
UPSTREAM_PORT=$(free_port)
PORT=$(free_port)
BODY=$(head -c 1024 /dev/zero | tr '\0' 'x')
NGINX_USER="user $(id -un) $(id -gn);"
[[ $(id -u) == 0 ]] || NGINX_USER=""
# shellcheck source=upstream.sh
source "$HERE/upstream.sh"
upstream_config
taskset -c "$LOAD_CPU" nginx -p "$WORK/upstream" -c "$WORK/upstream/nginx.conf" &
PIDS+=($!)

printf '%-24s %5s %9s %12s %9s %12s %12s %6s\n' jar round h2_req/s h2_req/cpu_s h1_req/s h1_req/cpu_s h2_B/request load
for round in $(seq "$ROUNDS"); do
  for jar in "$@"; do
    name=$(basename "$jar" .jar)
    out="$WORK/$name-$round"
    rm -rf "$WORK/state"
    "${PIN[@]}" java -Xms16m -XX:+ExitOnOutOfMemoryError -jar "$jar" serve localhost --bind 127.0.0.1 --http-port 0 \
      --https-port "$PORT" --state-dir "$WORK/state" --tls-cert "$WORK/cert.pem" --tls-key "$WORK/key.pem" \
      --upstream "127.0.0.1:$UPSTREAM_PORT" --access-log off >"$out.log" 2>&1 &
    pid=$!
    PIDS+=("$pid")
    for _ in $(seq 240); do
      curl -sk -o /dev/null --max-time 2 "https://localhost:$PORT/" && break
      sleep 0.5
    done
    load=$(cut -d' ' -f1 /proc/loadavg)
    taskset -c "$LOAD_CPU" h2load -t1 -c64 -m10 -D"$WARMUP" "https://localhost:$PORT/" >/dev/null 2>&1 || true
    taskset -c "$LOAD_CPU" wrk -t1 -c64 -d5s "https://localhost:$PORT/" >/dev/null 2>&1 || true
    jcmd "$pid" JFR.start name=ab settings=profile filename="$out.jfr" >/dev/null
    c0=$(cpu_ticks "$pid")
    taskset -c "$LOAD_CPU" h2load -t1 -c64 -m10 -D"$DURATION" "https://localhost:$PORT/" >"$out-h2.txt" 2>&1 || true
    c1=$(cpu_ticks "$pid")
    jcmd "$pid" JFR.stop name=ab >/dev/null
    taskset -c "$LOAD_CPU" wrk -t1 -c64 -d"${DURATION}s" "https://localhost:$PORT/" >"$out-h1.txt" 2>&1 || true
    c2=$(cpu_ticks "$pid")
    kill "$pid"
    wait "$pid" 2>/dev/null || true
    h2_rps=$(awk '/^finished in/ {for (i = 1; i <= NF; i++) if ($i == "req/s,") print $(i - 1)}' "$out-h2.txt")
    h2_done=$(awk '/^requests:/ {print $8}' "$out-h2.txt")
    h1_rps=$(awk '/^Requests\/sec:/ {print $2}' "$out-h1.txt")
    h1_done=$(awk '$2 == "requests" && $3 == "in" {print $1}' "$out-h1.txt")
    alloc=-
    if ((${h2_done:-0} > 0)); then
      alloc=$(python3 "$HERE/jfr_alloc.py" "$out.jfr" "$h2_done" | awk '{print $1}')
    else
      echo "bench/ab.sh: $name round $round: no HTTP/2 request completed:" >&2
      tail -5 "$out-h2.txt" >&2
    fi
    awk -v n="$name" -v r="$round" -v a="${h2_rps:-0}" -v ad="${h2_done:-0}" -v b="${h1_rps:-0}" -v bd="${h1_done:-0}" \
      -v c0="$c0" -v c1="$c1" -v c2="$c2" -v t="$TICK" -v al="$alloc" -v l="$load" 'BEGIN {
        h2 = (c1 - c0) / t; h1 = (c2 - c1) / t
        printf "%-24s %5d %9.0f %12.0f %9.0f %12.0f %12s %6s\n", n, r, a, (h2 > 0 ? ad / h2 : 0), b, (h1 > 0 ? bd / h1 : 0), al, l
      }'
  done
done
