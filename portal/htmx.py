"""The one place that knows about htmx: fragment rendering and htmx-aware redirects.

One template per page; its blocks double as fragments. The same URL answers a full page or, for an htmx
request, just the block that htmx asked for.
"""

from __future__ import annotations

from flask import make_response, redirect, request
from htmx_flask import Htmx
from jinja2_fragments.flask import render_block

htmx = Htmx()


def is_htmx() -> bool:
    return request.headers.get("HX-Request") == "true"


def render(template: str, block: str | None = None, **context):
    """Full page, or only ``block`` when htmx asks (and is not boosting a whole page)."""
    if block and is_htmx() and request.headers.get("HX-Boosted") != "true":
        response = make_response(render_block(template, block, **context))
    else:
        from flask import render_template

        response = make_response(render_template(template, **context))
    response.headers.add("Vary", "HX-Request")
    return response


def redirect_after_post(location: str):
    """303 for a plain form, HX-Redirect for htmx, so the browser never re-posts."""
    if is_htmx():
        response = make_response("", 204)
        response.headers["HX-Redirect"] = location
        return response
    return redirect(location, code=303)


def init_app(app) -> None:
    htmx.init_app(app)
