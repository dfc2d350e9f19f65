"""A crowd of phones: many participants joining over HTTP and voting at once over real sockets.

Used by the load tests and by scripts/bench_votes.py. Each phone is a python-socketio
``AsyncClient`` (one event loop for all of them, so a few hundred fit on a small machine).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import re
import time
from dataclasses import dataclass, field

import aiohttp
import socketio

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@dataclass
class Phone:
    cookie: str
    sio: socketio.AsyncClient = field(default_factory=lambda: socketio.AsyncClient(reconnection=False))


async def join_crowd(base_url: str, code: str, n: int, groups: list[str] | None = None) -> list[Phone]:
    """``n`` participants join (GET the form, POST it with its CSRF token) and connect a socket."""
    phones: list[Phone] = []
    async with aiohttp.ClientSession() as http:
        for index in range(n):
            jar = aiohttp.CookieJar(unsafe=True)
            async with aiohttp.ClientSession(cookie_jar=jar) as session:
                async with session.get(f"{base_url}/j/{code}") as page:
                    token = CSRF.search(await page.text()).group(1)
                group = groups[index % len(groups)] if groups else ""
                async with session.post(
                    f"{base_url}/j/{code}", data={"csrf_token": token, "group": group}
                ) as reply:
                    assert reply.status == 200, await reply.text()
                cookie = "; ".join(f"{c.key}={c.value}" for c in jar)
            phones.append(Phone(cookie))
        del http

    async def connect(phone: Phone) -> None:
        await phone.sio.connect(
            base_url,
            headers={"Cookie": phone.cookie},
            auth={"role": "participant", "code": code},
            transports=["websocket"],
            wait_timeout=20,
        )

    # Connect in batches: a real room arrives over a minute or two, not in one millisecond.
    for start in range(0, n, 50):
        await asyncio.gather(*(connect(p) for p in phones[start : start + 50]))
    return phones


async def vote_all(phones: list[Phone], poll_id: int, answers: list, prefix: str) -> list[tuple[dict, float]]:
    """Every phone votes at once; returns each acknowledgement with its latency in seconds."""

    async def one(index: int, phone: Phone):
        started = time.perf_counter()
        payload = {"poll_id": poll_id, "client_id": f"{prefix}-{index:05d}", "answer": answers[index]}
        try:
            reply = await phone.sio.call("vote", payload, timeout=180)
        except socketio.exceptions.TimeoutError:
            state = "connected" if phone.sio.connected else "disconnected"
            raise TimeoutError(f"no ack for {payload['client_id']} on poll {poll_id} ({state})") from None
        return reply, time.perf_counter() - started

    return await asyncio.gather(*(one(i, p) for i, p in enumerate(phones)))


def run_crowd(coroutine):
    """Run the crowd's event loop in its own thread: Playwright's sync API may already own one
    in the test's thread (its browser fixture lives for the whole session)."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


async def leave(phones: list[Phone]) -> None:
    await asyncio.gather(*(p.sio.disconnect() for p in phones if p.sio.connected))
