from flask import Blueprint, render_template

from portal import policy

bp = Blueprint("students", __name__, url_prefix="/leerlingen")


@bp.get("/")
def index():
    students = policy.students().order_by(policy_order())
    return render_template("students/placeholder.html", students=students)


def policy_order():
    from portal.students.models import Student

    return Student.last_name
