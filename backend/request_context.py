"""Request context: the id that follows a request into logs and into the Celery tasks it
enqueues, the client's address as every consumer derives it, and the origin (address, user
agent) of the request in progress, for the access log (audit.context.AccessContext.current)."""

import ipaddress
import logging
import re
import threading
import uuid
from collections.abc import Callable
from contextvars import ContextVar, Token
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponse

REQUEST_ID_HEADER = "X-Request-ID"
_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")

request_id_var: ContextVar[str] = ContextVar("request_id", default="-")


@dataclass(frozen=True)
class RequestOrigin:
    """Where the request in progress comes from; empty outside a request (tasks, commands)."""

    client_address: str = ""
    user_agent: str = ""


NO_ORIGIN = RequestOrigin()
request_origin_var: ContextVar[RequestOrigin] = ContextVar("request_origin", default=NO_ORIGIN)


def current_request_id() -> str:
    return request_id_var.get()


def current_origin() -> RequestOrigin:
    return request_origin_var.get()


def client_address(request: HttpRequest) -> str:
    """The client's IP address. X-Forwarded-For is believed only as far as TRUSTED_PROXY_COUNT
    proxies of our own appended to it; anything further left is client-controlled."""
    meta = request.META
    address = meta.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        hops = [hop.strip() for hop in meta.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [hop for hop in hops if hop]
        if len(hops) >= proxies:
            address = hops[-proxies]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return ""


class RequestIdMiddleware:
    """Takes a well-formed incoming X-Request-ID or makes one, and echoes it in the response;
    holds the request's origin for the access log while the request runs."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        request_id = incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = request_id_var.set(request_id)
        origin = RequestOrigin(client_address(request), request.headers.get("User-Agent", ""))
        origin_token = request_origin_var.set(origin)
        try:
            response = self.get_response(request)
        finally:
            request_origin_var.reset(origin_token)
            request_id_var.reset(token)
        response[REQUEST_ID_HEADER] = request_id
        return response


class RequestIdLogFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id_var.get()
        return True


# Tokens of the task runs in progress, per thread and task id. Not on the task object: a worker
# may run the same task in two threads at once (with the filesystem broker, a retry's countdown
# runs on the timer thread), and a token can only be reset in the context that made it.
_task_runs = threading.local()


def _tokens() -> dict[str, Token[str]]:
    if not hasattr(_task_runs, "tokens"):
        _task_runs.tokens = {}
    return _task_runs.tokens


def connect_celery_signals() -> None:
    """Carry the request id in task headers and restore it while the task runs."""
    from celery.signals import before_task_publish, task_postrun, task_prerun

    @before_task_publish.connect(weak=False)
    def _add_request_id(headers: dict | None = None, **_: object) -> None:
        if headers is not None and "request_id" not in headers:
            headers["request_id"] = request_id_var.get()

    @task_prerun.connect(weak=False)
    def _restore_request_id(task_id: str = "", task: object = None, **_: object) -> None:
        request = getattr(task, "request", None)
        request_id = getattr(request, "request_id", None) or "-"
        _tokens()[task_id] = request_id_var.set(request_id)

    @task_postrun.connect(weak=False)
    def _clear_request_id(task_id: str = "", **_: object) -> None:
        token = _tokens().pop(task_id, None)
        if token is not None:
            request_id_var.reset(token)
