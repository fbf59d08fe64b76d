"""``briefing serve ssh``: the reader over SSH, for people who install nothing.

The server process (``server``, ``session``, ``workers``) speaks SSH with
asyncssh and never imports Textual: it authenticates, refuses, counts and
relays bytes. The reader runs in one process per session, forked from a warm
process (``zygote``) that has Textual, the package and the library loaded.
"""

# The command's line in `briefing --help` (the command line shows it without loading the server's flags).
SERVE_HELP = "serve the reader over SSH (briefing serve ssh)"
