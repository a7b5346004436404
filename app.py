"""Run 规划问答助手: the chat UI at "/", the JSON API under /api, OpenAI-compatible /v1, docs at /docs.

    python app.py          # or: make run, assistant serve
Listens on ASSISTANT_HOST:ASSISTANT_PORT (127.0.0.1:7860 unless told otherwise).
"""

from assistant.server import serve
from assistant.settings import Settings

if __name__ == "__main__":
    serve(Settings.from_env())
