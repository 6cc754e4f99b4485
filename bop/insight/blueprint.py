"""The `insight` blueprint: reports, outreach, and the planner's attendance glance."""
from __future__ import annotations

from flask import Blueprint

from ..clock import local_today
from ..extensions import db
from ..planning import views as planning_views
from . import queries
from .stats import attendance_line

bp = Blueprint("insight", __name__, url_prefix="/staff")


def recent_attendance(location) -> dict[int, str]:
    """Visits per activity in the last four full weeks, as the week planner shows them."""
    counts = queries.recent_weeks(db.session, location.id, local_today())
    return {activity_id: attendance_line(weeks) for activity_id, weeks in counts.items() if any(weeks)}


@bp.app_context_processor
def planner_attendance() -> dict:
    """`recent_attendance(location)` for the week planner. Registered from here, so planning shows
    it without knowing about check-ins."""
    return {"recent_attendance": recent_attendance}


# The kept planner page must change when these counts do (a tablet's queue uploaded on Monday
# adds to last week's). They count full weeks before today, so the page's state holds the
# counter that every change of an earlier day's check-ins moves (`bop.checkin.past_visits`), rather
# than counting them again on every request; today's date is in every kept page's state.
planning_views.PLANNER_STATE.append(lambda bop: bop.past_visits_version)
