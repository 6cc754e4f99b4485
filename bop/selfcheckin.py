"""Self check-in on the visitor's own phone. Work in progress."""
from flask import Blueprint

bp = Blueprint("selfcheckin", __name__)
