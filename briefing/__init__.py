"""briefing: read structured news and intelligence briefings in the terminal."""

__version__ = "0.1.0"
