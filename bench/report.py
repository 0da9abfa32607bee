#!/usr/bin/env python3
"""Turns bench/run.sh's raw results (server, metric, value per line) into the table and the JSON file.

Ratios are Gatehouse's figure divided by the other's, so for figures where less is better (latency,
memory, start-up) a ratio below 1 is good; the "vs best" column compares with the best of nginx, Caddy and
HAProxy for that figure, and "target" is the goal of issue 6.
"""
import argparse
import json
import os
import sys
import tempfile

COMPETITORS = ("nginx", "caddy", "haproxy")
TESTS = ("first", "h1", "h2", "newconn", "static")

# (metric, label, unit, higher is better, target: (kind, value)) — kind "best" means "ratio to the best
# competitor at least/at most value", a competitor's name the same against that one, "abs" an absolute bound.
# Targets of issue 14 where it set one (first seconds, p99/p99.9, memory after load), else of issue 6.
FIGURES = [
    ("first_rps", "HTTP/1.1 in the first 5 s after start", "req/s", True, ("best", 0.8)),
    ("first_per_cpu_s", "first 5 s: requests per proxy CPU-second", "req", True, None),
    ("h1_rps", "HTTP/1.1 keep-alive", "req/s", True, ("best", 1.0)),
    ("h1_p99_ms", "HTTP/1.1 p99 latency", "ms", False, ("best", 1.0)),
    ("h1_p999_ms", "HTTP/1.1 p99.9 latency", "ms", False, ("best", 1.0)),
    ("h2_rps", "HTTP/2 (64 conn x 10 streams)", "req/s", True, ("best", 1.0)),
    ("newconn_rps", "new TLS connection per request", "req/s", True, ("best", 1.0)),
    ("static_rps", "static 32 KiB file", "req/s", True, ("nginx", 1.0)),
    ("idle_kib_per_conn", "memory per idle TLS connection", "KiB", False, ("abs", 20.0)),
    ("startup_ms", "start to first HTTPS response", "ms", False, ("abs", 1000.0)),
    ("startup_cpu_ms", "start-up: server CPU until then", "ms", False, None),
    ("h1_per_cpu_s", "HTTP/1.1: requests per proxy CPU-second", "req", True, None),
    ("h2_per_cpu_s", "HTTP/2: requests per proxy CPU-second", "req", True, None),
    ("newconn_per_cpu_s", "new connections per proxy CPU-second", "req", True, None),
    ("static_per_cpu_s", "static: requests per proxy CPU-second", "req", True, None),
    ("rss_start_mib", "resident memory after start", "MiB", False, None),
    ("rss_loaded_mib", "resident memory after the load tests", "MiB", False, ("caddy", 1.0)),
]


def best_of(results, metric, higher):
    values = [(results[s][metric], s) for s in COMPETITORS if metric in results.get(s, {})]
    if not values:
        return None
    return max(values) if higher else min(values)


def ratio(a, b):
    if a is None or b is None or b == 0:
        return None
    return a / b


def verdict(results, metric, higher, target):
    g = results.get("gatehouse", {}).get(metric)
    if target is None or g is None:
        return None
    kind, bound = target
    if kind == "abs":
        return g <= bound if not higher else g >= bound
    if kind == "best":
        other = (best_of(results, metric, higher) or (None,))[0]
    else:
        other = results.get(kind, {}).get(metric)
    r = ratio(g, other)
    if r is None:
        return None
    return r >= bound if higher else r <= bound


def target_text(target, higher):
    if target is None:
        return ""
    kind, bound = target
    if kind == "abs":
        return f"{'>=' if higher else '<='} {bound:g}"
    return f"{'>=' if higher else '<='} {bound:g}x {kind}"


def fmt(v, unit=""):
    if v is None:
        return "-"
    if unit in ("req/s", "req") or abs(v) >= 1000:
        return f"{v:,.0f}"
    return f"{v:.1f}" if abs(v) >= 10 else f"{v:.2f}"


def fmt_ratio(r):
    return "-" if r is None else f"{r:.2f}x"


def table(results):
    servers = [s for s in ("nginx", "caddy", "haproxy", "gatehouse") if s in results]
    header = ["figure", "unit"] + servers + ["G/nginx", "G/Caddy", "G/best", "target", "met"]
    rows = []
    for metric, label, unit, higher, target in FIGURES:
        if not any(metric in results[s] for s in servers):
            continue
        g = results.get("gatehouse", {}).get(metric)
        best = best_of(results, metric, higher)
        met = verdict(results, metric, higher, target)
        rows.append(
            [label, unit]
            + [fmt(results[s].get(metric), unit) for s in servers]
            + [
                fmt_ratio(ratio(g, results.get("nginx", {}).get(metric))),
                fmt_ratio(ratio(g, results.get("caddy", {}).get(metric))),
                fmt_ratio(ratio(g, best[0] if best else None)) + (f" ({best[1]})" if best else ""),
                target_text(target, higher),
                "" if met is None else ("yes" if met else "NO"),
            ]
        )
    return header, rows


def markdown(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--results", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--meta", nargs="*", default=[], help="key=value facts about the run")
    args = parser.parse_args()
    meta = dict(kv.split("=", 1) for kv in args.meta)
    results = load(args.results)
    header, rows = table(results)
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows)]
    for row in [header] + rows:
        print("  ".join(str(c).ljust(w) if i < 2 else str(c).rjust(w) for i, (c, w) in enumerate(zip(row, widths))))
    print()
    print(f"load average before/after: {meta.get('load_before')} / {meta.get('load_after')}")
    gatehouse = results.get("gatehouse", {})
    if "startup_first_ms" in gatehouse:
        print(f"gatehouse first start ever (records the start-up archive): {gatehouse['startup_first_ms']:.0f} ms")
    if "startup_ms_plain" in gatehouse:
        print(f"gatehouse start-up with plain java -jar (no launcher): {gatehouse['startup_ms_plain']:.0f} ms")
    document = {
        "meta": meta,
        "results": results,
        "ratios": {
            metric: {
                "gatehouse_vs_nginx": ratio(gatehouse.get(metric), results.get("nginx", {}).get(metric)),
                "gatehouse_vs_caddy": ratio(gatehouse.get(metric), results.get("caddy", {}).get(metric)),
                "gatehouse_vs_best": ratio(gatehouse.get(metric), (best_of(results, metric, higher) or (None,))[0]),
                "best": (best_of(results, metric, higher) or (None, None))[1],
                "higher_is_better": higher,
                "target": target_text(target, higher),
                "met": verdict(results, metric, higher, target),
            }
            for metric, _, _, higher, target in FIGURES
        },
        "table_markdown": markdown(header, rows),
    }
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(os.path.abspath(args.out)), prefix=".latest-")
    with os.fdopen(fd, "w") as f:
        json.dump(document, f, indent=2, sort_keys=True)
        f.write("\n")
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, args.out)
    print(f"wrote {args.out}")
    return 0


def load(path):
    results = {}
    with open(path) as f:
        for line in f:
            server, metric, value = line.rstrip("\n").split("\t")
            results.setdefault(server, {})[metric] = float(value)
    for figures in results.values():
        for test in TESTS:
            if figures.get(f"{test}_requests") and figures.get(f"{test}_proxy_cpu_s"):
                # Less sensitive to other load on the machine: requests carried per CPU-second the proxy used.
                figures[f"{test}_per_cpu_s"] = round(figures[f"{test}_requests"] / figures[f"{test}_proxy_cpu_s"])
    return results


if __name__ == "__main__":
    sys.exit(main())
