"""The review page's web server: a Starlette app over one ``Session``.

Safe by construction for a server on the editor's machine:

- every request needs the token (the URL's ``?token=``, then an HttpOnly SameSite=Strict
  cookie set by that first page load, or the ``X-Review-Token`` header); without it, 403;
- a ``Host`` other than the loopback address and port, or a foreign ``Origin``, gets 403,
  so a web page cannot reach the server through DNS rebinding;
- state changes are POSTs that must carry the token in the header (a cookie alone, which a
  browser sends by itself, is not enough);
- every response carries a strict Content-Security-Policy: the page loads only its own
  script, style and media, and connects only back to this server;
- the page builds the transcript with ``textContent`` and the template is autoescaped.
"""

from __future__ import annotations

import json
import secrets
from importlib import resources

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.applications import Starlette
from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from ..errors import CleanerError
from .session import Session

COOKIE = "cleaner_review"
HEADER = "x-review-token"
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
       "media-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; "
       "frame-ancestors 'none'")
HEADERS = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff",
           "Referrer-Policy": "no-referrer", "Cache-Control": "no-store",
           "X-Frame-Options": "DENY", "Cross-Origin-Resource-Policy": "same-origin"}
STATIC = {"review.js": "text/javascript; charset=utf-8", "review.css": "text/css; charset=utf-8"}
MAX_BODY = 1 << 20


def new_token() -> str:
    """A fresh secret for one server run (as Jupyter does)."""
    return secrets.token_urlsafe(32)


def create_app(session: Session, token: str, port: int) -> "Guard":
    """The app for one session, answering only to ``127.0.0.1:port`` / ``localhost:port``."""
    hosts = {f"127.0.0.1:{port}", f"localhost:{port}"}
    origins = {f"http://{host}" for host in hosts}
    templates = Environment(loader=PackageLoader("cleaner.review", "templates"),
                            autoescape=select_autoescape(default=True, default_for_string=True))
    static = {name: resources.files("cleaner.review").joinpath("static", name).read_bytes()
              for name in STATIC}

    def has_token(request: Request, header_only: bool = False) -> bool:
        given = [request.headers.get(HEADER)]
        if not header_only:
            given += [request.query_params.get("token"), request.cookies.get(COOKIE)]
        return any(isinstance(g, str) and secrets.compare_digest(g.encode(), token.encode())
                   for g in given)

    async def page(request: Request) -> Response:
        if request.query_params.get("token"):  # first visit: move the token to a cookie
            response = RedirectResponse("/", status_code=303)
            response.set_cookie(COOKIE, token, httponly=True, samesite="strict", path="/")
            return response
        html = templates.get_template("page.html").render(
            token=token, title=session.title, media=bool(session.media))
        return Response(html, media_type="text/html; charset=utf-8")

    async def asset(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in static:
            return Response("not found", status_code=404, media_type="text/plain")
        return Response(static[name], media_type=STATIC[name])

    async def data(request: Request) -> Response:
        return JSONResponse(session.data())

    async def action(request: Request) -> Response:
        payload = await _json(request)
        if isinstance(payload, Response):
            return payload
        try:
            return JSONResponse(session.act(payload))
        except CleanerError as error:
            return JSONResponse({"error": error.message}, status_code=400)

    async def export(request: Request) -> Response:
        payload = await _json(request)
        if isinstance(payload, Response):
            return payload
        try:
            path = session.export(str(payload.get("format") or "md"), payload.get("name") or None)
        except CleanerError as error:
            return JSONResponse({"error": error.message}, status_code=400)
        return JSONResponse({"written": path})

    async def find(request: Request) -> Response:
        payload = await _json(request)
        if isinstance(payload, Response):
            return payload
        return JSONResponse({"matches": session.find(str(payload.get("query") or ""),
                                                     bool(payload.get("case")))})

    async def rule(request: Request) -> Response:
        payload = await _json(request)
        if isinstance(payload, Response):
            return payload
        try:
            return JSONResponse({"summary": session.make_rules(str(payload.get("pack") or ""))})
        except CleanerError as error:
            return JSONResponse({"error": error.message}, status_code=400)

    async def media(request: Request) -> Response:
        if not session.media:
            return Response("no media", status_code=404, media_type="text/plain")
        return FileResponse(session.media)

    routes = [
        Route("/", page, methods=["GET"]),
        Route("/static/{name}", asset, methods=["GET"]),
        Route("/api/data", data, methods=["GET"]),
        Route("/api/action", action, methods=["POST"]),
        Route("/api/export", export, methods=["POST"]),
        Route("/api/find", find, methods=["POST"]),
        Route("/api/rule", rule, methods=["POST"]),
        Route("/media", media, methods=["GET"]),
        Route("/favicon.ico", lambda request: Response(status_code=204), methods=["GET"]),
    ]
    def refusal(request: Request) -> Response | None:
        """Why a request is refused, as the response to send; None to let it through."""
        if request.headers.get("host", "").lower() not in hosts:
            return _refuse("unknown Host")
        if "origin" in request.headers and request.headers["origin"].lower() not in origins:
            return _refuse("foreign Origin")
        if request.method not in ("GET", "HEAD", "POST"):
            return Response("method not allowed\n", status_code=405, media_type="text/plain")
        if not has_token(request, header_only=request.method == "POST"):
            return _refuse("token required (open the address cleaner review printed)")
        return None

    return Guard(Starlette(routes=routes), refusal)


class Guard:
    """ASGI middleware: refuse what ``refusal`` refuses, and add the security headers to
    every response."""

    def __init__(self, app, refusal) -> None:
        self.app, self.refusal = app, refusal

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_secured(message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message).update(HEADERS)
            await send(message)

        refused = self.refusal(Request(scope))
        await (refused or self.app)(scope, receive, send_secured)


def _refuse(why: str) -> Response:
    return Response(f"forbidden: {why}\n", status_code=403, media_type="text/plain")


async def _json(request: Request):
    """The request's JSON object, or a 4xx response."""
    if "application/json" not in request.headers.get("content-type", ""):
        return JSONResponse({"error": "send JSON"}, status_code=415)
    body = await request.body()
    if len(body) > MAX_BODY:
        return JSONResponse({"error": "request too large"}, status_code=413)
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return JSONResponse({"error": "bad JSON"}, status_code=400)
    if not isinstance(payload, dict):
        return JSONResponse({"error": "send a JSON object"}, status_code=400)
    return payload


def make_server(session: Session, port: int = 0):
    """A uvicorn server for the session on ``127.0.0.1:port`` (0: a free port), its bound
    socket and the URL with the token: ``(server, socket, url)``. Run it with
    ``server.run(sockets=[socket])`` (in a thread too: signals are only taken in the main one)."""
    import socket

    import uvicorn

    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listener.bind(("127.0.0.1", port))
    except OSError as error:
        listener.close()
        raise CleanerError(f"cannot listen on 127.0.0.1:{port}: {error.strerror}") from None
    listener.listen(16)
    port = listener.getsockname()[1]
    token = new_token()
    config = uvicorn.Config(create_app(session, token, port), log_level="warning",
                            access_log=False, lifespan="off", server_header=False)
    return uvicorn.Server(config), listener, f"http://127.0.0.1:{port}/?token={token}"
