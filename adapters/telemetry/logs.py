"""Logs as JSON lines on stderr, one object per record, through the PII scrub and with the current trace and span
IDs: the app's own loggers and uvicorn's (``uvicorn.error`` and ``uvicorn.access``) alike, by one ``dictConfig``
that the server hands to uvicorn (``log_config``) and the worker applies itself."""

from __future__ import annotations

import json
import logging
import logging.config
from typing import Any

from opentelemetry import trace

from adapters.telemetry.scrub import scrub

ACCESS_LOGGER = "uvicorn.access"


class JsonLogFormatter(logging.Formatter):
    """One JSON object per line with the current trace and span IDs; NIK-, phone- and e-mail-shaped text
    scrubbed. uvicorn's access records also give ``method``, ``path`` (scrubbed: a query string may hold an
    address) and ``status`` as fields."""

    def format(self, record: logging.LogRecord) -> str:
        ctx = trace.get_current_span().get_span_context()
        body: dict[str, Any] = {
            "ts": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": scrub(record.getMessage()),
        }
        if record.name == ACCESS_LOGGER and isinstance(record.args, tuple) and len(record.args) == 5:
            client, method, path, version, status = record.args
            body.update(method=method, path=scrub(str(path)), status=status, http_version=version)
            body["client"] = str(client)
        if ctx.is_valid:
            body["trace_id"] = f"{ctx.trace_id:032x}"
            body["span_id"] = f"{ctx.span_id:016x}"
        if record.exc_info:
            body["error"] = scrub(self.formatException(record.exc_info))
        return json.dumps(body, default=str)


def logging_config(level: str = "INFO", *, access_log: bool = True) -> dict[str, Any]:
    """The ``logging.config.dictConfig`` of both processes: every logger (root, ``uvicorn``, ``uvicorn.error``,
    ``uvicorn.access``) writes JSON lines to stderr; uvicorn's plain-text defaults are replaced."""
    handler = {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": f"{__name__}.JsonLogFormatter"}},
        "handlers": {"stderr": handler},
        "loggers": {
            "uvicorn": {"handlers": ["stderr"], "level": level, "propagate": False},
            "uvicorn.error": {"level": level},
            ACCESS_LOGGER: {
                "handlers": ["stderr"],
                "level": level if access_log else "WARNING",
                "propagate": False,
            },
        },
        "root": {"handlers": ["stderr"], "level": level},
    }


def setup_logging(level: str = "INFO", *, access_log: bool = True) -> None:
    """Apply :func:`logging_config` to this process (the worker; the server passes it to uvicorn as well)."""
    logging.config.dictConfig(logging_config(level, access_log=access_log))
