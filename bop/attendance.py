"""Today's attendance for staff (blueprint `checkin`). Work in progress."""
from flask import Blueprint

bp = Blueprint("checkin", __name__, url_prefix="/staff/checkin")
