"""Who is acting, from where, in which request: read by audit.record without passing a request.

Jobs and CLI commands run without a request; they set the context themselves
(`with acting(source="cli")`) so their entries still say where they came from.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    request_id: str = ""
    address: str = ""
    source: str = "web"


_current: ContextVar[RequestContext] = ContextVar(
    "duban_request_context",
    default=RequestContext(source="system"),  # noqa: B039 (frozen, immutable)
)


def current() -> RequestContext:
    return _current.get()


@contextlib.contextmanager
def acting(**values: str) -> Iterator[RequestContext]:
    ctx = RequestContext(**{"request_id": uuid.uuid4().hex, **values})
    token = _current.set(ctx)
    try:
        yield ctx
    finally:
        _current.reset(token)


def client_address(request) -> str:
    """The client's address. Behind a proxy (DUBAN_BEHIND_PROXY) the proxy sets X-Real-IP."""
    from django.conf import settings

    if settings.SECURE_PROXY_SSL_HEADER and request.META.get("HTTP_X_REAL_IP"):
        return request.META["HTTP_X_REAL_IP"][:64]
    return request.META.get("REMOTE_ADDR", "")[:64]


class RequestContextMiddleware:
    """Gives every request an id (echoed as X-Request-ID) and records its address."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        ctx = RequestContext(request_id=uuid.uuid4().hex, address=client_address(request), source="web")
        request.request_id = ctx.request_id
        token = _current.set(ctx)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response["X-Request-ID"] = ctx.request_id
        return response
