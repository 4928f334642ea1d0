"""The base form every form derives from, static and built from questionnaire definitions."""

from __future__ import annotations

from typing import Any

from flask import request
from flask_wtf import FlaskForm
from flask_wtf.form import SUBMIT_METHODS
from werkzeug.datastructures import ImmutableMultiDict


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


class AppForm(FlaskForm):
    """CSRF-protected form; every string field is stripped of surrounding white space.

    The app's forms are sent by browsers as form data; a JSON body (which Flask-WTF would read
    as the form's data, whatever its shape) counts as no data at all."""

    class Meta(FlaskForm.Meta):
        def wrap_formdata(self, form: Any, formdata: Any) -> Any:
            if request.is_json and not request.form and not request.files:
                return ImmutableMultiDict() if request.method in SUBMIT_METHODS else None
            return super().wrap_formdata(form, formdata)

        def bind_field(self, form: Any, unbound_field: Any, options: dict[str, Any]) -> Any:
            filters = unbound_field.kwargs.get("filters", [])
            if _strip not in filters:
                unbound_field.kwargs["filters"] = [*filters, _strip]
            return unbound_field.bind(form=form, **options)

    def post_validate(self) -> bool:
        """Cross-field checks; override where a form needs them."""
        return True

    def validate(self, extra_validators: Any = None) -> bool:
        return bool(super().validate(extra_validators)) and self.post_validate()
