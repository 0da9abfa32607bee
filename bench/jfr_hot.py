#!/usr/bin/env python3
"""Hot spots of a JFR recording: where the samples of jdk.ExecutionSample (Java code running) and
jdk.NativeMethodSample (threads inside a native method: epoll, BoringSSL through tcnative, sockets) fall.

  python3 bench/jfr_hot.py recording.jfr [--top 25] [--thread gatehouse-io] [--callees METHOD]

Prints, per event type, the share of samples by top frame ("self"), by any frame on the stack ("total",
for methods of dev.gatehouse and io.netty), and the allocation samples by class and top frame. With
--callees, where the time under one method (a suffix such as RequestRouter.route) goes, one call deep.
Needs the JDK's `jfr` tool on the PATH.
"""
import argparse
import collections
import json
import subprocess
import sys


def events(recording, names):
    out = subprocess.run(
        ["jfr", "print", "--json", "--stack-depth", "64", "--events", ",".join(names), recording],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out)["recording"]["events"]


def frame_name(frame):
    method = frame["method"]
    return f'{method["type"]["name"]}.{method["name"]}'.replace("/", ".")


def thread_name(event):
    thread = event["values"].get("sampledThread") or event["values"].get("eventThread") or {}
    return thread.get("javaName") or thread.get("osName") or "?"


def report(title, samples, top, prefixes):
    total = len(samples)
    print(f"\n== {title}: {total} samples")
    if not total:
        return
    self_counts = collections.Counter()
    total_counts = collections.Counter()
    for frames in samples:
        if frames:
            self_counts[frames[0]] += 1
        for name in set(frames):
            if name.startswith(prefixes):
                total_counts[name] += 1
    print("-- self (top frame)")
    for name, n in self_counts.most_common(top):
        print(f"{100 * n / total:5.1f}%  {name}")
    print("-- total (on the stack), " + ", ".join(prefixes))
    for name, n in total_counts.most_common(top):
        print(f"{100 * n / total:5.1f}%  {name}")


def callees(samples, method, top):
    """Of the Java samples with `method` on the stack, the share by the frame it called (or "self")."""
    counts = collections.Counter()
    hits = 0
    for frames in samples:
        for i, name in enumerate(frames):
            if name.endswith(method):
                hits += 1
                counts[frames[i - 1] if i > 0 else "(self)"] += 1
                break
    print(f"\n== under {method}: {hits} Java samples")
    for name, n in counts.most_common(top):
        print(f"{100 * n / max(hits, 1):5.1f}%  {name}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("recording")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--thread", default="", help="only threads whose name starts with this")
    parser.add_argument("--callees", action="append", default=[], help="break the time under this method down")
    args = parser.parse_args()
    prefixes = ("dev.gatehouse.", "io.netty.")
    by_type = collections.defaultdict(list)
    allocations = collections.Counter()
    allocation_sites = collections.Counter()
    allocation_total = 0
    for event in events(args.recording, ["jdk.ExecutionSample", "jdk.NativeMethodSample", "jdk.ObjectAllocationSample"]):
        if not thread_name(event).startswith(args.thread):
            continue
        stack = event["values"].get("stackTrace") or {}
        frames = [frame_name(f) for f in stack.get("frames", [])]
        if event["type"] == "jdk.ObjectAllocationSample":
            weight = event["values"].get("weight", 0)
            allocation_total += weight
            allocations[event["values"]["objectClass"]["name"]] += weight
            site = next((f for f in frames if f.startswith(prefixes)), frames[0] if frames else "?")
            allocation_sites[site] += weight
        else:
            by_type[event["type"]].append(frames)
    report("jdk.ExecutionSample (Java code)", by_type["jdk.ExecutionSample"], args.top, prefixes)
    for method in args.callees:
        callees(by_type["jdk.ExecutionSample"], method, args.top)
    report("jdk.NativeMethodSample (in native code)", by_type["jdk.NativeMethodSample"], args.top, prefixes)
    if allocation_total:
        print(f"\n== allocation samples (weighted): {allocation_total / 2**20:.0f} MiB sampled")
        for name, w in allocations.most_common(args.top):
            print(f"{100 * w / allocation_total:5.1f}%  {name}")
        print("-- first dev.gatehouse / io.netty frame allocating")
        for name, w in allocation_sites.most_common(args.top):
            print(f"{100 * w / allocation_total:5.1f}%  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
