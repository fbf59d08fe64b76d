"""The Textual reader. Imported only by ``briefing [PATH]``: check and show never load it."""
