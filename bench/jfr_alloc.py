#!/usr/bin/env python3
"""Bytes allocated per request during a JFR recording, from its allocation samples.

  python3 bench/jfr_alloc.py recording.jfr REQUESTS [--top N]

Sums the weights of jdk.ObjectAllocationSample (a sample's weight is what its thread allocated since its
previous sample) and divides by REQUESTS. Each thread's first sample is left out: its weight counts everything
the thread allocated before the recording began (a recording started with `jcmd JFR.start` mid-run gave one
promise of a channel's registration a weight of 1.1 GB). With --top, the biggest sites as class @ first
dev.gatehouse or io.netty frame, in bytes per request. Needs the JDK's `jfr` tool on the PATH.
"""
import argparse
import collections
import re
import subprocess

UNITS = {"bytes": 1, "byte": 1, "kB": 1 << 10, "MB": 1 << 20, "GB": 1 << 30}


def samples(recording):
    """Yields (thread, class, weight in bytes, first project frame) per allocation sample."""
    command = ["jfr", "print", "--stack-depth", "8", "--events", "jdk.ObjectAllocationSample", recording]
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as jfr:
        thread = cls = site = None
        weight = None
        for line in jfr.stdout:
            text = line.strip()
            if text.startswith("jdk.ObjectAllocationSample"):
                thread = cls = site = weight = None
            elif text.startswith("objectClass = "):
                cls = text.split("=", 1)[1].strip().split(" (")[0]
            elif text.startswith("weight = "):
                value, unit = text.split("=", 1)[1].split()
                weight = float(value.replace(",", "")) * UNITS[unit]
            elif text.startswith("eventThread = "):
                thread = text.split('"')[1]
            elif site is None and re.match(r"^(io\.netty|dev\.gatehouse)\.", text):
                site = text.split("(")[0]
            elif text == "}" and weight is not None:
                yield thread, cls, weight, site or "?"
                weight = None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("recording")
    parser.add_argument("requests", type=int)
    parser.add_argument("--top", type=int, default=0)
    args = parser.parse_args()
    if args.requests <= 0:
        parser.error(f"REQUESTS: {args.requests} (expected: > 0, the requests completed during the recording)")
    seen = set()
    total = 0.0
    sites = collections.Counter()
    for thread, cls, weight, site in samples(args.recording):
        if thread not in seen:
            seen.add(thread)
            continue
        total += weight
        sites[f"{cls} @ {site}"] += weight
    print(f"{total / args.requests:.0f} bytes per request")
    for name, weight in sites.most_common(args.top):
        print(f"{weight / args.requests:8.0f}  {name}")


if __name__ == "__main__":
    main()
