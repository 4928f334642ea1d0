from flask import Blueprint
from flask_limiter import RateLimitExceeded

from app.jobs import views

bp = Blueprint("jobs", __name__, url_prefix="/downloads")
bp.add_url_rule("/scorecards", "new_bulk", views.new_bulk)
bp.add_url_rule("/scorecards", "create_bulk", views.create_bulk, methods=("POST",))
bp.add_url_rule("/<int:job_id>", "job", views.job)
bp.add_url_rule("/<int:job_id>/status", "job_status", views.job_status)
bp.add_url_rule("/<int:job_id>/file", "download", views.download)
bp.register_error_handler(RateLimitExceeded, views.rate_limited)


@bp.app_template_global()
def job_status_label(status: object) -> str:
    from app.jobs.views import status_label

    return status_label(str(status))
