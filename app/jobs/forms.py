"""The form that asks for a ZIP of scorecards."""

from __future__ import annotations

from typing import Any

from wtforms import BooleanField, SelectField
from wtforms.validators import InputRequired

from app.forms import AppForm
from app.i18n import LANGUAGES, _l, language_name


class BulkScorecardsForm(AppForm):
    campaign = SelectField(_l("Campaign"), coerce=int, validators=[InputRequired()])
    language = SelectField(_l("Language of the scorecards"), validators=[InputRequired()])
    include_unpublished = BooleanField(
        _l("Include every answered submission, not only published ones (drafts are marked)")
    )

    def __init__(
        self, *args: Any, campaigns: list[tuple[int, str]], allow_unpublished: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.campaign.choices = campaigns
        self.language.choices = [(code, language_name(code)) for code in LANGUAGES]
        if not allow_unpublished:
            del self.include_unpublished
