"""newsdesk: turn news articles into strategic briefs, offline."""

__version__ = "0.1.0"
