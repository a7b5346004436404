"""A stub OpenAI-compatible chat server: real HTTP, replies the test queues, or a copying "model".

Each POST /v1/chat/completions takes the next step of `server.plan`:
("reply", text), ("status", 500), ("stall", seconds) or ("slow", (seconds, text)).
With the plan empty it behaves as a model that copies: after `server.delay` seconds it
answers with the first sentence of passage [1] of the prompt, without a marker.

    .venv/bin/python tests/stub_openai.py --delay 2   # serves until interrupted; prints its /v1 URL
"""

from __future__ import annotations

import argparse
import json
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

PASSAGE_ONE = re.compile(r"\[1\] 出处：[^\n]*\n([^\n]+)")


def copied(prompt: str) -> str:
    """What the copying model says: passage [1]'s first sentence, no marker. "规划中未提及。" without one."""
    m = PASSAGE_ONE.search(prompt)
    if not m:
        return "规划中未提及。"
    return re.split(r"(?<=[。；])", m.group(1))[0]


class Handler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        server: Any = self.server
        with server.lock:
            server.requests.append(body)
            step = server.plan.pop(0) if server.plan else ("copy", None)
        kind, value = step
        try:
            if kind == "stall":
                time.sleep(value)
                kind, value = "reply", "规划中未提及。"
            if kind == "slow":
                time.sleep(value[0])
                kind, value = "reply", value[1]
            if kind == "copy":
                time.sleep(server.delay)
                kind, value = "reply", copied(body["messages"][-1]["content"])
            if kind == "status":
                self.send_json(value, {"error": {"message": "stub error", "type": "server_error"}})
                return
            message = {"role": "assistant", "content": value}
            choice = {"index": 0, "message": message, "finish_reason": "stop"}
            usage = {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}
            self.send_json(
                200,
                {"id": "c1", "object": "chat.completion", "created": 0, "model": body["model"],
                 "choices": [choice], "usage": usage},
            )  # fmt: skip
        except OSError:
            pass  # the client gave up waiting: that is the point of a stall

    def send_json(self, status: int, payload: dict[str, Any]) -> None:
        data = json.dumps(payload, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def stub_openai(delay: float = 0.0, port: int = 0) -> Iterator[Any]:
    """A running stub on 127.0.0.1; `server.url` is its /v1 base URL."""
    server: Any = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    server.plan, server.requests, server.delay, server.lock = [], [], delay, threading.Lock()
    server.url = f"http://127.0.0.1:{server.server_port}/v1"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="A copying stub OpenAI-compatible server")
    parser.add_argument("--delay", type=float, default=2.0, help="seconds before each reply")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    with stub_openai(args.delay, args.port) as s:
        print(s.url, flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
