"""nameko's `http` entrypoint with kasane's answers for what happens outside a handler: an
unknown path or method, or a failure before the handler ran, is problem+json too (nameko's own
would be werkzeug's HTML page or `Error: <type>: <message>` text, which may carry details)."""
from __future__ import annotations

from logging import getLogger

from eventlet import wsgi
from nameko.web.handlers import HttpRequestHandler
from nameko.web.server import HttpOnlyProtocol, WebServer, WsgiApp
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound as NoRoute
from werkzeug.wrappers import Request

from gateway.problems import problem, problem_for


class ProblemWsgiApp(WsgiApp):
    def __call__(self, environ, start_response):
        request = Request(environ, shallow=True)
        adapter = self.url_map.bind_to_environ(environ)
        try:
            provider, values = adapter.match()
            request.path_values = values
            response = provider.handle_request(request)
        except HTTPException as exc:
            response = _route_problem(exc)
        return response(environ, start_response)


def _route_problem(exc: HTTPException):
    if isinstance(exc, MethodNotAllowed):
        return problem(405, "method-not-allowed", "この操作はできません", "この URL はその方法では使えません")
    if isinstance(exc, NoRoute):
        return problem(404, "no-such-path", "見つかりません", "この URL はありません")
    return problem(exc.code or 400, "bad-request", "要求の形式が正しくありません", "要求を確かめてください")


#: The access log without the request line: a path or a query string may name a household or
#: carry what someone typed, and no log may hold that (status, size and time are enough).
ACCESS_LOG_FORMAT = "%(client_ip)s [%(date_time)s] %(status_code)s %(body_length)s %(wall_seconds).6f"


class ProblemWebServer(WebServer):
    def get_wsgi_app(self):
        return ProblemWsgiApp(self)

    def get_wsgi_server(self, sock, wsgi_app, protocol=HttpOnlyProtocol, debug=False):
        return wsgi.Server(sock, sock.getsockname(), wsgi_app, protocol=protocol, debug=debug,
                           log=getLogger(__name__), log_format=ACCESS_LOG_FORMAT)


class GatewayHttp(HttpRequestHandler):
    server = ProblemWebServer()

    def response_from_exception(self, exc):
        return problem_for(exc)


http = GatewayHttp.decorator
