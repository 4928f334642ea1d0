from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.db import Model, model_repr, utcnow


class ReviewComment(Model):
    """A reviewer's (or focal point's reply) comment on one question, or on the whole submission."""

    __tablename__ = "review_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[str | None] = mapped_column(String(120))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)
    created_dt: Mapped[datetime] = mapped_column(default=utcnow)
    is_resolved: Mapped[bool] = mapped_column(default=False)

    author: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return model_repr(self, "id", "submission_id", "question_id")
