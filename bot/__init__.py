"""Lai Châu vocational enrolment and career-counselling assistant (application package)."""

__version__ = "0.1.0"
