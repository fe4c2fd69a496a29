"""The console's Flask application: four pages (instances, an instance, overdue tasks and open
cases, the audit) and an instance's HTML report (:func:`collegium.report_html`); GET and HEAD only
(any other method is answered 405), each in English or Chinese (``?lang=zh-CN``, else the
browser's ``Accept-Language``), every value escaped by Jinja's autoescape, undefined names in a
template an error rather than an empty string.

The application reads through the one engine it is given, opened so that it never migrates nor
writes (the command line opens it as its other reads do); time comes from that engine's clock, and
a time is shown as the ``times`` it is given show it (the command line's, in ``--tz``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from flask import Flask, Response, g, redirect, render_template, request, url_for
from jinja2 import StrictUndefined
from markupsafe import Markup
from werkzeug.exceptions import HTTPException

from collegium import NotFound, report_html
from collegium._words import word
from collegium.console.guard import COOKIE, Guard
from collegium.console.pages import PAGE, instance_page, listing, supervision

if TYPE_CHECKING:
    from werkzeug.wrappers import Response as BaseResponse

    from collegium import Engine
    from collegium.console.values import TimeFace

__all__ = ["create_app"]

#: the words the templates show as they are (the rest are filled in by the views)
WORDS = (
    "console.title",
    "console.read_only",
    "console.nav.instances",
    "console.nav.supervision",
    "console.nav.audit",
    "console.language",
    "console.filter",
    "console.any",
    "console.first",
    "console.path",
    "console.path_note",
    "console.diagram",
    "console.report",
    "console.timeline",
    "console.children",
    "console.no_children",
    "console.no_ballot",
    "console.no_facts",
    "console.current",
    "console.chart",
    "console.overdue",
    "console.cases",
    "console.audit_head",
    "console.audit_note",
    "console.back",
    "id",
    "title",
    "procedure",
    "state",
    "updated",
    "parent",
    "events",
    "pack",
    "version",
    "fact",
    "value",
    "seq",
    "at",
    "actor",
    "trigger",
    "from",
    "to",
    "data",
    "rule",
    "result",
    "message",
    "citation",
    "method",
    "voter",
    "choice",
    "ballot_result",
    "empty.instances",
    "empty.overdue",
    "empty.cases",
    "supervise.lead",
    "supervise.task",
    "supervise.deadline",
    "supervise.case",
    "supervise.finding",
    "supervise.member",
)

#: what every answer says about itself: no script, no frame, no referrer, no sniffing
HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


def language(asked: str | None, accepted: Callable[[list[str]], str | None]) -> str:
    """``zh-CN`` when ``?lang=`` asks for Chinese (``zh``, ``zh-CN``, ``zh_CN``), or when it is
    not given and the browser prefers Chinese to English; else ``en``."""
    if asked:
        return "zh-CN" if asked.strip().lower().replace("_", "-") in ("zh", "zh-cn") else "en"
    best = accepted(["en", "zh-CN", "zh"])
    return "zh-CN" if best is not None and best.lower().startswith("zh") else "en"


def _keyset(args: Any) -> tuple[str, str, str] | None:
    after = args.get("after")
    if not after:
        return None
    return (args.get("after_procedure", ""), args.get("after_state", ""), after)


#: the names an open console answers to (the ``Host`` header without its port)
_LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost", "[::1]"})


def _host_name(host: str) -> str:
    """``host`` of a ``Host`` header without its port (``[::1]:8765`` → ``[::1]``)."""
    if host.startswith("["):
        return host.partition("]")[0] + "]"
    return host.rpartition(":")[0] if ":" in host else host


def create_app(
    engine: Engine, *, times: Callable[[], TimeFace], guard: Guard | None = None
) -> Flask:
    """The console over ``engine``, its times shown by a new ``times()`` per page, its requests
    admitted by ``guard`` (None: every request, for a console on the loopback interface)."""
    app = Flask(__name__, static_folder=None)
    app.jinja_env.undefined = StrictUndefined
    app.jinja_env.autoescape = True
    gate = guard or Guard()

    def get(rule: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        return app.route(rule, methods=["GET"], provide_automatic_options=False)

    def link(endpoint: str, /, **params: Any) -> str:
        """A page's address, in the language asked for when ``?lang=`` chose one."""
        if g.get("chosen"):
            params.setdefault("lang", g.lang)
        return url_for(endpoint, **{k: v for k, v in params.items() if v not in (None, "")})

    def render(template: str, face: TimeFace | None = None, **values: Any) -> str:
        lang = g.lang
        other = "en" if lang == "zh-CN" else "zh-CN"
        switch = {**request.args.to_dict(), "lang": other}
        return render_template(
            template,
            t={key: word(key, lang) for key in WORDS},
            lang=lang,
            link=link,
            switch=f"{request.path}?{urlencode(switch)}",
            caption=face.caption(lang) if face is not None else None,
            **values,
        )

    @app.before_request
    def admit() -> BaseResponse | None:
        g.lang = language(request.args.get("lang"), request.accept_languages.best_match)
        g.chosen = bool(request.args.get("lang"))
        if gate.open and _host_name(request.host) not in _LOOPBACK_NAMES:
            # an open console answers to this machine's names only: a page elsewhere cannot
            # rename its own host to 127.0.0.1 and read it through the browser (DNS rebinding)
            page = render("refused.html", message=word("console.unauthorised", g.lang))
            return Response(page, status=400, mimetype="text/html")
        param = request.args.get("token")
        if not gate.admits(
            request.headers.get("Authorization"), param=param, cookie=request.cookies.get(COOKIE)
        ):
            page = render("refused.html", message=word("console.unauthorised", g.lang))
            answer = Response(page, status=401, mimetype="text/html")
            if gate.challenge() is not None:
                answer.headers["WWW-Authenticate"] = str(gate.challenge())
            return answer
        if param is not None and gate.token is not None:
            # kept in a cookie and taken out of the address, its history and its referrers
            rest = urlencode([(k, v) for k, v in request.args.items(multi=True) if k != "token"])
            moved = redirect(f"{request.path}?{rest}" if rest else request.path, 303)
            moved.set_cookie(
                COOKIE, param, httponly=True, samesite="Strict", secure=request.is_secure
            )
            return moved
        return None

    @app.after_request
    def headers(answer: Response) -> Response:
        answer.headers.update(HEADERS)
        answer.headers["Content-Language"] = g.get("lang", "en")
        return answer

    @app.errorhandler(NotFound)
    def not_found(exc: NotFound) -> tuple[str, int]:
        return render("refused.html", message=exc.message(g.lang)), 404

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> BaseResponse | tuple[str, int]:
        if exc.code == 404:
            return render("refused.html", message=word("console.not_found", g.lang)), 404
        return exc.get_response()

    @get("/")
    def instances() -> str:
        face = times()
        page = listing(
            engine,
            procedure=request.args.get("procedure") or None,
            state=request.args.get("state") or None,
            after=_keyset(request.args),
            lang=g.lang,
            face=face,
        )
        said = {
            "count": word("console.page_of", g.lang, count=len(page.rows)),
            "next": word("console.next", g.lang, count=PAGE),
            "order": word(
                "console.by_id"
                if page.procedure is None and page.state is None
                else "console.by_order",
                g.lang,
            ),
        }
        return render("instances.html", face, page=page, said=said)

    @get("/instances/<path:instance_id>")
    def instance(instance_id: str) -> str:
        face = times()
        page = instance_page(engine, instance_id, g.lang, face)
        said = {"rules": lambda n: word("console.rules_judged", g.lang, count=n)}
        drawn = Markup(page.diagram) if page.diagram is not None else None  # escaped where drawn
        return render("instance.html", face, page=page, said=said, diagram=drawn)

    @get("/report/<path:instance_id>")
    def report(instance_id: str) -> str:
        """The instance's self-contained HTML report (``collegium report INSTANCE --html``)."""
        return report_html(engine, instance_id, lang=g.lang, tz=times().zone)

    @get("/supervision")
    def supervise() -> str:
        face = times()
        return render("supervision.html", face, page=supervision(engine, g.lang, face))

    @get("/audit")
    def audit() -> str:
        report = engine.verify_audit()
        said = (
            word("audit_ok", g.lang, instances=report.instances, events=report.events)
            if report.ok
            else word("audit_bad", g.lang, problem=str(report.problem))
        )
        return render("audit.html", ok=report.ok, said=said)

    return app
