"""Keep query strings out of access logs.

Search boxes send what was typed (patients' names, phone numbers) as ``?q=...``; an
access log would keep them for as long as logs are kept. This filter cuts the query
string from the request line (and from the referring URL) of the development server's
records (``django.server``) and of gunicorn's access log (``gunicorn.access``, whose
record carries gunicorn's atoms as a dict), whatever the log format.
"""

from __future__ import annotations

import logging
import re

ACCESS_LOGGERS = ("django.server", "gunicorn.access")

_QUERY = re.compile(r"\?[^\s\"]*")


def without_query(text: str) -> str:
    """``GET /patients/?q=Amina HTTP/1.1`` → ``GET /patients/ HTTP/1.1``."""
    return _QUERY.sub("", text)


class StripQueryStrings(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, dict):  # gunicorn's atoms: r request line, q query, f referer
            atoms = dict(args)
            for key in ("r", "f", "{raw_uri}e"):
                if isinstance(atoms.get(key), str):
                    atoms[key] = without_query(atoms[key])
            if "q" in atoms:
                atoms["q"] = ""
            record.args = atoms
        elif isinstance(args, tuple):
            record.args = tuple(without_query(arg) if isinstance(arg, str) else arg for arg in args)
        if isinstance(record.msg, str) and not args:
            record.msg = without_query(record.msg)
        return True


def access_logs_strip_query_strings() -> None:
    """Attach the filter to the access loggers (once; idempotent). Attached to the
    loggers themselves, not through LOGGING, so gunicorn's own handlers stay as they are."""
    for name in ACCESS_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(existing, StripQueryStrings) for existing in logger.filters):
            logger.addFilter(StripQueryStrings())
