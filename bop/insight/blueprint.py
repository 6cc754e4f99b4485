"""The `insight` blueprint: reports, outreach, and the planner's attendance glance."""
from __future__ import annotations

from flask import Blueprint

from ..clock import local_today
from ..extensions import db
from . import queries
from .stats import attendance_line

bp = Blueprint("insight", __name__, url_prefix="/staff")


@bp.app_context_processor
def planner_attendance() -> dict:
    """`recent_attendance(location)` for the week planner: visits per activity in the last four
    full weeks. Registered from here, so planning shows it without knowing about check-ins."""

    def recent_attendance(location) -> dict[int, str]:
        counts = queries.recent_weeks(db.session, location.id, local_today())
        return {activity_id: attendance_line(weeks) for activity_id, weeks in counts.items() if any(weeks)}

    return {"recent_attendance": recent_attendance}
