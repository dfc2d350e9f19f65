"""A light load generator: phones, projectors and a console speaking raw Engine.IO / Socket.IO.

One asyncio loop holds thousands of websockets. Each client speaks the wire protocol directly
(Engine.IO 4 packets over a websocket, Socket.IO 5 packets inside them) instead of running a
python-socketio client per phone, so the generator spends little CPU per message and the
server, not the generator, is what gets measured.

Packets used: ``0{...}`` open, ``2``/``3`` ping/pong, ``40{auth}`` connect the namespace,
``44{...}`` connect refused, ``42["event", data]`` an event, ``42<id>[...]`` an event that wants
an acknowledgement, ``43<id>[...]`` the acknowledgement.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from dataclasses import dataclass, field
from typing import Any

import aiohttp

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
TALLY_PREFIX = '42["tally"'
REQUEST_TIMEOUT = aiohttp.ClientTimeout(total=120)


@dataclass
class Tally:
    at: float
    seq: int
    total: int
    counts: dict[str, int]
    generation: int
    # The projector gets only the total while results are hidden from phones (on_reveal).
    hidden: bool = False


class Client:
    """One socket: a phone, a projector or the console."""

    def __init__(self, cookie: str = "", keep_tallies: bool = False) -> None:
        self.cookie = cookie
        self.keep_tallies = keep_tallies
        self.ws: aiohttp.ClientWebSocketResponse | None = None
        self.reader: asyncio.Task | None = None
        self._acks: dict[int, asyncio.Future] = {}
        self._next = 0
        self.connected = asyncio.Event()
        self.refused: dict | None = None
        self.closing = False
        self.dropped = False
        self.tally_messages = 0
        self.tallies: list[Tally] = []
        self.pings = 0
        self.close_info: tuple | None = None
        self.reconnects = 0

    async def connect(self, http: aiohttp.ClientSession, base_url: str, auth: dict, timeout: float = 60):
        self._http, self._base_url, self._auth = http, base_url, auth
        url = base_url.replace("http", "ws", 1) + "/socket.io/?EIO=4&transport=websocket"
        headers = {"Cookie": self.cookie} if self.cookie else {}
        self.ws = await asyncio.wait_for(
            http.ws_connect(url, headers=headers, autoping=False, max_msg_size=0), timeout
        )
        self.reader = asyncio.create_task(self._read(json.dumps(auth)))
        await asyncio.wait_for(self.connected.wait(), timeout)
        if self.refused is not None:
            raise ConnectionError(f"connection refused: {self.refused}")

    async def reconnect(self) -> None:
        self.reconnects += 1
        self.connected = asyncio.Event()
        self.closing = self.dropped = False
        await self.connect(self._http, self._base_url, self._auth)

    async def _read(self, auth: str) -> None:
        ws = self.ws
        try:
            async for message in ws:
                if message.type != aiohttp.WSMsgType.TEXT:
                    continue
                data = message.data
                kind = data[:1]
                if kind == "2":
                    self.pings += 1
                    await ws.send_str("3")
                elif kind == "0":
                    await ws.send_str("40" + auth)
                elif kind == "4":
                    self._socketio(data)
        except (aiohttp.ClientError, ConnectionError, asyncio.CancelledError):
            pass
        finally:
            self.close_info = (ws.close_code, repr(ws.exception()), time.perf_counter())
            if not self.closing:
                self.dropped = True
            for future in self._acks.values():
                if not future.done():
                    future.set_exception(ConnectionError("socket closed"))
            self.connected.set()

    def _socketio(self, data: str) -> None:
        packet = data[1:2]
        if packet == "3":
            bracket = data.index("[")
            future = self._acks.pop(int(data[2:bracket]), None)
            if future is not None and not future.done():
                future.set_result(json.loads(data[bracket:])[0])
        elif packet == "2":
            if data.startswith(TALLY_PREFIX):
                self.tally_messages += 1
                if self.keep_tallies:
                    tally = json.loads(data[2:])[1]
                    self.tallies.append(
                        Tally(time.perf_counter(), tally["seq"], tally["total"], tally.get("counts", {}),
                              tally.get("generation", 0), bool(tally.get("hidden")))
                    )
        elif packet == "0":
            self.connected.set()
        elif packet == "4":
            self.refused = json.loads(data[2:]) if len(data) > 2 else {}
            self.connected.set()

    async def send(self, event: str, data: Any) -> asyncio.Future:
        """Send an event that wants an ack; return the future of its ack."""
        self._next += 1
        future = asyncio.get_running_loop().create_future()
        self._acks[self._next] = future
        await self.ws.send_str(f"42{self._next}" + json.dumps([event, data]))
        return future

    async def call(self, event: str, data: Any = None, timeout: float = 60) -> Any:
        if self.ws.closed:
            raise ConnectionError(f"socket closed before {event}: {self.close_info}")
        future = await self.send(event, data if data is not None else {})
        return await asyncio.wait_for(future, timeout)

    async def close(self) -> None:
        self.closing = True
        if self.ws is not None and not self.ws.closed:
            await self.ws.close()
        if self.reader is not None:
            await asyncio.gather(self.reader, return_exceptions=True)


def cookie_header(response: aiohttp.ClientResponse, previous: str = "") -> str:
    jar = dict(part.split("=", 1) for part in previous.split("; ") if "=" in part)
    for name, morsel in response.cookies.items():
        jar[name] = morsel.value
    return "; ".join(f"{k}={v}" for k, v in jar.items())


async def join_phone(http: aiohttp.ClientSession, base_url: str, code: str, group: str = ""):
    """Join as a browser does: the form (its cookie and CSRF token), the POST, the event page.

    Returns ``(cookie, status)``: the cookie is None when the join was refused (429 and so on).
    """
    async with http.get(f"{base_url}/j/{code}", timeout=REQUEST_TIMEOUT) as page:
        text = await page.text()
        cookie = cookie_header(page)
    token = CSRF.search(text)
    if token is None:
        return None, page.status
    async with http.post(
        f"{base_url}/j/{code}",
        data={"csrf_token": token.group(1), "group": group},
        headers={"Cookie": cookie},
        allow_redirects=False,
        timeout=REQUEST_TIMEOUT,
    ) as reply:
        await reply.read()
        if reply.status != 302:
            return None, reply.status
        cookie = cookie_header(reply, cookie)
    async with http.get(f"{base_url}/e/{code}", headers={"Cookie": cookie}, allow_redirects=False) as page:
        await page.read()
        if page.status != 200:
            return None, page.status
    return cookie, 200


async def login(http: aiohttp.ClientSession, base_url: str, username: str, password: str) -> str:
    async with http.get(f"{base_url}/staff/login") as page:
        text = await page.text()
        cookie = cookie_header(page)
    async with http.post(
        f"{base_url}/staff/login",
        data={"username": username, "password": password, "csrf_token": CSRF.search(text).group(1)},
        headers={"Cookie": cookie},
        allow_redirects=False,
    ) as reply:
        await reply.read()
        assert reply.status == 302, reply.status
        return cookie_header(reply, cookie)


@dataclass
class Crowd:
    phones: list[Client] = field(default_factory=list)
    join_refused: dict[int, int] = field(default_factory=dict)
    connect_failed: int = 0


async def join_many(http, base_url: str, code: str, n: int, concurrency: int = 40):
    gate = asyncio.Semaphore(concurrency)
    refused: dict[int, int] = {}

    async def one(index: int) -> str | None:
        async with gate:
            cookie, status = await join_phone(http, base_url, code)
            if cookie is None:
                refused[status] = refused.get(status, 0) + 1
            return cookie

    cookies = await asyncio.gather(*(one(i) for i in range(n)))
    return [c for c in cookies if c], refused


def open_session() -> aiohttp.ClientSession:
    """The generator's HTTP session: no connection cap, no cookie jar (each client sends its own)."""
    return aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=0, force_close=False),
        cookie_jar=aiohttp.DummyCookieJar(),
        # No total timeout: it would also end long-lived websockets; each wait is bounded itself.
        timeout=aiohttp.ClientTimeout(total=None, sock_connect=60, sock_read=None),
    )


