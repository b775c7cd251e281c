#!/usr/bin/env python3
"""Time from `sectorkit serve --demo` start to its "listening" line: a fresh data folder (every
embedded file imported) and the same folder again (everything recognised by SHA-256).

Usage: python3 bench/demo_startup.py path/to/release/sectorkit [rounds]
"""
import os, shutil, socket, statistics, subprocess, sys, tempfile, time

binary, rounds = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 3


def start(data):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]
    t = time.perf_counter()
    p = subprocess.Popen([binary, "serve", "--demo", "--bind", f"127.0.0.1:{port}", "--data-dir", data,
                          "--demo-password", "benchmark password"], stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, text=True, env={**os.environ, "SECTORKIT_LOG": "warn"})
    for line in p.stdout:
        if line.startswith("sectorkit listening"):
            break
    dt = time.perf_counter() - t
    p.terminate(); p.wait()
    return dt


fresh, again = [], []
for _ in range(rounds):
    d = tempfile.mkdtemp(prefix="sk-demostart-")
    fresh.append(start(d)); again.append(start(d))
    shutil.rmtree(d, ignore_errors=True)
ms = lambda xs: f"{statistics.median(xs) * 1000:.0f} ms (min {min(xs) * 1000:.0f}, n={len(xs)})"
print(f"{binary}: fresh data folder {ms(fresh)}; second start {ms(again)}; "
      f"load {' '.join(open('/proc/loadavg').read().split()[:3])}")
