#!/usr/bin/env bash
# What one new TLS connection costs Gatehouse, for one or more builds, interleaved (issue 13):
#
#   bash bench/conn_cost.sh main.jar branch.jar [...]
#
# For each round and each jar in turn: starts the jar through bin/gatehouse on core BENCH_PROXY_CPU (0) with its
# built-in page (no upstream: the cost measured is the connection's, not the app's), warms it up, then runs wrk
# from core BENCH_LOAD_CPU (1) with "Connection: close" (one request per TLS connection) and reports, per
# connection: the CPU of the whole process (JIT and GC included), the CPU of the threads that serve connections
# alone (event loops, and the acceptor thread of builds that have one), and the bytes those threads allocated
# (JFR's jdk.ThreadAllocationStatistics). The medians per jar close the run.
#
# Allocation per connection does not depend on how loaded the machine is; CPU per connection does (a busy
# machine inflates it by cache misses and switches), so on a shared machine compare the medians of interleaved
# runs, as this script prints them, and never figures of different runs.
#
# Environment: CONN_COST_ROUNDS (3), CONN_COST_SECONDS (10), CONN_COST_WARMUP (12 seconds, JIT warm-up),
# CONN_COST_CONNECTIONS (16 concurrent), BENCH_PROXY_CPU (0), BENCH_LOAD_CPU (1), GATEHOUSE_JAVA_OPTS.
set -euo pipefail
shopt -s extglob

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
ROUNDS=${CONN_COST_ROUNDS:-3}
SECONDS_MEASURED=${CONN_COST_SECONDS:-10}
WARMUP=${CONN_COST_WARMUP:-12}
CONNECTIONS=${CONN_COST_CONNECTIONS:-16}
PROXY_CPU=${BENCH_PROXY_CPU:-0}
LOAD_CPU=${BENCH_LOAD_CPU:-1}

