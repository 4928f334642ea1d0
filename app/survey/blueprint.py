from flask import Blueprint

from app.survey import views

bp = Blueprint("survey", __name__, url_prefix="/survey")
bp.add_url_rule("/", "index", views.index)
bp.add_url_rule("/<int:submission_id>/", "overview", views.overview)
bp.add_url_rule("/<int:submission_id>/submit", "submit", views.submit, methods=("POST",))
bp.add_url_rule(
    "/<int:submission_id>/evidence/<int:evidence_id>", "download_evidence", views.download_evidence
)
bp.add_url_rule(
    "/<int:submission_id>/<section_id>", "section", views.section, methods=("GET", "POST")
)
bp.add_url_rule(
    "/<int:submission_id>/<section_id>/autosave", "autosave", views.autosave, methods=("POST",)
)


@bp.app_template_global()
def answer_text(question: object, value: object, lang: str) -> str:
    from app.survey.display import display_value
    from questionnaires.schema import Question

    assert isinstance(question, Question)  # noqa: S101 - templates pass definition questions
    return display_value(question, value, lang)


@bp.app_template_global()
def survey_script_messages() -> object:
    from app.survey.display import script_messages

    return script_messages()


@bp.app_template_global()
def status_label(status: object) -> str:
    from app.survey.display import status_text

    return status_text(str(status))


@bp.app_template_global()
def question_kind(question: object) -> object:
    """The question's type (`questionnaires.types`): its `macro` and `script` for the page."""
    from questionnaires.schema import Question
    from questionnaires.types import TYPES

    assert isinstance(question, Question)  # noqa: S101 - templates pass definition questions
    return TYPES[question.type]
