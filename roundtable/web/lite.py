"""placeholder"""
from flask import Blueprint

bp = Blueprint("lite", __name__, url_prefix="/lite")


@bp.get("/<code>")
def page(code: str):
    return ""


@bp.get("/<code>/join")
def join(code: str):
    return ""
