"""Sending SMS replies, behind one small interface: ``sender.send(number, message) -> bool``.

- ``OffSender`` (``ROUNDTABLE_SMS_REPLIES=off``, the default): replies cost money, so nothing is
  sent until an organiser turns them on; the answer is still stored and counted.
- ``AfricasTalkingSender`` (``=africastalking``): the official SDK (``africastalking`` on PyPI)
  with the account's username and API key; ``ROUNDTABLE_AT_API_URL`` points it at another
  address (a local fake gateway in the end-to-end tests).

A failed send is logged without the number or the text and never raises: the answer was
already committed, and the gateway must get its ``200`` either way.
"""

from __future__ import annotations

import logging
from typing import Any, Protocol

log = logging.getLogger(__name__)


class SmsSender(Protocol):
    def send(self, number: str, message: str) -> bool: ...


class OffSender:
    """Replies switched off."""

    name = "off"

    def send(self, number: str, message: str) -> bool:
        return False


class AfricasTalkingSender:
    name = "africastalking"

    def __init__(self, username: str, api_key: str, sender_id: str = "", api_url: str = "") -> None:
        from africastalking.SMS import SMSService

        if not username or not api_key:
            raise ValueError("Africa's Talking replies need ROUNDTABLE_AT_USERNAME and _AT_API_KEY.")
        self._service = SMSService(username, api_key)
        if api_url:
            # The SDK builds its addresses from fixed domains; this is where they live.
            base = api_url.rstrip("/") + "/version1"
            self._service._baseUrl = base
            self._service._contentUrl = base
        self._sender_id = sender_id or None

    def send(self, number: str, message: str) -> bool:
        try:
            result: Any = self._service.send(message, [number], sender_id=self._sender_id)
        except Exception as error:  # noqa: BLE001 - the SDK raises plain exceptions of many kinds
            log.warning("SMS reply not sent (%s)", type(error).__name__)
            return False
        data = result.get("SMSMessageData", {}) if isinstance(result, dict) else {}
        recipients = data.get("Recipients", []) if isinstance(data, dict) else []
        sent = any(r.get("status") == "Success" for r in recipients if isinstance(r, dict))
        if not sent:
            log.warning("SMS reply refused by the gateway")
        return sent


def sender_from_config(config: dict[str, Any]) -> SmsSender:
    mode = str(config.get("ROUNDTABLE_SMS_REPLIES", "off")).strip().lower()
    if mode in ("", "off", "false", "0", "no"):
        return OffSender()
    if mode == "africastalking":
        return AfricasTalkingSender(
            config.get("ROUNDTABLE_AT_USERNAME", ""),
            config.get("ROUNDTABLE_AT_API_KEY", ""),
            config.get("ROUNDTABLE_AT_SENDER_ID", ""),
            config.get("ROUNDTABLE_AT_API_URL", ""),
        )
    raise ValueError(f"ROUNDTABLE_SMS_REPLIES is 'off' or 'africastalking', not {mode!r}.")
