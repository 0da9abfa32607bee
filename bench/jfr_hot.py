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
import re
import subprocess
import sys

UNITS = {"bytes": 1, "byte": 1, "kB": 1 << 10, "MB": 1 << 20, "GB": 1 << 30}
FIELD = re.compile(r"^  (\w+) = (.*)$")
THREAD = re.compile(r'^"([^"]*)"')


def events(recording, names):
    """Streams (type, thread, frames, object class, weight) from `jfr print` text: a recording of minutes of
    load is millions of samples, which as one JSON document took tens of GB of memory to load."""
    command = ["jfr", "print", "--stack-depth", "64", "--events", ",".join(names), recording]
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as jfr:
        kind, fields, frames, in_stack = None, {}, [], False
        for line in jfr.stdout:
            line = line.rstrip("\n")
            if kind is None:
                if line.endswith(" {") and not line.startswith(" "):
                    kind, fields, frames, in_stack = line[:-2], {}, [], False
            elif in_stack:
                if line.strip() == "]":
                    in_stack = False
                elif line.strip() != "...":
                    frames.append(line.strip().split("(", 1)[0])
            elif line == "}":
                thread = THREAD.match(fields.get("sampledThread") or fields.get("eventThread") or "")
                yield kind, thread.group(1) if thread else "?", frames, fields.get("objectClass", "?").split(" (")[0], \
                    weight(fields.get("weight", "0 bytes"))
                kind = None
            elif line == "  stackTrace = [":
                in_stack = True
            else:
                match = FIELD.match(line)
                if match:
                    fields[match.group(1)] = match.group(2)
        if jfr.wait() != 0:
            raise SystemExit(f"jfr print failed with exit code {jfr.returncode}")


def weight(text):
    number, _, unit = text.partition(" ")
    return float(number) * UNITS.get(unit, 1)


class Hot:
    """Shares of one event type's samples by top frame ("self") and by any frame on the stack ("total")."""

    def __init__(self, prefixes):
        self.prefixes = prefixes
        self.count = 0
        self.self_counts = collections.Counter()
        self.total_counts = collections.Counter()

    def add(self, frames):
        self.count += 1
        if frames:
            self.self_counts[frames[0]] += 1
        for name in set(frames):
            if name.startswith(self.prefixes):
                self.total_counts[name] += 1

    def report(self, title, top):
        print(f"\n== {title}: {self.count} samples")
        if not self.count:
            return
        print("-- self (top frame)")
        for name, n in self.self_counts.most_common(top):
            print(f"{100 * n / self.count:5.1f}%  {name}")
        print("-- total (on the stack), " + ", ".join(self.prefixes))
        for name, n in self.total_counts.most_common(top):
            print(f"{100 * n / self.count:5.1f}%  {name}")


class Callees:
    """Of the Java samples with `method` on the stack, the share by the frame it called (or "self")."""

    def __init__(self, method):
        self.method = method
        self.hits = 0
        self.counts = collections.Counter()

    def add(self, frames):
        for i, name in enumerate(frames):
            if name.endswith(self.method):
                self.hits += 1
                self.counts[frames[i - 1] if i > 0 else "(self)"] += 1
                break

    def report(self, top):
        print(f"\n== under {self.method}: {self.hits} Java samples")
        for name, n in self.counts.most_common(top):
            print(f"{100 * n / max(self.hits, 1):5.1f}%  {name}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("recording")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--thread", default="", help="only threads whose name starts with this")
    parser.add_argument("--callees", action="append", default=[], help="break the time under this method down")
    args = parser.parse_args()
    prefixes = ("dev.gatehouse.", "io.netty.")
    java, native = Hot(prefixes), Hot(prefixes)
    under = [Callees(method) for method in args.callees]
    allocations = collections.Counter()
    allocation_sites = collections.Counter()
    allocation_total = 0
    names = ["jdk.ExecutionSample", "jdk.NativeMethodSample", "jdk.ObjectAllocationSample"]
    for kind, thread, frames, object_class, bytes_ in events(args.recording, names):
        if not thread.startswith(args.thread):
            continue
        if kind == "jdk.ObjectAllocationSample":
            allocation_total += bytes_
            allocations[object_class] += bytes_
            site = next((f for f in frames if f.startswith(prefixes)), frames[0] if frames else "?")
            allocation_sites[site] += bytes_
        elif kind == "jdk.ExecutionSample":
            java.add(frames)
            for c in under:
                c.add(frames)
        else:
            native.add(frames)
    java.report("jdk.ExecutionSample (Java code)", args.top)
    for c in under:
        c.report(args.top)
    native.report("jdk.NativeMethodSample (in native code)", args.top)
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
