"""The health probes on a listener of their own in every web worker (docs/adr/0036).

Requests queue for a worker's threads; when the database hangs, so does every thread that
waits on it, and a probe behind them learns nothing for as long. Each gunicorn worker therefore
also answers `/healthz` and `/readyz` on HEALTH_BIND (host:port) from a thread of its own
(gunicorn.conf.py starts it once the worker is up). The workers share the port
(SO_REUSEPORT): the kernel hands each probe to one of them, and a worker that died stops
answering. The answers are the views' own (backend.health): `/readyz` keeps its deadline.
Everything else on this port is 404; nothing here reads a request's headers or body.
"""

import logging
import socket
import threading
from collections.abc import Callable, Iterable
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from backend import health

logger = logging.getLogger(__name__)

_VIEWS: dict[str, Callable[[Any], Any]] = {"/healthz": health.healthz, "/readyz": health.readyz}


def health_app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    view = _VIEWS.get(environ.get("PATH_INFO", ""))
    if view is None or environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found\n"]
    response = view(None)  # the health views read nothing from the request
    start_response(f"{response.status_code} {response.reason_phrase}", list(response.items()))
    return [response.content]


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True

    def server_bind(self) -> None:
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        super().server_bind()


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """Probes every few seconds would drown the access log."""


def health_listener_start(bind: str) -> WSGIServer:
    """Serves the probes on `bind` ("host:port") from a daemon thread; returns the server."""
    host, _, port = bind.rpartition(":")
    server = make_server(
        host or "0.0.0.0",  # noqa: S104 (probes come from outside the container)
        int(port),
        health_app,
        server_class=_Server,
        handler_class=_QuietHandler,
    )
    threading.Thread(target=server.serve_forever, name="health-listener", daemon=True).start()
    logger.info("health listener started", extra={"bind": bind})
    return server
