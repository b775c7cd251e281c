#!/usr/bin/env python3
"""Benchmark: server-side time of the target-table page for the demo region.

Starts a release `sectorkit serve --demo` on a free loopback port with a fresh data folder,
signs in, and requests the demo's primary region table at NAICS 4-digit, private, two periods
(2020Q1 with growth since 2019Q1) N times over loopback; the time from request to the last byte
on loopback is the server's time plus well under a millisecond of transfer. For comparison, in
the same run, it times `sectorkit targets` for the same settings from the same database (a
whole process, start-up included). Prints a Markdown table. Not a test: numbers vary with load.

Usage: python3 bench/web_table.py [path/to/release/sectorkit] [runs]
"""
import http.cookiejar, os, re, shutil, socket, statistics, subprocess, sys, tempfile, time
import urllib.parse, urllib.request

binary = sys.argv[1] if len(sys.argv) > 1 else "target/release/sectorkit"
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 20
data = tempfile.mkdtemp(prefix="sk-webbench-")
with socket.socket() as s:
    s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]
srv = subprocess.Popen([binary, "serve", "--demo", "--bind", f"127.0.0.1:{port}", "--data-dir", data,
                        "--demo-password", "benchmark password"], stdout=subprocess.PIPE,
                       stderr=subprocess.DEVNULL, text=True, env={**os.environ, "SECTORKIT_LOG": "warn"})
try:
    for line in srv.stdout:
        if line.startswith("sectorkit listening"):
            break
    base = f"http://127.0.0.1:{port}"
    op = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    page = op.open(base + "/login").read().decode()
    csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', page).group(1)
    op.open(base + "/login", urllib.parse.urlencode({"email": "demo@example.org", "password": "benchmark password",
                                                     "csrf": csrf, "next": "/"}).encode())
    url = base + "/p/1/regions/1?period=2020Q1&base=2019Q1&own=5&level=4"
    html = op.open(url).read().decode()  # warm-up
    rows = html.count('<tr class="st-')
    web = []
    for _ in range(runs):
        t = time.perf_counter(); op.open(url).read(); web.append(time.perf_counter() - t)
    cli = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run([binary, "--data-dir", data, "targets", "--region", "39049,39041", "--period", "2020Q1",
                        "--base-period", "2019Q1", "--level", "4", "--format", "csv"], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, check=True)
        cli.append(time.perf_counter() - t)
    ms = lambda xs: f"{statistics.median(xs) * 1000:.1f} ms (min {min(xs) * 1000:.1f})"
    print(f"| what | median (min) over {runs} runs |\n|---|---|")
    print(f"| web page, {rows} industries (NAICS 4-digit, 2 periods), page {len(html) // 1024} KiB | {ms(web)} |")
    print(f"| `sectorkit targets` same settings, whole process | {ms(cli)} |")
    print(f"\nload average: {open('/proc/loadavg').read().split()[:3]}")
finally:
    srv.terminate(); srv.wait(); shutil.rmtree(data, ignore_errors=True)
