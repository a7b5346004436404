"""Load test: 16 concurrent clients on /api/ask of a real server, against in-process ask throughput.

Starts `python app.py` on a free port (the index under ASSISTANT_INDEX_DIR, built first if
missing), warms it up, then runs CLIENTS threads for DURATION seconds, each posting varied
questions (some follow-ups with history, some the plan does not answer). Prints req/s,
p50/p95 latency, errors (must be 0), the server's RSS before and after (growth must stay
under 50 MB), the ratio to `Assistant.ask` called in this process (serially and from as many threads),
and the ratio to the embedding floor (1 / the median direct query embedding of the same questions),
all measured in the same run.

    python bench/load.py [--clients 16] [--seconds 20]
Exit status 1 when there were errors or RSS grew by 50 MB or more.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant import Assistant, Settings  # noqa: E402

FUXIN = "阜新高新区主导产业是什么？"
QUESTIONS: list[dict[str, Any]] = [
    {"question": FUXIN},
    {"question": "那大连呢？", "history": [{"role": "user", "content": FUXIN}]},
    {"question": "沈阳高新区要建设哪些众创空间？"},
    {"question": "国家级高新区有几个？"},
    {"question": "到2020年省级以上高新区研发经费占GDP比重要达到多少？"},
    {"question": "规划提出了哪些保障措施？"},
    {"question": "锦州高新区的主导产业有哪些？"},
    {"question": "鞍山高新区有哪些产业技术创新联盟？"},
    {"question": "高新区年销售收入是多少？"},
    {"question": "如何加强考核管理？"},
    {"question": "营口呢？", "history": [{"role": "user", "content": "锦州高新区的主导产业有哪些？"}]},
    {"question": "规划对火星基地建设有什么要求？"},
    {"question": "本溪高新区主导产业"},
    {"question": "科技金融结合方面取得了哪些进展？"},
    {"question": "众创空间有多少家？"},
    {"question": "怎样优化创新创业生态？"},
]
RSS_LIMIT_MB = 50


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(port: int, data_dir: str) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "ASSISTANT_PORT": str(port),
        "ASSISTANT_HOST": "127.0.0.1",
        "ASSISTANT_DATA_DIR": data_dir,
    }
    env["ASSISTANT_API_KEY"] = ""
    return subprocess.Popen(
        [sys.executable, "app.py"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def wait_ready(base: str, proc: subprocess.Popen[bytes], timeout: float = 300) -> float:
    """Seconds until the socket answered (index possibly still building), then wait for /healthz 200."""
    t0 = time.monotonic()
    listening = None
    with httpx.Client(base_url=base, timeout=5) as h:
        while time.monotonic() - t0 < timeout:
            if proc.poll() is not None:
                raise SystemExit("the server exited during start-up")
            try:
                status = h.get("/healthz").status_code
                listening = listening or time.monotonic() - t0
                if status == 200:
                    return listening
            except httpx.TransportError:
                pass
            time.sleep(0.1)
    raise SystemExit("the server did not become ready")


def rss_mb(pid: int) -> float:
    return psutil.Process(pid).memory_info().rss / 2**20


def run_load(base: str, clients: int, seconds: float) -> dict[str, Any]:
    """CLIENTS threads posting questions for `seconds` over keep-alive connections.

    The clients use the standard library's http.client, not httpx: the load generator shares the
    server's two cores, and 16 httpx clients took 9.4% of a core where http.client takes about 2%
    (measured 2026-11-26, printed as client_cpu_share). The server's rate is what is measured.
    """
    host, port = base.removeprefix("http://").split(":")
    bodies = [json.dumps(body).encode() for body in QUESTIONS]
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client(offset: int) -> None:
        mine: list[float] = []
        bad: list[str] = []
        conn = http.client.HTTPConnection(host, int(port), timeout=60)
        for body in itertools.islice(itertools.cycle(bodies), offset, None):
            if time.monotonic() >= stop:
                break
            t = time.perf_counter()
            try:
                conn.request("POST", "/api/ask", body, {"content-type": "application/json"})
                r = conn.getresponse()
                data = r.read()
                if r.status != 200 or "answer" not in json.loads(data):
                    bad.append(f"{r.status}: {data[:100]!r}")
            except (OSError, http.client.HTTPException, ValueError) as exc:
                bad.append(repr(exc))
                conn.close()  # reconnects on the next request
            mine.append(time.perf_counter() - t)
        conn.close()
        with lock:
            latencies.extend(mine)
            errors.extend(bad)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    t0, cpu0 = time.perf_counter(), time.process_time()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t0
    client_cpu = (time.process_time() - cpu0) / elapsed
    q = statistics.quantiles(latencies, n=100)
    return {
        "requests": len(latencies),
        "seconds": round(elapsed, 2),
        "req_per_s": round(len(latencies) / elapsed, 2),
        "p50_ms": round(q[49] * 1000, 1),
        "p95_ms": round(q[94] * 1000, 1),
        "errors": len(errors),
        "error_samples": errors[:3],
        "client_cpu_share": round(client_cpu, 3),  # cores the load generator itself used
    }


def in_process_rates(seconds: float, clients: int) -> tuple[float, float, float]:
    """`Assistant.ask` calls per second in this process (serial, then `clients` threads), same questions and
    index; and the median milliseconds of one direct query embedding of those questions (the floor)."""
    bot = Assistant.load(Settings.from_env())
    for body in QUESTIONS * 2:  # the same warm-up the server had
        bot.ask(body["question"], body.get("history"))
    embeds = []
    for body in QUESTIONS * 3:
        t = time.perf_counter()
        bot.index.embedder.embed_query(body["question"])
        embeds.append((time.perf_counter() - t) * 1000)

    def loop(offset: int, stop: float) -> int:
        n = 0
        for body in itertools.islice(itertools.cycle(QUESTIONS), offset, None):
            if time.perf_counter() >= stop:
                break
            bot.ask(body["question"], body.get("history"))
            n += 1
        return n

    t0 = time.perf_counter()
    serial = loop(0, t0 + seconds) / (time.perf_counter() - t0)
    counts: list[int] = []
    t0 = time.perf_counter()
    threads = [
        threading.Thread(target=lambda i=i: counts.append(loop(i, t0 + seconds))) for i in range(clients)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return serial, sum(counts) / (time.perf_counter() - t0), statistics.median(embeds)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--json", metavar="OUT", help="also write the results as JSON")
    args = parser.parse_args()

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as data_dir:
        proc = start_server(port, data_dir)
        try:
            listening = wait_ready(base, proc)
            with httpx.Client(base_url=base, timeout=60) as h:  # warm-up: every question twice
                for body in QUESTIONS * 2:
                    h.post("/api/ask", json=body).raise_for_status()
            rss_before = rss_mb(proc.pid)
            load = run_load(base, args.clients, args.seconds)
            rss_after = rss_mb(proc.pid)
        finally:
            proc.terminate()
            proc.wait(10)
    serial, threaded, embed_ms = in_process_rates(min(args.seconds, 10), args.clients)
    floor = 1000 / embed_ms  # requests per second if each cost exactly one query embedding
    result = {
        **load,
        "clients": args.clients,
        "listening_after_s": round(listening, 2),
        "rss_before_mb": round(rss_before, 1),
        "rss_after_mb": round(rss_after, 1),
        "rss_growth_mb": round(rss_after - rss_before, 1),
        "in_process_serial_per_s": round(serial, 2),
        "in_process_threaded_per_s": round(threaded, 2),
        "ratio_to_in_process": round(load["req_per_s"] / max(serial, threaded), 2),
        "embed_query_ms_median": round(embed_ms, 2),
        "floor_req_per_s": round(floor, 1),
        "ratio_to_floor": round(load["req_per_s"] / floor, 2),
        "cpus": os.cpu_count(),
        "embed_threads": Settings.from_env().embed_threads,
    }
    print(
        f"load: {args.clients} clients × {load['seconds']} s on POST /api/ask "
        f"({os.cpu_count()} CPUs, embed_threads={result['embed_threads']})"
    )
    print(f"  requests      {load['requests']}  ({load['req_per_s']} req/s)")
    print(f"  latency       p50 {load['p50_ms']} ms   p95 {load['p95_ms']} ms")
    print(f"  errors        {load['errors']}  {load['error_samples'] or ''}")
    print(f"  clients' CPU  {load['client_cpu_share']} of a core (the load generator shares the machine)")
    print(
        f"  server RSS    {result['rss_before_mb']} MB → {result['rss_after_mb']} MB ({result['rss_growth_mb']:+} MB)"
    )
    print(f"  in-process    {serial:.2f} asks/s serial, {threaded:.2f} asks/s with {args.clients} threads")
    print(f"  ratio         {result['ratio_to_in_process']} (server req/s ÷ the better in-process rate)")
    print(
        f"  floor         1 / {embed_ms:.1f} ms (one direct query embedding) = {floor:.1f} req/s; "
        f"server ÷ floor {result['ratio_to_floor']} (issue 9 target ≥ 0.7)"
    )
    print(f"  listening     {result['listening_after_s']} s after start")
    if args.json:
        Path(args.json).write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    ok = load["errors"] == 0 and result["rss_growth_mb"] < RSS_LIMIT_MB
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
