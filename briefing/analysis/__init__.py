"""Questions asked of a loaded briefing: lookups, mentions, focus, claims, and the words to show them in.

Pure functions over the model: no files, no screens.
"""
