"""The JSON form of a profile, shared by `cybermaturity score --json` and the API.

Rounding happens here and only here: totals and section scores to 2 decimals, indicator scores
and credits to 4. The shape is documented in docs/scoring.md.
"""

from __future__ import annotations

from typing import Any

from scoring.profile import Profile, Tier

_POINTS = 2
_FRACTION = 4


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def tier_to_json(tier: Tier | None, lang: str = "en") -> dict[str, Any] | None:
    if tier is None:
        return None
    return {"rank": tier.rank, "id": tier.id, "name": tier.name.get(lang)}


def profile_to_json(profile: Profile, lang: str = "en") -> dict[str, Any]:
    """A JSON-ready dict; `lang` only chooses the language of tier names."""
    data: dict[str, Any] = {
        "questionnaire": profile.questionnaire,
        "version": profile.version,
        "model": profile.model,
        "country": profile.country,
        "total": round(profile.total, _POINTS),
        "tier": tier_to_json(profile.tier, lang),
        profile.section_kind: [
            {
                "id": section.id,
                "score": round(section.score, _POINTS),
                "indicators": [
                    {"id": ind.id, "score": _round(ind.score, _FRACTION)}
                    for ind in section.indicators
                ],
            }
            for section in profile.sections
        ],
        "questions": [
            {
                "id": q.id,
                "credit": _round(q.credit, _FRACTION),
                "weight": q.weight,
                "counted": q.counted,
                "reason": q.reason,
            }
            for q in profile.questions
        ],
    }
    if profile.model == "levels":
        data["parameters"] = [{"id": p.id, "level": p.level} for p in profile.parameters]
        data["next_tier"] = tier_to_json(profile.next_tier, lang)
        data["gaps"] = [
            {"id": g.id, "level": g.level, "required": g.required} for g in profile.gaps
        ]
    return data
