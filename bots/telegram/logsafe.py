"""Keep secrets (the bot token) out of every log record.

The Bot API puts the token in the URL path, and httpx logs request URLs. A log-record factory
replaces registered secrets in the formatted message and in exception text before any handler sees
the record, whichever logger produced it.
"""

from __future__ import annotations

import logging
import threading
import traceback

_lock = threading.Lock()
_secrets: set[str] = set()
_installed = False
MASK = "***"


def redact(text: str) -> str:
    for secret in _secrets:
        if secret and secret in text:
            text = text.replace(secret, MASK)
    return text


def protect(secret: str) -> None:
    """Register a secret to be masked in all log records of this process."""
    global _installed
    if not secret:
        return
    with _lock:
        _secrets.add(secret)
        if _installed:
            return
        previous = logging.getLogRecordFactory()

        def factory(*args, **kwargs) -> logging.LogRecord:
            record = previous(*args, **kwargs)
            if not _secrets:
                return record
            try:
                message = record.getMessage()
            except Exception:  # a malformed record: let logging report it as usual
                return record
            clean = redact(message)
            if clean != message:
                record.msg, record.args = clean, None
            if record.exc_info and record.exc_info[1] is not None:
                text = "".join(traceback.format_exception(*record.exc_info))
                if redact(text) != text:
                    record.exc_text = redact(text).rstrip("\n")
                    record.exc_info = None
            return record

        logging.setLogRecordFactory(factory)
        _installed = True
