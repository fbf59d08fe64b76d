"""The first-paint baseline: the smallest Textual app that shows the headline.

    python benchmarks/baseline_static.py "HEADLINE"

One ``Static`` with the same text the reader puts on its first line, started
the same way (same interpreter, same terminal, same environment). Nothing
else is imported, so its start-up is Textual's own floor.
"""

import sys

from textual.app import App, ComposeResult
from textual.widgets import Static


class MinimalApp(App[None]):
    def __init__(self, headline: str) -> None:
        super().__init__()
        self.headline = headline

    def compose(self) -> ComposeResult:
        yield Static(self.headline, markup=False)


if __name__ == "__main__":
    MinimalApp(sys.argv[1]).run()
