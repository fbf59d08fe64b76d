"""A one-line input that takes the keys of a burst in the order they were typed.

Keys typed at once ("/troops", Enter, n: a fast typist, a batch over SSH)
reach an ``Input`` together. Its own bindings (Enter, Escape, Backspace, the
arrows) run only once their key has bubbled up to the app, by which time
the input has already typed the characters that came after them; and a key
that comes after Enter has moved the focus away still arrives here. So the
input runs its bindings as their keys come, and hands a key typed after it
let go of the focus to wherever the focus is now.
"""

from __future__ import annotations

from textual import events
from textual.widgets import Input


class OrderedInput(Input):
    def takes_keys(self) -> bool:
        """Whether keys are for this input now (a closed search bar's are not)."""
        return self.screen.focused is self

    async def on_key(self, event: events.Key) -> None:
        # Runs before Input's own key handling (Textual walks the class hierarchy from here).
        if not self.takes_keys():
            if self.screen.focused is not self:
                # Typed after Enter or Escape in the same burst: meant for where the focus is now,
                # posted to the app as a new key (as the app replays the keys it held).
                event.stop()
                event.prevent_default()
                self.app.post_message(events.Key(event.key, event.character))
            return
        active = self.screen.active_bindings.get(event.key)
        if active is not None and active.node is self:
            event.stop()
            event.prevent_default()
            await self.run_action(active.binding.action)
