"""The reader application."""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from briefing.analysis.index import BriefingIndex, Entity, EntityRef, ref_of
from briefing.app.screens.main import MainScreen
from briefing.format.kinds import KIND
from briefing.format.model import Briefing
from briefing.format.reading import LoadResult, PendingLoad, internal_failure
from briefing.format.safetext import defuse, one_line
from briefing.storage.settings import Config, load_config, save_config

if TYPE_CHECKING:
    from briefing.app.review_state import ReviewState
    from briefing.app.screens.export import ExportRequest
    from briefing.app.screens.help import HelpGroups
    from briefing.app.screens.library import LibraryScreen
    from briefing.library.catalog import BriefingEntry, Library
    from briefing.library.search_index import Hit
    from briefing.storage.review import ReviewStore


# How soon a briefing starts opening after Enter on the library's list, or the keys held for it
# go to the library (the list's handler starts it as soon as it runs; a broken row never does).
OPEN_EXPECTED_WITHIN = 0.5


class BriefingApp(App[None]):
    # The main screen's sheet too: Textual does not load the CSS_PATH of the
    # screen an app starts on (get_default_screen). Pushed screens bring their own.
    CSS_PATH: ClassVar = ["app.tcss", "screens/main.tcss", "screens/library.tcss"]
    TITLE = "briefing"
    COMMANDS: ClassVar = App.COMMANDS | {lambda: _briefing_commands()}

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit"),
        Binding("question_mark", "help", "Help", key_display="?"),
        # Last in line: a pane's, a search's or the screen's own Escape comes first.
        Binding("escape", "library", "Library", tooltip="Back to the list of briefings (when opened on a directory)"),
    ]

    # Set once the briefing is loaded: at once, or after the loading screen.
    briefing: Briefing
    index: BriefingIndex

    def __init__(
        self,
        briefing: Briefing | PendingLoad | None = None,
        *,
        path: str | None = None,
        config_path: Path | None = None,
        library_root: str | None = None,
        include_bundled: bool = False,
        review: ReviewStore | None = None,
        briefing_key: str | None = None,
        library: Library | None = None,
        library_place: str | None = None,
        can_export: bool = True,
    ) -> None:
        """``briefing`` may be a large file still to parse: it is parsed after the first frame.

        With ``library_root`` and no briefing the app opens on the library of that directory.
        ``review`` is the analyst's store (opened on first use when not given); ``briefing_key``
        names the briefing in it (the file's stem by default). ``library`` is the library of
        ``library_root`` when it is already open; ``library_place`` what the library's title
        calls it (its directory by default). ``can_export`` offers Export… in the palette:
        not to a user served over SSH, whose files are not the server's to write.
        """
        super().__init__()
        if briefing is None and library_root is None:
            raise ValueError("a briefing or a library to open")
        self.path = path
        self.library_root = library_root
        self.include_bundled = include_bundled
        self.prepared_library = library
        self.library_place = library_place
        self.can_export = can_export
        self._review = review
        self.briefing_key = briefing_key or _key_of(path)
        self._review_state: ReviewState | None = None
        self.pending: PendingLoad | None = None
        # Why the briefing could not be opened, when the loading screen found out.
        self.load_failure: LoadResult | None = None
        if isinstance(briefing, PendingLoad):
            self.pending = briefing
        elif briefing is not None:
            self.briefing = briefing
            self.index = BriefingIndex.build(briefing)
        self.config_path = config_path
        self.config: Config = load_config(config_path)
        # Keys that came before the main screen's panes (mounted a frame after
        # the headline), to be replayed, in order, once they are there.
        self._held_keys: list[events.Key] = []
        # A briefing of the library being opened (parsed in a thread): keys typed meanwhile
        # are meant for its screen, and wait for it (held as above).
        self._opening = False
        # Whether the briefing Enter was expected to open has started opening (_expect_opening).
        self._open_started = False

    def on_mount(self) -> None:
        if self.config.problem is not None:
            # markup=False: a file name is untrusted text.
            self.notify(f"Settings ignored: {defuse(self.config.problem)}", severity="warning", markup=False)
        if self.config.theme in self.available_themes:
            self.theme = self.config.theme
        # Subscribe after applying the saved theme: only the user's own
        # choices are written back.
        self.theme_changed_signal.subscribe(self, self._remember_theme)

    def get_default_screen(self) -> Screen[None]:
        if self.library_root is not None:
            from briefing.app.screens.library import LibraryScreen

            return LibraryScreen(
                self.library_root,
                include_bundled=self.include_bundled,
                library=self.prepared_library,
                place=self.library_place,
            )
        if self.pending is not None:
            from briefing.app.screens.loading import LoadingScreen

            pending = self.pending
            return LoadingScreen(pending.file, len(pending.data), pending.preview())
        return MainScreen(self.index)

    @property
    def loaded(self) -> bool:
        return self.pending is None and self.load_failure is None

    async def on_event(self, event: events.Event) -> None:
        """Keys typed before the main screen is complete wait for it: none is lost.

        A fast typist, or keys sent in a batch over SSH, can arrive before the
        panes they are meant for exist (they are mounted a frame after the
        headline, Lazy); they are held and replayed in order once they are.
        """
        if isinstance(event, events.Key) and not event.is_forwarded and self._keys_must_wait():
            self._held_keys.append(event)
            if len(self._held_keys) == 1:
                self.call_after_refresh(self._replay_held_keys)
            return
        if isinstance(event, events.Key) and not event.is_forwarded and event.key == "enter":
            self._expect_opening()
        await super().on_event(event)

    def _expect_opening(self) -> None:
        """Enter on the library's list opens a briefing: the keys typed after it are for that briefing.

        Decided here, as the key comes, not when the list has handled it: by
        then the app has handed it the keys typed in the same burst ("Enter 4 j"
        over tmux or SSH). If no briefing starts opening (a broken file's row),
        the keys go to the library after all.
        """
        focused = self.focused
        if getattr(focused, "OPENS_BRIEFING", False) and getattr(focused, "row_count", 0):
            self._opening = True
            self._open_started = False
            self.set_timer(OPEN_EXPECTED_WITHIN, self._open_not_started)

    def _open_not_started(self) -> None:
        if self._opening and not self._open_started:
            self._opening = False
            self._replay_held_keys()

    def _keys_must_wait(self) -> bool:
        if self._held_keys or self._opening:
            return True  # behind keys already waiting, or for the briefing being opened
        return isinstance(self.screen, MainScreen) and not self.screen.is_complete

    def _replay_held_keys(self) -> None:
        if self._opening:
            return  # replayed once it is open (_show_entry)
        screen = self.screen
        if isinstance(screen, MainScreen) and not screen.is_laid_out:
            self.call_after_refresh(self._replay_held_keys)
            return
        held, self._held_keys = self._held_keys, []
        for key in held:
            self.post_message(events.Key(key.key, key.character))

    def on_ready(self) -> None:
        if self.pending is not None:
            # The loading screen is on the terminal: parse in a thread, so
            # that q and ? keep working meanwhile.
            self._load_in_background(self.pending)

    def _load_in_background(self, pending: PendingLoad) -> None:
        # A daemon thread rather than a Textual worker: q during the load
        # quits at once instead of waiting for the parse to finish.
        threading.Thread(target=self._load, args=(pending,), name="briefing-load", daemon=True).start()

    def _load(self, pending: PendingLoad) -> None:
        result, index = parsed(pending.file, pending.finish)
        # RuntimeError: the reader was closed while the file loaded.
        with contextlib.suppress(RuntimeError):
            # Scheduled on the app's loop, from this thread; the coroutine runs there.
            self.call_from_thread(self.call_later, self._loaded, result, index)

    async def _loaded(self, result: LoadResult, index: BriefingIndex | None) -> None:
        from textual.widgets import LoadingIndicator

        from briefing.app.screens.help import HelpScreen

        if self.return_code is not None:  # quit while the file loaded
            return
        self.pending = None
        if index is None:
            # The command line reports the problems, as `briefing check` would.
            self.load_failure = result
            self.exit(return_code=1)
            return
        self.briefing = index.briefing
        self.index = index
        # Whatever was opened over the loading screen closes; help comes back
        # over the main screen.
        help_was_open = any(isinstance(screen, HelpScreen) for screen in self.screen_stack)
        while len(self.screen_stack) > 1:
            self.pop_screen()
        # The main screen goes over the loading screen, which stays below it
        # idle (Textual cannot switch away from the first screen). Nothing pops
        # the main screen: every "back" stops at it.
        loading = self.screen
        await self.push_screen(MainScreen(index))
        await loading.query(LoadingIndicator).remove()
        if help_was_open:
            # After the main screen's first refresh, which mounts its panes (Lazy):
            # a screen under help is not refreshed.
            self.call_after_refresh(self.action_help)

    def _remember_theme(self, theme: object) -> None:
        if self.theme != self.config.theme:
            self.config = self.config._replace(theme=self.theme, problem=None)
            why = save_config(self.config, self.config_path)
            if why is not None:
                self.notify(f"Could not save the theme choice: {defuse(why)}", severity="warning", markup=False)

    # The analyst's review

    @property
    def review(self) -> ReviewStore:
        """The review store, opened on first use; one that cannot be written is read-only, said once."""
        if self._review is None:
            from briefing.storage.review import ReviewStore

            self._review = ReviewStore.open()
            if self._review.problem:
                self.notify(f"Review kept read-only: {defuse(self._review.problem)}", severity="warning", markup=False)
        return self._review

    @property
    def review_state(self) -> ReviewState:
        """The review of the open briefing, read from the store once per briefing opened."""
        state = self._review_state
        if state is None or state.key != self.briefing_key:
            from briefing.app.review_state import ReviewState

            state = self._review_state = ReviewState(self.review, self.briefing_key)
        return state

    @property
    def loaded_review_state(self) -> ReviewState | None:
        """The open briefing's review if it has been read (panes draw before it is: start-up does not wait)."""
        state = self._review_state
        return state if state is not None and state.key == self.briefing_key else None

    # The library

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "library":
            return self.library_root is not None and isinstance(self.screen, MainScreen)
        return True

    def action_library(self) -> None:
        """Back to the library, its cursor on the briefing just read."""
        library = self._library_screen()
        if library is None:
            return
        while self.screen is not library:
            self.pop_screen()
        library.refresh_rows()
        if self.path is not None:
            library.select_entry(self.path)

    @property
    def library(self) -> Library | None:
        """The library the reader was opened on, once it is open."""
        screen = self._library_screen()
        return screen.library if screen is not None else None

    def _library_screen(self) -> LibraryScreen | None:
        from briefing.app.screens.library import LibraryScreen

        return next((s for s in self.screen_stack if isinstance(s, LibraryScreen)), None)

    async def open_library_briefing(
        self, entry: BriefingEntry, hit: Hit | None, *, entity: Entity | None = None
    ) -> None:
        """Read ``entry``, parsed in a thread: at ``hit``'s passage, marked, or at ``entity``'s entry there."""
        self.notify(f"Opening {one_line(entry.headline or entry.key)}…", timeout=2, markup=False)
        self._opening = self._open_started = True
        self.run_worker(
            lambda: self._open_entry(entry, hit, entity),
            thread=True,
            exclusive=True,
            group="open",
            exit_on_error=False,
        )

    def _open_entry(self, entry: BriefingEntry, hit: Hit | None, entity: Entity | None) -> None:
        from briefing.storage.briefing_files import load_briefing

        result, index = parsed(entry.path, lambda: load_briefing(entry.path, cache=True))
        with contextlib.suppress(RuntimeError):
            self.call_from_thread(self.call_later, self._show_entry, entry, result, index, hit, entity)

    async def _show_entry(
        self,
        entry: BriefingEntry,
        result: LoadResult,
        index: BriefingIndex | None,
        hit: Hit | None,
        entity: Entity | None,
    ) -> None:
        try:
            await self._show_index(entry, result, index, hit, entity)
        finally:
            # The keys typed while it opened, now for its screen (or the library's, if it could not be).
            self._opening = self._open_started = False
            self.call_after_refresh(self._replay_held_keys)

    async def _show_index(
        self,
        entry: BriefingEntry,
        result: LoadResult,
        index: BriefingIndex | None,
        hit: Hit | None,
        entity: Entity | None,
    ) -> None:
        if index is None:
            problem = result.problems[0] if result.problems else None
            why = f"{problem.line}:{problem.column}: {problem.message}" if problem else "it cannot be read"
            self.notify(f"{one_line(entry.key)} cannot be opened: {one_line(why)}", severity="error", markup=False)
            return
        # One briefing open at a time, over the library: from another briefing's detail view
        # ("Also in") that one closes first, so Escape and every "back" lead within this one.
        library = self._library_screen()
        while library is not None and self.screen is not library:
            await self.pop_screen()
        self.briefing = index.briefing
        self.index = index
        self.path = entry.path
        self.briefing_key = entry.key
        main = MainScreen(index)
        await self.push_screen(main)
        if hit is not None and hit.section_id is not None and hit.section_id in index.sections:
            self._show_passage(main, hit.section_id, hit.mark)
        elif hit is not None and hit.ref is not None and index.get(hit.ref) is not None:
            # A match in an entry (its name, its evidence): the entry's detail, over its pane.
            self.call_after_refresh(self.call_later, self.open_entity, hit.ref)
        same = same_entity(index, entity) if entity is not None else None
        if same is not None:
            self.call_after_refresh(self.call_later, self.open_entity, same)

    def _show_passage(self, main: MainScreen, section_id: str, mark: str | None) -> None:
        """``section_id`` in ``main``'s reader, ``mark`` marked, once the screen is laid out.

        The section list and the reader are mounted a frame after the headline
        (Lazy) and sized at the layout after that: before, they have no width
        to lay a section out at.
        """

        def show(_screen: Screen[object] | None = None) -> None:
            if main.is_laid_out:
                main.screen_layout_refresh_signal.unsubscribe(self)
                main.show_section(section_id, mark=mark)

        if main.is_laid_out:
            show()
        else:
            main.screen_layout_refresh_signal.subscribe(self, show)

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        # Everything but "Screenshot", which writes a file the user did not ask for by name.
        for command in super().get_system_commands(screen):
            if command.title != "Screenshot":
                yield command

    @property
    def main_screen(self) -> MainScreen:
        return next(s for s in self.screen_stack if isinstance(s, MainScreen))

    def _back_to_main(self) -> MainScreen:
        main = self.main_screen
        while self.screen is not main:
            self.pop_screen()
        return main

    async def show_section(self, section_id: str) -> None:
        main = self._back_to_main()
        main.show_section(section_id)
        main.action_focus_pane("reader")

    async def focus_pane(self, pane_id: str) -> None:
        self._back_to_main().action_focus_pane(pane_id)

    async def open_entity(self, ref: EntityRef) -> None:
        from briefing.app.screens.detail import EntityScreen

        if self.index.get(ref) is None:
            self.bell()
            return
        if self.screen is self.main_screen:
            # From the main screen (a pane, the palette) the pane follows; from a
            # detail view it stays where the reader left it, to come back to.
            self.main_screen.select_entity(ref)
        self.push_screen(EntityScreen(self.index, ref))

    async def focus_on(self, ref: EntityRef | None) -> None:
        """Back to the main screen with ``ref`` in focus (None clears the focus)."""
        self._back_to_main().set_entity_focus(ref)

    def action_help(self) -> None:
        from briefing.app.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(help_groups()))

    def action_export(self) -> None:
        """Ask what to export and where (the palette's Export…), then write it."""
        from briefing.app.screens.export import ExportScreen
        from briefing.storage.paths import default_briefing_path

        if not (self.can_export and self.loaded) or isinstance(self.screen, ExportScreen):
            return
        bundled = os.path.dirname(os.fspath(default_briefing_path()))
        screen = ExportScreen(self.briefing.meta.headline, self.path, bundled)
        self.push_screen(screen, self._export_chosen)

    def _export_chosen(self, request: ExportRequest | None) -> None:
        if request is None:
            return
        self.notify(f"Exporting as {request.format.title}…", timeout=2)
        # The store is opened here, on the event loop: opening it may say something (a read-only store).
        store = self.review if request.review else None
        # In a thread: a large briefing takes a second to lay out, and the reader stays live meanwhile.
        self.run_worker(lambda: self._export(request, store), thread=True, group="export", exit_on_error=False)

    def _export(self, request: ExportRequest, store: ReviewStore | None) -> None:
        from briefing.export import ExportSubject
        from briefing.storage.files import write_output
        from briefing.storage.review import StoreError
        from briefing.storage.review_exchange import review_of

        try:
            review = review_of(store, self.briefing_key) if store is not None else None
            data = request.format.renderer()(ExportSubject(self.briefing, self.briefing_key, review))
            write_output(request.path, data)
        except (OSError, StoreError) as error:
            reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
            said, severity = f"Not exported: {one_line(request.path)}: {one_line(reason)}", "error"
        except Exception as error:  # a bug of ours: said, never a crash of the reader
            said, severity = f"Not exported: internal error: {type(error).__name__}: {one_line(str(error))}", "error"
        else:
            said, severity = f"Exported as {request.format.title} to {one_line(request.path)}", "information"
        with contextlib.suppress(RuntimeError):
            self.call_from_thread(self.notify, said, severity=severity, markup=False, timeout=8)

    def action_caveats(self) -> None:
        from briefing.app.screens.caveats import CaveatsScreen

        if not isinstance(self.screen, CaveatsScreen):
            self.push_screen(CaveatsScreen(self.briefing.meta.caveats))