async def connect_all(http, clients: list[Client], base_of, auth: dict, concurrency: int, check=None) -> int:
    """Open every client's socket at once, at most ``concurrency`` opening together (a reconnect
    storm), then await ``check(client)`` (False: failed); returns how many failed.

    ``base_of(index)`` is the server the index-th client connects to.
    """
    gate = asyncio.Semaphore(concurrency)
    failed = 0

    async def one(index: int, client: Client) -> None:
        nonlocal failed
        async with gate:
            try:
                await client.connect(http, base_of(index), auth)
                if check is not None and not await check(client):
                    failed += 1
            except (TimeoutError, OSError, aiohttp.ClientError):
                failed += 1

    await asyncio.gather(*(one(i, c) for i, c in enumerate(clients)))
    return failed


@dataclass
class Burst:
    """Every voter's one vote: when it was sent and acknowledged, and the ack (None: none came)."""

    started: float
    last_ack: float
    sent_at: list[float]
    acked_at: list[float]
    replies: list[dict | None]

    @property
    def ok(self) -> list[int]:
        return [i for i, r in enumerate(self.replies) if r and r.get("ok")]

    def errors(self) -> dict[str, int]:
        errors: dict[str, int] = {}
        for r in self.replies:
            code = "no_ack" if r is None else None if r.get("ok") else r["error"]["code"]
            if code is not None:
                errors[code] = errors.get(code, 0) + 1
        return errors

    def latencies_ms(self) -> list[float]:
        return [(self.acked_at[i] - self.sent_at[i]) * 1000 for i in self.ok]


async def burst(voters: list[Client], payloads: list[dict], ack_timeout: float, rate: float = 0.0) -> Burst:
    """Each voter sends its ``vote`` payload: all at once, or ``rate`` per second; every ack awaited
    (at most ``ack_timeout`` s each)."""
    sent_at = [0.0] * len(voters)
    acked_at = [0.0] * len(voters)
    replies: list[dict | None] = [None] * len(voters)

    async def vote(index: int, phone: Client) -> None:
        if rate:
            await asyncio.sleep(index / rate)
        sent_at[index] = time.perf_counter()
        try:
            future = await phone.send("vote", payloads[index])
            replies[index] = await asyncio.wait_for(future, ack_timeout)
        except (TimeoutError, ConnectionError, aiohttp.ClientError):
            replies[index] = None
        acked_at[index] = time.perf_counter()

    started = time.perf_counter()
    await asyncio.gather(*(vote(i, p) for i, p in enumerate(voters)))
    return Burst(started, time.perf_counter(), sent_at, acked_at, replies)
