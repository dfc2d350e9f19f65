"""The one error type that business logic raises for bad input or a refused action.

Views and socket handlers turn it into a clear answer (``{"ok": false, "error": {...}}`` in an
acknowledgement, or an HTTP status); whatever raised it has changed nothing.

The ``code`` is for programs and never changes with the language; the ``message`` is for people:
business logic passes a lazy translation (``roundtable.i18n._l``), and ``as_dict`` / ``text``
turn it into words at the boundary, in the caller's language. A plain ``str`` is still accepted
(and looked up in the catalogue at the boundary, so a known English sentence is translated too).
"""

from __future__ import annotations

from typing import Any


def _resolve(message: Any) -> str:
    if isinstance(message, str):
        from flask_babel import gettext

        return gettext(message) if message else message
    return str(message)


class RoundtableError(Exception):
    def __init__(self, code: str, message: Any, status: int = 400):
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status

    @property
    def text(self) -> str:
        """The message, in the language of the current request."""
        return _resolve(self.message)

    def __str__(self) -> str:
        return self.text

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.text}


class NotFound(RoundtableError):
    def __init__(self, code: str, message: Any):
        super().__init__(code, message, status=404)


class Forbidden(RoundtableError):
    def __init__(self, message: Any = None):
        if message is None:
            from .i18n import _l

            message = _l("You are not allowed to do that.")
        super().__init__("forbidden", message, status=403)
