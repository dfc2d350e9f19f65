"""The one error type that business logic raises for bad input or a refused action.

Views and socket handlers turn it into a clear answer (``{"ok": false, "error": {...}}`` in an
acknowledgement, or an HTTP status); whatever raised it has changed nothing.
"""


class RoundtableError(Exception):
    def __init__(self, code: str, message: str, status: int = 400):
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}


class NotFound(RoundtableError):
    def __init__(self, code: str, message: str):
        super().__init__(code, message, status=404)


class Forbidden(RoundtableError):
    def __init__(self, message: str = "You are not allowed to do that."):
        super().__init__("forbidden", message, status=403)
