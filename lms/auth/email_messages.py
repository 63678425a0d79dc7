"""Why an e-mail address is refused, in the interface language.

email-validator explains in English only; its messages are matched here by their fixed wording and given
a translated reason (a generic one for wording a future version may add).
"""
import re

from flask_babel import lazy_gettext as _l

_REASONS = [
    (r"must have an @-sign|exactly one @-sign", _l("it must have one @ sign")),
    (r"something before the @-sign", _l("there must be something before the @ sign")),
    (r"something after the @-sign", _l("there must be something after the @ sign")),
    (r"It should have a period", _l("the part after the @ sign needs a dot, as in name@company.it")),
    (r"too long", _l("it is too long")),
    (r"invalid characters before the @-sign", _l("the part before the @ sign contains characters not allowed there")),
    (r"after the @-sign contains invalid characters", _l("the part after the @ sign contains characters not allowed there")),
    (r"two periods in a row", _l("it cannot have two dots in a row")),
    (r"start with a period|end with a period|period immediately", _l("it cannot start or end with a dot, or have one next to the @ sign")),
    (r"hyphen", _l("the part after the @ sign cannot start or end with a hyphen")),
    (r"special-use or reserved", _l("the part after the @ sign is a reserved name that cannot receive e-mail")),
]


def email_problem(message: str) -> str:
    """A translated reason for email-validator's `message`."""
    for pattern, reason in _REASONS:
        if re.search(pattern, message):
            return str(reason)
    return str(_l("check the address for typing mistakes"))
