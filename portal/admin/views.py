"""Administration: schools and their beheerders (SWV administrator), staff accounts (beheerder), outbox."""

from flask import Blueprint, render_template

from portal import policy

bp = Blueprint("admin", __name__, url_prefix="/beheer")


@bp.get("/scholen")
def schools():
    policy.require("school", "manage")
    return render_template("admin/placeholder.html")


@bp.get("/medewerkers")
def users():
    policy.require("user", "manage")
    return render_template("admin/placeholder.html")


@bp.get("/uitgaande-mail")
def outbox():
    policy.require("outbox", "read")
    return render_template("admin/placeholder.html")


@bp.get("/plugins")
def plugins():
    policy.require("plugins", "view")
    return render_template("admin/placeholder.html")
