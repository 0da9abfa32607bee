#!/usr/bin/env python3
"""TLS client helpers for bench/run.sh (standard library only).

  first-response  start a server command and time how long until it answers one HTTPS request with 200
  idle            open N TLS connections, make one keep-alive request on each, then hold them open

Both connect to 127.0.0.1 only and send the server name themselves (SNI and Host), as the tests do.
"""
import argparse
import asyncio
import os
import resource
import signal
import socket
import ssl
import subprocess
import sys
import time


def client_context(cafile):
    ctx = ssl.create_default_context(cafile=cafile)
    ctx.set_alpn_protocols(["http/1.1"])
    return ctx


def request_bytes(host, port, path):
    return (f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUser-Agent: gatehouse-bench\r\n\r\n").encode()


def status_and_length(head):
    """The status code and Content-Length (or None) of a response head."""
    lines = head.split(b"\r\n")
    status = int(lines[0].split(b" ")[1])
    length = None
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    return status, length


def try_once(ctx, host, port, path):
    """One HTTPS GET on a fresh connection; True on a 200."""
    with socket.create_connection(("127.0.0.1", port), timeout=2) as raw:
        with ctx.wrap_socket(raw, server_hostname=host) as tls:
            tls.sendall(request_bytes(host, port, path))
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = tls.recv(65536)
                if not chunk:
                    return False
                data += chunk
            status, _ = status_and_length(data.split(b"\r\n\r\n", 1)[0])
            return status == 200


def cpu_ms(pid):
    """CPU time (user + system, all threads) process pid and its descendants (nginx's workers) have used
    so far, in milliseconds; reaped children count through their parent's cutime and cstime."""
    stats = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    fields = f.read().rpartition(")")[2].split()
            except OSError:
                continue
            stats[int(entry)] = (int(fields[1]), sum(int(v) for v in fields[11:15]))
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        total += stats.get(current, (0, 0))[1]
        todo.extend(p for p, (ppid, _) in stats.items() if ppid == current)
    return total * 1000 // os.sysconf("SC_CLK_TCK")


def first_response(args):
    """Starts the command, writes its pid to --pid-file at once, prints milliseconds to the first 200.

    With --cpu-file, also writes there the CPU milliseconds the server had used when the 200 arrived: on a
    machine shared with other jobs that figure moves much less than the wall time.
    """
    ctx = client_context(args.cafile)
    with open(args.log, "ab") as log:
        start = time.monotonic()
        proc = subprocess.Popen(args.command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    with open(args.pid_file, "w") as f:
        f.write(f"{proc.pid}\n")
    deadline = start + args.timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            print(f"server exited with status {proc.returncode} before answering", file=sys.stderr)
            return 1
        try:
            if try_once(ctx, args.host, args.port, args.path):
                elapsed = time.monotonic() - start
                if args.cpu_file:
                    with open(args.cpu_file, "w") as f:
                        f.write(f"{cpu_ms(proc.pid)}\n")
                print(f"{elapsed * 1000:.0f}")
                return 0
        except (OSError, ValueError, IndexError):
            pass
        time.sleep(0.005)
    print(f"no 200 from https://{args.host}:{args.port}{args.path} within {args.timeout} s", file=sys.stderr)
    return 1


class HeldConnection(asyncio.Protocol):
    """A TLS connection that makes one request, reads the whole response, then stays idle."""

    def __init__(self, request, answered):
        self.request = request
        self.answered = answered
        self.buffer = b""
        self.expected = None
        self.status = None
        self.lost = False

    def connection_made(self, transport):
        transport.write(self.request)

    def data_received(self, data):
        if self.answered.done():
            return
        self.buffer += data
        if self.expected is None and b"\r\n\r\n" in self.buffer:
            head, _, _ = self.buffer.partition(b"\r\n\r\n")
            self.status, length = status_and_length(head)
            self.expected = len(head) + 4 + (length or 0)
        if self.expected is not None and len(self.buffer) >= self.expected:
            self.buffer = b""
            self.answered.set_result(self.status)

    def connection_lost(self, exc):
        self.lost = True
        if not self.answered.done():
            self.answered.set_exception(ConnectionError("closed before the response"))


async def hold(args):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < args.count + 100:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, args.count + 1000), hard))
    ctx = client_context(args.cafile)
    loop = asyncio.get_running_loop()
    request = request_bytes(args.host, args.port, args.path)
    held = []
    failures = 0
    gate = asyncio.Semaphore(args.concurrency)

    async def open_one():
        nonlocal failures
        async with gate:
            answered = loop.create_future()
            try:
                transport, protocol = await asyncio.wait_for(
                    loop.create_connection(
                        lambda: HeldConnection(request, answered),
                        "127.0.0.1",
                        args.port,
                        ssl=ctx,
                        server_hostname=args.host,
                    ),
                    timeout=30,
                )
                status = await asyncio.wait_for(answered, timeout=30)
                if status != 200:
                    failures += 1
                held.append((transport, protocol))
            except (OSError, asyncio.TimeoutError, ConnectionError, ssl.SSLError):
                failures += 1

    started = time.monotonic()
    await asyncio.gather(*(open_one() for _ in range(args.count)))
    # Let servers that close idle connections early show it before anyone measures.
    await asyncio.sleep(args.settle)
    alive = sum(1 for _, p in held if not p.lost)
    print(f"ready {alive} {failures} {time.monotonic() - started:.1f}", flush=True)
    stop = asyncio.Event()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.add_signal_handler(signal.SIGINT, stop.set)
    await asyncio.wait_for(stop.wait(), timeout=args.hold)
    alive = sum(1 for _, p in held if not p.lost)
    print(f"released {alive}", flush=True)
    for transport, _ in held:
        transport.abort()
    return 0


def idle(args):
    try:
        return asyncio.run(hold(args))
    except asyncio.TimeoutError:
        return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="mode", required=True)
    for name in ("first-response", "idle"):
        p = sub.add_parser(name)
        p.add_argument("--port", type=int, required=True)
        p.add_argument("--host", default="localhost", help="SNI and Host")
        p.add_argument("--path", default="/")
        p.add_argument("--cafile", required=True, help="the certificate the server presents (self-signed)")
        if name == "first-response":
            p.add_argument("--pid-file", required=True)
            p.add_argument("--log", required=True, help="the server's stdout and stderr")
            p.add_argument("--timeout", type=float, default=60)
            p.add_argument("--cpu-file", help="where to write the server's CPU milliseconds at the first 200")
            p.add_argument("command", nargs=argparse.REMAINDER)
        else:
            p.add_argument("--count", type=int, default=10000)
            p.add_argument("--concurrency", type=int, default=200)
            p.add_argument("--settle", type=float, default=2, help="seconds to wait before reporting ready")
            p.add_argument("--hold", type=float, default=600, help="longest hold, seconds")
    args = parser.parse_args()
    if args.mode == "first-response":
        if args.command and args.command[0] == "--":
            args.command = args.command[1:]
        return first_response(args)
    return idle(args)


if __name__ == "__main__":
    sys.exit(main())
