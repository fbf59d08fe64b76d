"""What a briefing file is: the model, its kinds, reading it within limits, its rules and its problems.

Knows nothing of analysis, storage or any screen (the import contracts in pyproject.toml).
"""
