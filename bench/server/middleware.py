"""Counts the SQL statements of a request, only when the harness asks for it."""

from collections.abc import Callable
from typing import Any

from django.db import connection
from django.http import HttpRequest, HttpResponse

REQUEST_HEADER = "X-Bench-Count-Queries"
RESPONSE_HEADER = "X-Bench-Queries"


class QueryCountMiddleware:
    """With `X-Bench-Count-Queries: 1` the response carries `X-Bench-Queries: <n>`, every
    statement on the default connection (savepoints included). Without the header the request
    goes through untouched: timed requests never send it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.headers.get(REQUEST_HEADER) != "1":
            return self.get_response(request)
        count = 0

        def counted(execute: Callable, sql: str, params: Any, many: bool, context: Any) -> Any:
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counted):
            response = self.get_response(request)
        response[RESPONSE_HEADER] = str(count)
        return response