if (($# == 0)); then
  echo "usage: bash bench/conn_cost.sh JAR [JAR...]  (gatehouse.jar builds to compare)" >&2
  exit 2
fi
for jar in "$@"; do
  if [[ ! -f "$jar" ]]; then
    echo "bench: $jar: no such file (expected a gatehouse.jar)" >&2
    exit 2
  fi
done
for n in ROUNDS SECONDS_MEASURED WARMUP CONNECTIONS PROXY_CPU LOAD_CPU; do
  if ! [[ "${!n}" =~ ^[0-9]+$ ]]; then
    echo "bench: $n=${!n} is not a whole number" >&2
    exit 2
  fi
done
for tool in wrk jcmd jfr taskset openssl python3 curl; do
  if ! command -v "$tool" >/dev/null; then
    echo "bench: $tool is missing (Debian: wrk, openjdk-17-jdk-headless, util-linux, openssl, python3, curl)" >&2
    exit 2
  fi
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/gatehouse-conn-cost.XXXXXX")
SERVER_PID=""
cleanup() {
  [[ -n "$SERVER_PID" ]] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 7 -subj "/CN=localhost" \
  -addext "subjectAltName=DNS:localhost" -keyout "$WORK/key.pem" -out "$WORK/cert.pem" 2>/dev/null
chmod 600 "$WORK/key.pem"
cat >"$WORK/alloc.jfc" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<configuration version="2.0" label="allocation" description="bytes allocated per thread, every second">
  <event name="jdk.ThreadAllocationStatistics"><setting name="enabled">true</setting><setting name="period">1 s</setting></event>
</configuration>
EOF

# CPU ticks (user + system) of the connection threads of process $1, and of the whole process.
loop_ticks() {
  local t total=0 v
  for t in /proc/"$1"/task/*; do
    [[ $(cat "$t/comm" 2>/dev/null) == gatehouse-@(io|accept)* ]] || continue
    # Fields after the "(name)", which may hold spaces: utime and stime are the 12th and 13th.
    v=$(sed 's/^.*) //' "$t/stat" 2>/dev/null | awk '{print $12 + $13}')
    total=$((total + ${v:-0}))
  done
  echo "$total"
}
process_ticks() { sed 's/^.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'; }

# Bytes allocated by the connection threads between the first and the last sample of recording $1.
loop_allocation() {
  jfr print --json --events jdk.ThreadAllocationStatistics "$1" | python3 -c '
import collections, json, sys
samples = collections.defaultdict(list)
for event in json.load(sys.stdin)["recording"]["events"]:
    thread = event["values"]["thread"]
    if thread and (thread["javaName"] or "").startswith(("gatehouse-io", "gatehouse-accept")):
        samples[thread["javaName"]].append((event["values"]["startTime"], event["values"]["allocated"]))
print(sum(max(s)[1] - min(s)[1] for s in samples.values()))'
}

TICK=$(getconf CLK_TCK)
RESULTS="$WORK/results.tsv"
: >"$RESULTS"
for round in $(seq "$ROUNDS"); do
  for jar in "$@"; do
    run="$WORK/run"
    rm -rf "$run"
    mkdir -p "$run"
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    url="https://localhost:$port/"
    env XDG_CACHE_HOME="$WORK/cache-$(cksum <<<"$jar" | cut -d' ' -f1)" GATEHOUSE_JAR="$jar" \
      taskset -c "$PROXY_CPU" "$ROOT/bin/gatehouse" serve localhost --bind 127.0.0.1 --http-port 0 \
      --https-port "$port" --state-dir "$run/state" --tls-cert "$WORK/cert.pem" --tls-key "$WORK/key.pem" \
      --access-log off >"$run/log" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 600); do
      curl -sk -o /dev/null "$url" && break
      sleep 0.1
    done
    taskset -c "$LOAD_CPU" wrk -t1 -c"$CONNECTIONS" -d"${WARMUP}s" -H "Connection: close" "$url" >/dev/null 2>&1 || true
    jcmd "$SERVER_PID" JFR.start name=conn-cost settings="$WORK/alloc.jfc" filename="$run/alloc.jfr" >/dev/null
    sleep 1.5
    p0=$(process_ticks "$SERVER_PID") l0=$(loop_ticks "$SERVER_PID")
    taskset -c "$LOAD_CPU" wrk -t1 -c"$CONNECTIONS" -d"${SECONDS_MEASURED}s" -H "Connection: close" "$url" \
      >"$run/wrk.txt" 2>&1 || true
    p1=$(process_ticks "$SERVER_PID") l1=$(loop_ticks "$SERVER_PID")
    sleep 1.5
    jcmd "$SERVER_PID" JFR.stop name=conn-cost >/dev/null
    allocated=$(loop_allocation "$run/alloc.jfr")
    kill "$SERVER_PID"
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
    connections=$(awk '$2 == "requests" && $3 == "in" {print $1}' "$run/wrk.txt")
    errors=$(awk '/Socket errors:|Non-2xx/ {gsub(/,/, ""); for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+$/) e += $i} END {print e + 0}' "$run/wrk.txt")
    if [[ -z "$connections" || "$connections" == 0 ]]; then
      echo "bench: $jar: wrk made no connection; its output:" >&2
      cat "$run/wrk.txt" >&2
      exit 1
    fi
    line=$(awk -v n="$connections" -v t="$TICK" -v p="$((p1 - p0))" -v l="$((l1 - l0))" -v a="$allocated" \
      'BEGIN {printf "%.0f\t%.0f\t%.0f", p * 1e6 / t / n, l * 1e6 / t / n, a / n}')
    printf '%s\t%s\n' "$jar" "$line" >>"$RESULTS"
    printf '%s round %s: %s connections (%s errors), process %s us, connection threads %s us, %s bytes per connection; load %s\n' \
      "$jar" "$round" "$connections" "$errors" $line "$(cut -d' ' -f1 /proc/loadavg)"
  done
done

echo "medians per connection (process CPU us, connection threads' CPU us and bytes allocated):"
for jar in "$@"; do
  awk -F'\t' -v j="$jar" '$1 == j' "$RESULTS" | python3 -c '
import statistics, sys
rows = [line.rstrip("\n").split("\t") for line in sys.stdin]
print("  %s: %.0f us, %.0f us, %.0f bytes (%d runs)" % (rows[0][0],
      *(statistics.median(float(r[i]) for r in rows) for i in (1, 2, 3)), len(rows)))'
done
