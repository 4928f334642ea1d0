"""The base form every form derives from, static and built from questionnaire definitions."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


class AppForm(FlaskForm):
    """CSRF-protected form; every string field is stripped of surrounding white space."""

    class Meta:
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
