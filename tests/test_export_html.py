"""``briefing export --to html``: one self-contained page, inert whatever the briefing holds, in a real browser.

The page is opened in a real headless Chromium (Debian's ``chromium``; .ci/run
installs it, and sets BRIEFING_REQUIRE_CHROMIUM=1 so CI fails rather than skips
when it is missing). Each run of the browser is given a proxy that is a socket
of the test's own, and writes a NetLog: a request the page makes shows in the
log with the page as its initiator, and reaches the socket instead of the
network. Console messages are logged, so a script that runs, or one the
Content-Security-Policy blocks, shows there. A control page that does fetch
and run shows every one of these catches it.

The same checks of the page's markup run on the exported file and on the DOM
the browser built from it: one style sheet and no script, image, frame or
handler, no URL in any attribute, ids unique, every tag closed, the CSP's hash
that of the style sheet; and block by block, the same text as the Markdown.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import shutil
import socket
import struct
import subprocess
import threading
import urllib.parse
import zlib
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import MINIMAL
from hostile_briefing import HEDGES, HOST, MARKUP, export_with_cli, write_hostile_briefing
from test_export_markdown import commonmark, document_blocks, document_of, flat, markdown_blocks

from briefing.storage.briefing_files import load_briefing
from briefing.storage.paths import default_briefing_path

CSS = (Path(__file__).resolve().parent.parent / "briefing" / "export" / "html.css").read_text(encoding="utf-8")

# -- the page's markup, as a parser reads it ------------------------------------------------------

VOID = {"meta", "link", "br", "hr", "img", "input", "area", "base", "col", "embed", "source", "track", "wbr"}
# What the export writes; anything else came from the content.
OUR_TAGS = {
    *("html", "head", "meta", "title", "style", "body", "main", "section"),
    *("h1", "h2", "h3", "h4", "h5", "h6", "p", "ul", "ol", "li", "dl", "dt", "dd", "blockquote", "footer"),
    *("table", "thead", "tbody", "tr", "th", "td", "span", "sup", "a"),
}
BLOCKS = {"h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "dt", "dd", "th", "td", "footer"}


class Page(HTMLParser):
    """What the checks look at in a page: tags, attributes, ids, the style sheet, the text block by block."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: Counter[str] = Counter()
        self.attributes: list[tuple[str, str, str]] = []  # (tag, name, value)
        self.ids: list[str] = []
        self.metas: list[dict[str, str]] = []
        self.open: list[tuple[str, dict[str, str]]] = []
        self.unbalanced: list[str] = []
        self.style = ""
        self.title = ""
        self.text: list[str] = []  # everything shown, in order
        self.blocks: list[tuple[str, str]] = []
        self.notes: dict[str, str] = {}
        self._buffers: list[tuple[str, list[str]]] = []
        self._term = ""
        self.feed(html)
        self.close()
        if self.open:
            self.unbalanced.append(f"left open: {[tag for tag, _ in self.open]}")

    def _inside(self, tag: str, **attrs: str) -> bool:
        return any(t == tag and all(a.get(k) == v for k, v in attrs.items()) for t, a in self.open)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        self.tags[tag] += 1
        if tag == "meta":
            self.metas.append(values)
        self.attributes += [(tag, name, value) for name, value in values.items()]
        if "id" in values:
            self.ids.append(values["id"])
        if tag in VOID:
            return
        if tag in BLOCKS:
            self._buffers.append((self._kind(tag, values), []))
        self.open.append((tag, values))

    def _kind(self, tag: str, attrs: dict[str, str]) -> str:
        if tag == "p":
            return "quote" if self._inside("blockquote") else "p"
        if tag == "footer":
            return "attribution"
        if tag == "li" and self._inside("ol", **{"class": "footnotes"}):
            return "note:" + attrs.get("id", "").removeprefix("note-")
        return {"li": "item"}.get(tag, tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if not self.open or self.open[-1][0] != tag:
            self.unbalanced.append(f"</{tag}> closes {self.open[-1][0] if self.open else 'nothing'}")
            return
        self.open.pop()
        if tag in BLOCKS:
            kind, parts = self._buffers.pop()
            text = flat("".join(parts))
            if kind == "dt":
                self._term = text
            elif kind == "dd":
                self.blocks.append(("item", flat(f"{self._term}: {text}")))
            elif kind.startswith("note:"):
                self.notes[kind.removeprefix("note:")] = text
            else:
                self.blocks.append((kind, text))

    def handle_data(self, data: str) -> None:
        if self._inside("style"):
            self.style += data
        elif self._inside("title"):
            self.title += data
        elif self._inside("body"):
            self.text.append(data)
            # Footnote marks and back links: each format marks footnotes its own way.
            if self._buffers and not self._inside("sup") and not self._inside("a", **{"aria-label": "back"}):
                self._buffers[-1][1].append(data)

    def meta(self, **wanted: str) -> list[str]:
        """The ``content`` of each <meta> with the wanted attributes."""
        return [m.get("content", "") for m in self.metas if all(m.get(k) == v for k, v in wanted.items())]


def assert_inert_page(page: Page, language: str) -> None:
    """What the issue asks of the page's markup, wherever it came from (the file or the browser's DOM)."""
    assert page.unbalanced == []
    assert set(page.tags) <= OUR_TAGS, set(page.tags) - OUR_TAGS
    assert page.tags["style"] == 1 and page.tags["title"] == 1 and page.tags["h1"] == 1
    for tag in ("script", "img", "svg", "iframe", "object", "embed", "link", "base", "form", "input", "noscript"):
        assert page.tags[tag] == 0, tag
    # No handler, no inline style, no URL in any attribute: the only links are to the page's own ids.
    names = {name for _, name, _ in page.attributes}
    assert not {name for name in names if name.startswith("on")}
    assert names <= {"lang", "charset", "http-equiv", "content", "name", "id", "class", "href", "scope", "aria-label"}
    hrefs = [value for tag, name, value in page.attributes if name == "href"]
    assert hrefs and all(href.startswith("#") for href in hrefs)
    assert len(page.ids) == len(set(page.ids)), [i for i, n in Counter(page.ids).items() if n > 1]
    assert {href[1:] for href in hrefs} <= set(page.ids)
    urls = [(tag, name, value) for tag, name, value in page.attributes if re.search(r"[a-z]+:|//", value, re.I)]
    assert all(name == "content" and tag == "meta" for tag, name, _ in urls), urls
    # The policy allows nothing but the page's one style sheet, named by its hash.
    (policy,) = page.meta(**{"http-equiv": "Content-Security-Policy"})
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    digest = base64.b64encode(hashlib.sha256(page.style.encode("utf-8")).digest()).decode("ascii")
    assert directives["default-src"] == "'none'"
    assert directives["style-src"] == f"'sha256-{digest}'"
    assert all(directives[d] == "'none'" for d in ("img-src", "font-src", "connect-src", "base-uri", "form-action"))
    assert "unsafe" not in policy and "script-src" not in directives
    assert page.meta(name="referrer") == ["no-referrer"]
    assert page.meta(name="color-scheme") == ["light dark"]
    assert page.style.strip() == CSS.strip()
    (lang,) = [value for tag, name, value in page.attributes if tag == "html" and name == "lang"]
    assert lang == language


# -- the exports ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("home")


@pytest.fixture(scope="module")
def hostile_path(tmp_path_factory) -> Path:
    return write_hostile_briefing(tmp_path_factory.mktemp("hostile") / "hostile.toml")


@pytest.fixture(scope="module")
def exports(home, hostile_path) -> dict[str, tuple[Path, Path, str, str]]:
    """For each briefing: its file, the HTML file, the HTML and the Markdown, made by `briefing export`."""
    made = {}
    for name, source in (("sparta", default_briefing_path()), ("hostile", hostile_path)):
        html = export_with_cli(source, "html", home)
        page = home / f"{name}.html"
        page.write_bytes(html)
        made[name] = (source, page, html.decode("utf-8"), export_with_cli(source, "md", home).decode("utf-8"))
    return made


LANGUAGE = {"sparta": "en", "hostile": "und"}


@pytest.mark.parametrize("which", ["sparta", "hostile"])
def test_the_exported_file_is_one_inert_self_contained_page(which, exports):
    _, _, html, _ = exports[which]
    assert html.startswith("<!DOCTYPE html>\n")
    # Nothing the content holds is markup: not a tag, not a control character.
    assert html.count("<style") == 1 and "<script" not in html.lower()
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", html)
    assert_inert_page(Page(html), LANGUAGE[which])


@pytest.mark.parametrize("which", ["sparta", "hostile"])
def test_the_page_says_what_the_markdown_says(which, exports):
    """Headings, facts, paragraphs, quotes, list items, table headers and cells, footnotes: the same, in order."""
    source, _, html, markdown = exports[which]
    expected = document_blocks(document_of(source))
    page = Page(html)
    assert (page.blocks, page.notes) == markdown_blocks(commonmark().parse(markdown)) == expected
    assert sum(kind == "quote" for kind, _ in page.blocks) >= 2
    assert sum(kind == "th" for kind, _ in page.blocks) >= 16


def test_the_hostile_page_shows_every_attack_as_its_characters(exports, hostile_path):
    _, _, html, _ = exports["hostile"]
    page = Page(html)
    shown = "".join(page.text)
    for attack in (*MARKUP, *HEDGES):
        assert attack in shown
    assert "␛]0;pwned␇ ␀ ␡ <U+009B> <U+202E>␍end of headline" in shown
    briefing = load_briefing(hostile_path).briefing
    assert briefing is not None
    assert page.title == briefing.meta.headline


# -- in a real browser ----------------------------------------------------------------------------

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


@pytest.fixture(scope="module")
def browser() -> str:
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    message = (
        f"no Chromium on PATH (looked for {', '.join(BROWSERS)}): the HTML export's browser tests need one; "
        "install Debian's with `sudo apt-get install chromium` (.ci/run does)"
    )
    if os.environ.get("BRIEFING_REQUIRE_CHROMIUM") == "1":
        pytest.fail(f"{message}; BRIEFING_REQUIRE_CHROMIUM=1 is set")
    pytest.skip(message)


class Trap:
    """A local socket given to the browser as its proxy: a request that would leave the machine comes here."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.server.settimeout(0.1)
        self.port = self.server.getsockname()[1]
        self.requests: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._readers: list[threading.Thread] = []

    def __enter__(self) -> Trap:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.server.close()
        for reader in self._readers:
            reader.join()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self.server.accept()
            except TimeoutError:
                continue
            reader = threading.Thread(target=self._read, args=(connection,), daemon=True)
            self._readers.append(reader)
            reader.start()

    def _read(self, connection: socket.socket) -> None:
        with connection:
            connection.settimeout(5)
            try:
                data = connection.recv(4096)
            except OSError:
                data = b""
        # "GET http://host/path HTTP/1.1" or "CONNECT host:443 HTTP/1.1"; nothing is answered.
        self.requests.append(data.split(b"\r\n", 1)[0].decode("latin-1"))


@dataclass
class Visit:
    dom: str
    console: list[str]
    # URLs the page asked for (the NetLog's requests with the page as initiator) …
    page_requests: list[str]
    # … and requests that reached the proxy but are not the browser's own (its update and time checks).
    leaked: list[str]
    files: dict[str, Path] = field(default_factory=dict)


def visit(browser: str, page: Path, workdir: Path, *flags: str, outputs: tuple[str, ...] = ()) -> Visit:
    """Open ``page`` in headless Chromium, with its own profile and home, a trap for a proxy and a NetLog."""
    workdir.mkdir(parents=True, exist_ok=True)
    netlog = workdir / "netlog.json"
    files = {name: workdir / name for name in outputs}
    writes = [f"--screenshot={files[n]}" for n in outputs if n.endswith(".png")]
    writes += [f"--print-to-pdf={files[n]}" for n in outputs if n.endswith(".pdf")]
    with Trap() as trap:
        run = subprocess.run(
            [
                browser,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
                "--no-first-run",
                "--no-default-browser-check",
                f"--user-data-dir={workdir / 'profile'}",
                f"--proxy-server=127.0.0.1:{trap.port}",
                "--proxy-bypass-list=<-loopback>",
                f"--log-net-log={netlog}",
                "--enable-logging=stderr",
                "--v=0",
                "--window-size=1200,2000",
                "--dump-dom",
                *writes,
                *flags,
                page.as_uri(),
            ],
            capture_output=True,
            text=True,
            env={
                **os.environ,
                "HOME": str(workdir / "home"),
                "XDG_CONFIG_HOME": str(workdir / "config"),
                "XDG_CACHE_HOME": str(workdir / "cache"),
                "XDG_DATA_HOME": str(workdir / "data"),
            },
            timeout=120,
        )
    assert run.returncode == 0, run.stderr[-3000:]
    console = [line for line in run.stderr.splitlines() if re.search(r":CONSOLE[:(]", line)]
    own, page_requests = netlog_requests(netlog)
    leaked = [request for request in trap.requests if request_host(request) not in own]
    return Visit(run.stdout, console, page_requests, leaked, files)


def request_host(line: str) -> str:
    """The host a proxied request is for: ``CONNECT host:443 HTTP/1.1`` or ``GET http://host/path HTTP/1.1``."""
    match = re.match(r"[A-Z]+ (?:[a-z]+://)?([^/:\s]+)", line)
    return match[1] if match else ""


def netlog_requests(path: Path) -> tuple[set[str], list[str]]:
    """From a NetLog: the hosts of the browser's own requests, and the URLs of those the page made."""
    log = json.loads(path.read_text(encoding="utf-8"))
    start = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    own: set[str] = set()
    page: list[str] = []
    for event in log["events"]:
        params = event.get("params") or {}
        if event["type"] != start or "url" not in params:
            continue
        # The browser's own requests have no initiator; a page's carry its origin ("null" for a file).
        if params.get("initiator", "not an origin") == "not an origin":
            own.add(urllib.parse.urlsplit(params["url"]).hostname or "")
        else:
            page.append(params["url"])
    own.discard("")
    return own, page


def png_rows(data: bytes, rows: int) -> list[list[tuple[int, int, int]]]:
    """The first ``rows`` rows of an 8-bit RGB(A) PNG as RGB pixels: zlib and the PNG filters, nothing more."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    position, header, compressed = 8, b"", b""
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind, body = data[position + 4 : position + 8], data[position + 8 : position + 8 + length]
        header = body if kind == b"IHDR" else header
        compressed += body if kind == b"IDAT" else b""
        position += 12 + length
    width, _, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert depth == 8 and colour in (2, 6) and interlace == 0
    channels = 3 if colour == 2 else 4
    stride = width * channels
    raw = zlib.decompressobj().decompress(compressed, (stride + 1) * rows)
    previous = bytearray(stride)
    pixels = []
    for row in range(rows):
        kind, line = raw[row * (stride + 1)], bytearray(raw[row * (stride + 1) + 1 : (row + 1) * (stride + 1)])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up, corner = previous[i], previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 0xFF
        pixels.append([tuple(line[i : i + 3]) for i in range(0, stride, channels)])
        previous = line
    return pixels


def png_size(data: bytes) -> tuple[int, int]:
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def hex_colour(text: str) -> tuple[int, int, int]:
    digits = text.lstrip("#")
    digits = "".join(d * 2 for d in digits) if len(digits) == 3 else digits
    return (int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16))


def css_block(marker: str) -> str:
    """The text of html.css from ``marker`` (an @media rule) to the next @media."""
    start = CSS.index(marker)
    end = CSS.find("@media", start + 1)
    return CSS[start : end if end != -1 else len(CSS)]


def paper(block: str) -> tuple[int, int, int]:
    match = re.search(r"--paper:\s*(#[0-9a-fA-F]{3,6})", block)
    assert match is not None
    return hex_colour(match[1])


def luminance(pixel: tuple[int, int, int]) -> float:
    red, green, blue = pixel
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def pdf_colours(data: bytes) -> set[tuple[int, int, int]]:
    """Every RGB colour the PDF's pages fill or stroke with (its content streams inflated)."""
    colours = set()
    for stream in re.finditer(rb"stream\r?\n(.*?)endstream", data, re.S):
        try:
            content = zlib.decompress(stream[1])
        except zlib.error:
            continue  # a font or an image, not a content stream
        for numbers in re.findall(rb"([\d.]+) ([\d.]+) ([\d.]+) (?:rg|RG)\b", content):
            red, green, blue = (round(float(number) * 255) for number in numbers)
            colours.add((red, green, blue))
    return colours


@pytest.fixture(scope="module")
def light(browser, exports, tmp_path_factory) -> Visit:
    _, page, _, _ = exports["sparta"]
    workdir = tmp_path_factory.mktemp("light")
    return visit(browser, page, workdir, "--blink-settings=preferredColorScheme=1", outputs=("light.png",))


@pytest.fixture(scope="module")
def dark(browser, exports, tmp_path_factory) -> Visit:
    _, page, _, _ = exports["sparta"]
    workdir = tmp_path_factory.mktemp("dark")
    return visit(browser, page, workdir, "--blink-settings=preferredColorScheme=0", outputs=("dark.png", "print.pdf"))


@pytest.fixture(scope="module")
def hostile(browser, exports, tmp_path_factory) -> Visit:
    _, page, _, _ = exports["hostile"]
    return visit(browser, page, tmp_path_factory.mktemp("hostile-page"), outputs=("hostile.png",))


def test_the_traps_catch_a_page_that_fetches_and_runs(browser, tmp_path):
    """The control: a page with an image from afar and a script is seen fetching and running by every check."""
    page = tmp_path / "control.html"
    page.write_text(
        f'<!DOCTYPE html><title>control</title><img src="https://{HOST}/x.png">'
        f'<link rel="stylesheet" href="http://{HOST}/s.css">'
        "<script>document.title = 'ran'; console.log('a script ran')</script>",
        encoding="utf-8",
    )
    seen = visit(browser, page, tmp_path / "run")
    assert f"https://{HOST}/x.png" in seen.page_requests and f"http://{HOST}/s.css" in seen.page_requests
    assert any(HOST in request for request in seen.leaked)
    assert any("a script ran" in line for line in seen.console)
    assert Page(seen.dom).title == "ran"


def test_the_page_s_policy_blocks_a_script_and_a_fetch_that_got_in(browser, exports, tmp_path):
    """Were escaping ever to fail, the Content-Security-Policy still stops what got into the page."""
    _, _, html, _ = exports["sparta"]
    page = tmp_path / "injected.html"
    injected = f"<img src=\"https://{HOST}/x.png\"><script>document.title = 'ran'</script>"
    page.write_text(html.replace("<main>", "<main>" + injected, 1), encoding="utf-8")
    seen = visit(browser, page, tmp_path / "run")
    assert seen.page_requests == [] and seen.leaked == []
    assert Page(seen.dom).title != "ran"
    blocked = [line for line in seen.console if "Content Security Policy" in line]
    assert any("image" in line for line in blocked) and any("script" in line for line in blocked)


@pytest.mark.parametrize("which", ["sparta", "hostile"])
def test_in_the_browser_no_request_leaves_the_page_and_no_script_runs(which, request, exports):
    seen: Visit = request.getfixturevalue("light" if which == "sparta" else "hostile")
    _, _, html, _ = exports[which]
    assert seen.page_requests == []
    assert seen.leaked == []
    # Not a message on the console: nothing ran, and nothing even tried (the policy would have said so).
    assert seen.console == []
    # The DOM the browser built is the page as written: the same inert markup, the same text.
    dom = Page(seen.dom)
    assert_inert_page(dom, LANGUAGE[which])
    written = Page(html)
    assert (dom.blocks, dom.notes, dom.title) == (written.blocks, written.notes, written.title)


def test_in_the_browser_the_hostile_page_reads_as_the_characters_it_holds(hostile, hostile_path):
    dom = Page(hostile.dom)
    shown = "".join(dom.text)
    for attack in (*MARKUP, *HEDGES):
        assert attack in shown
    briefing = load_briefing(hostile_path).briefing
    assert briefing is not None
    assert dom.title == briefing.meta.headline
    assert "<script>alert(1)</script>" in dom.title


@pytest.mark.parametrize("which", ["light", "dark", "hostile"])
def test_a_screenshot_shows_the_page(which, request):
    seen: Visit = request.getfixturevalue(which)
    (name,) = [name for name in seen.files if name.endswith(".png")]
    data = seen.files[name].read_bytes()
    assert png_size(data) == (1200, 2000)
    rows = png_rows(data, 80)
    background = rows[0][0]
    # The headline is drawn near the top, in the text colour against the paper.
    assert any(pixel != background for row in rows[10:] for pixel in row)


def test_light_and_dark_follow_the_reader_s_colour_scheme(light, dark):
    light_rows = png_rows(light.files["light.png"].read_bytes(), 80)
    dark_rows = png_rows(dark.files["dark.png"].read_bytes(), 80)
    assert light_rows[0][0] == paper(CSS) == (255, 255, 255)
    assert dark_rows[0][0] == paper(css_block("@media (prefers-color-scheme: dark)")) != light_rows[0][0]
    # Dark text on light paper, light text on dark paper.
    assert min(luminance(p) for row in light_rows for p in row) < luminance(light_rows[0][0]) - 100
    assert max(luminance(p) for row in dark_rows for p in row) > luminance(dark_rows[0][0]) + 100


def test_printing_uses_the_print_style_sheet_even_in_dark_mode(dark):
    data = dark.files["print.pdf"].read_bytes()
    assert data.startswith(b"%PDF-")
    pages = len(re.findall(rb"/Type\s*/Page\b", data))
    assert pages >= 3  # the whole briefing, not one screen of it
    # Black on white, in the print sheet's own greys: not the dark scheme's light text on its paper.
    palette = {hex_colour(colour) for colour in re.findall(r"#[0-9a-fA-F]{3,6}\b", css_block("@media print"))}
    colours = pdf_colours(data)
    assert (0, 0, 0) in colours
    assert colours <= palette, colours - palette


def test_a_language_with_a_line_break_is_undetermined(home, tmp_path):
    path = tmp_path / "briefing.toml"
    path.write_text(MINIMAL.replace("[meta]\n", '[meta]\nlanguage = "en\\n"\n', 1), encoding="utf-8")
    html = export_with_cli(path, "html", home).decode("utf-8")
    assert '<html lang="und">' in html
