"""The optional LLM: an OpenAI-compatible chat endpoint writes prose from the desk's points.

Off unless `llm_base_url` and `llm_model` are set. Whatever the endpoint does
(slow, down, an error status, a malformed or hostile reply) the brief keeps
its structured desk: `ProseWriter.add_prose` never raises for the endpoint's
sake, and what it keeps has passed `analyse.prose.checked_prose`.
"""

from __future__ import annotations

import json
import time
from dataclasses import replace
from types import TracebackType
from typing import Any

import httpx

from newsdesk.analyse.prose import checked_prose, prompt
from newsdesk.config import Settings
from newsdesk.models import Brief

MAX_REPLY_BYTES = 256 * 1024


class ProseWriter:
    """Writes `Analysis.prose` through one endpoint; pass `client` to reuse or test one."""

    def __init__(self, settings: Settings, *, client: httpx.Client | None = None) -> None:
        self.url = (settings.llm_base_url or "").rstrip("/") + "/chat/completions"
        self.model = settings.llm_model
        headers = (
            {"Authorization": f"Bearer {settings.llm_api_key}"} if settings.llm_api_key else {}
        )
        timeout = httpx.Timeout(settings.llm_timeout)
        self._client = client or httpx.Client(
            timeout=timeout, headers=headers, follow_redirects=False
        )
        self._timeout = timeout
        self._seconds = settings.llm_timeout
        self.failures = 0  # calls that gave nothing usable, for a summary

    def __enter__(self) -> ProseWriter:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def add_prose(self, brief: Brief) -> Brief:
        """The brief with prose from its points, or unchanged when the endpoint gives none."""
        analysis = brief.analysis
        if analysis is None or not analysis.points:
            return brief
        reply = self._reply(prompt(brief, analysis))
        if reply is None:
            self.failures += 1
            return brief
        prose = checked_prose(reply, brief, analysis)
        return replace(brief, analysis=replace(analysis, prose=prose.text, dropped=prose.dropped))

    def _reply(self, messages: list[dict[str, str]]) -> str | None:
        body = {"model": self.model, "messages": messages, "temperature": 0.2, "max_tokens": 600}
        try:
            with self._client.stream(
                "POST", self.url, json=body, timeout=self._timeout
            ) as response:
                if response.status_code != 200:
                    return None
                data = bytearray()
                deadline = time.monotonic() + self._seconds
                for chunk in response.iter_bytes():
                    data += chunk
                    if len(data) > MAX_REPLY_BYTES or time.monotonic() > deadline:
                        return None  # too long, or trickled out past the timeout
        except httpx.HTTPError:
            return None
        return _content(bytes(data))


def _content(data: bytes) -> str | None:
    """choices[0].message.content of an OpenAI chat completion, when it is one."""
    try:
        reply: Any = json.loads(data)
        content = reply["choices"][0]["message"]["content"]
    except (ValueError, KeyError, IndexError, TypeError, RecursionError):
        return None
    return content if isinstance(content, str) else None


def prose_writer(settings: Settings) -> ProseWriter | None:
    """A writer when the LLM is configured; None (prose off) otherwise."""
    if not settings.llm_base_url or not settings.llm_model:
        return None
    return ProseWriter(settings)
