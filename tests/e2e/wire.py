"""What a page costs on the wire, read from Chromium itself (DevTools protocol, Network domain).

``WireMeter`` listens on a page's CDP session: every HTTP response's ``encodedDataLength`` (bytes
as transferred: headers plus the compressed body, 0 for the memory or disk cache) as it finishes,
and every WebSocket frame's payload (Chromium reports frames after decompression, so this counts
a frame at its full size: an upper bound). The benchmark (scripts/bench_load.py) uses it too,
with ``Network.emulateNetworkConditions`` for slow and fast 3G.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Chromium DevTools' presets (kbit/s and round-trip ms as the Network panel defines them):
# download and upload in bytes per second.
PROFILES = {
    "slow-3g": {"latency": 400, "downloadThroughput": 400 * 1000 / 8, "uploadThroughput": 400 * 1000 / 8},
    "fast-3g": {
        "latency": 150,
        "downloadThroughput": 1.6 * 1000 * 1000 / 8 * 0.9,
        "uploadThroughput": 750 * 1000 / 8 * 0.9,
    },
}


@dataclass
class Request:
    url: str
    kind: str = ""
    status: int = 0
    encoded: int = 0
    from_cache: bool = False
    finished: bool = False


@dataclass
class WireMeter:
    requests: dict[str, Request] = field(default_factory=dict)
    ws_bytes: int = 0
    ws_frames: int = 0

    def attach(self, page, profile: str | None = None) -> WireMeter:
        cdp = page.context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": False})
        if profile:
            cdp.send("Network.emulateNetworkConditions", {"offline": False, **PROFILES[profile]})
        cdp.on("Network.requestWillBeSent", self._sent)
        cdp.on("Network.responseReceived", self._response)
        cdp.on("Network.requestServedFromCache", self._cached)
        cdp.on("Network.loadingFinished", self._finished)
        cdp.on("Network.webSocketFrameReceived", self._frame)
        cdp.on("Network.webSocketFrameSent", self._frame)
        self.cdp = cdp
        return self

    def _sent(self, event) -> None:
        self.requests.setdefault(event["requestId"], Request(event["request"]["url"], event.get("type", "")))

    def _response(self, event) -> None:
        request = self.requests.setdefault(event["requestId"], Request(event["response"]["url"]))
        request.status = event["response"]["status"]
        request.kind = event.get("type", request.kind)
        if event["response"].get("fromDiskCache") or event["response"].get("fromPrefetchCache"):
            request.from_cache = True

    def _cached(self, event) -> None:
        if event["requestId"] in self.requests:
            self.requests[event["requestId"]].from_cache = True

    def _finished(self, event) -> None:
        request = self.requests.get(event["requestId"])
        if request is not None:
            request.encoded = int(event.get("encodedDataLength", 0))
            request.finished = True

    def _frame(self, event) -> None:
        self.ws_frames += 1
        self.ws_bytes += len(event["response"].get("payloadData", "").encode())

    def reset(self) -> None:
        self.requests.clear()
        self.ws_bytes = 0
        self.ws_frames = 0

    @property
    def http_bytes(self) -> int:
        return sum(r.encoded for r in self.requests.values())

    @property
    def total(self) -> int:
        return self.http_bytes + self.ws_bytes

    def over_network(self) -> list[Request]:
        """Requests that were not answered from the browser's cache."""
        return [r for r in self.requests.values() if not r.from_cache and r.encoded > 0]

    def report(self) -> str:
        lines = [
            f"{r.encoded:>8}  {r.status}  {'cache ' if r.from_cache else ''}{r.url}"
            for r in self.requests.values()
        ]
        lines.append(f"{self.ws_bytes:>8}  websocket frames ({self.ws_frames})")
        lines.append(f"{self.total:>8}  total bytes")
        return "\n".join(lines)