def parsed(file: str, read: Callable[[], LoadResult]) -> tuple[LoadResult, BriefingIndex | None]:
    """``read()``'s result and, for a valid briefing, its index; a bug is a failure, never left to hang a screen."""
    try:
        result = read()
        index = BriefingIndex.build(result.briefing) if result.ok and result.briefing is not None else None
    except Exception as error:
        return internal_failure(file, error), None
    return result, index


def same_entity(index: BriefingIndex, entity: Entity) -> EntityRef | None:
    """The entry of another briefing's ``index`` that is ``entity``: the same id, else the same name."""
    ref = ref_of(entity)
    if index.get(ref) is not None:
        return ref
    names = {n.casefold() for n in [getattr(entity, "name", ""), *getattr(entity, "aliases", ())] if n}
    for other in getattr(index.briefing, KIND[ref.kind].collection):
        if {n.casefold() for n in [other.name, *other.aliases]} & names:
            return EntityRef(ref.kind, other.id)
    return None


def _key_of(path: str | None) -> str:
    """A briefing's name in the review store when it is opened on its own: its file's stem."""
    # The bundled briefing's key in a library too (briefing.library.catalog.briefing_key).
    return os.path.splitext(os.path.basename(path))[0] if path else "sparta"


def help_groups() -> HelpGroups:
    """Where each binding lives, in the order a reader meets them (the help screen lists them so)."""
    from textual.containers import VerticalScroll

    from briefing.app.screens.caveats import CaveatsScreen
    from briefing.app.screens.detail import EntityScreen, FieldsView, LinksList
    from briefing.app.screens.grade import GradeScreen
    from briefing.app.screens.help import HelpScreen
    from briefing.app.screens.library import LibraryScreen
    from briefing.app.screens.note_editor import NoteEditor
    from briefing.app.screens.notes import NotesScreen
    from briefing.app.widgets.actors import ActorsPane
    from briefing.app.widgets.assets import AssetsPane
    from briefing.app.widgets.claims import ClaimsPane
    from briefing.app.widgets.library_table import LibraryTable
    from briefing.app.widgets.map import PlacesList
    from briefing.app.widgets.quotes import QuotesPane
    from briefing.app.widgets.reader import ReaderPane
    from briefing.app.widgets.search_bar import SearchInput
    from briefing.app.widgets.section_nav import SectionNav
    from briefing.app.widgets.timeline import TimelinePane

    return [
        ("Anywhere", [BriefingApp]),
        (
            "Library (briefing DIR): the list of briefings and the matches of a search",
            [LibraryScreen, LibraryTable],
        ),
        ("Main screen", [MainScreen]),
        ("Search bar (/)", [SearchInput]),
        ("Sections list", [SectionNav]),
        ("Reader", [ReaderPane]),
        ("Assets and actors tables", [AssetsPane, ActorsPane]),
        ("Quotes", [QuotesPane]),
        ("Timeline", [TimelinePane]),
        ("Map: the list of places", [PlacesList]),
        ("Claims", [ClaimsPane]),
        ("Detail view", [EntityScreen, FieldsView, LinksList]),
        ("Your notes and gradings", [NoteEditor, GradeScreen, NotesScreen]),
        # Both scroll their text in a VerticalScroll, which has the keys.
        ("Help and caveats", [HelpScreen, CaveatsScreen, VerticalScroll]),
    ]


def _briefing_commands() -> type:
    # Imported when the palette first opens, not at start-up.
    from briefing.app.commands import BriefingCommands

    return BriefingCommands
