"""The labs feature's domain error: a rule refused a request, with a message safe to show to the person."""

INVALID, FORBIDDEN, CONFLICT = "invalid", "forbidden", "conflict"
HTTP_STATUS = {INVALID: 400, FORBIDDEN: 403, CONFLICT: 409}


class LabError(ValueError):
    """`kind` says how a view answers it: invalid input (400), not allowed (403), or a clash with state (409)."""

    def __init__(self, message: str, kind: str = INVALID, field: str | None = None):
        super().__init__(message)
        self.kind = kind
        self.field = field  # the form field the message belongs to, when there is one

    @property
    def status(self) -> int:
        return HTTP_STATUS[self.kind]
