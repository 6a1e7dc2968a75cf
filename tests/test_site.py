"""The built book in a real browser: headless Chromium (Debian's) driven by Playwright.

The built site is served from 127.0.0.1 by a thread; every request that is not to it is
blocked and recorded. Every page of the table of contents is loaded at desktop width and at a
phone's width (390 px) and checked: no console error, no request outside the site, math typeset
by the served MathJax (no raw TeX left), internal links and anchors that resolve, images and
widgets visible, launch buttons that point at the page's notebook, working prev/next and
right-hand contents. A screenshot of every page goes to ``_build/screenshots/`` for a person
to look at.

Run after ``make book`` (``make test`` does both). The site folder is ``_build/html`` unless
``GRADLAB_SITE_DIR`` names another. Without Chromium or a built site these tests skip with the
reason; under CI (``CI=true``) they fail instead.
"""

from __future__ import annotations

import functools
import http.server
import os
import pathlib
import re
import threading
import urllib.parse
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
import yaml
from notebook_tools import ROOT

pytestmark = pytest.mark.browser

SITE = pathlib.Path(os.environ.get("GRADLAB_SITE_DIR", ROOT / "_build" / "html")).resolve()
SCREENSHOTS = SITE.parent / "screenshots"
CHROMIUM = pathlib.Path(os.environ.get("GRADLAB_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
IN_CI = os.environ.get("CI", "").lower() == "true"

# Console errors that are known noise of the theme and harmless, by exact text, each with why.
# Empty on purpose: the two errors a default build logs were fixed where they arise instead
# (sphinx-thebe's doubled THEBE_JS_URL script: book/_ext/gradlab_site.py; the theme's "Got
# invalid theme mode: ." : html_context.default_mode in _config.yml). Add an entry only with a
# reason, never a pattern.
KNOWN_CONSOLE_NOISE: dict[str, str] = {}

CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text())


def _toc_docnames() -> list[str]:
    """Every page of _toc.yml, in reading order (root first)."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    names = [toc["root"]]

    def walk(node):
        if isinstance(node, dict):
            if "file" in node:
                names.append(node["file"])
            for key in ("parts", "chapters", "sections"):
                for child in node.get(key, []):
                    walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(toc)
    return [re.sub(r"\.(md|ipynb)$", "", name) for name in names]


PAGES = _toc_docnames()


def _unavailable(reason: str):
    """Skip with the reason on a developer's machine; fail under CI, where the tests must run."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: the browser tests must run)")
    pytest.skip(reason)


# ---- the built site ---------------------------------------------------------------------------


class _Anchors(HTMLParser):
    """Collects every id and name attribute of an HTML document."""

    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for key, value in attrs:
            if key in ("id", "name") and value:
                self.ids.add(value)


@functools.cache
def _anchors_of(path: pathlib.Path) -> frozenset[str]:
    parser = _Anchors()
    parser.feed(path.read_text(encoding="utf-8"))
    return frozenset(parser.ids)


@pytest.fixture(scope="session")
def site() -> pathlib.Path:
    if not (SITE / "index.html").is_file():
        _unavailable(f"no built book at {SITE}: run `make book` first (or set GRADLAB_SITE_DIR)")
    return SITE


@pytest.fixture(scope="session")
def base_url(site):
    """The site served on 127.0.0.1 at a free port, for the whole session."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()
    thread.join()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        _unavailable(f"Chromium not found at {CHROMIUM}: install it (Debian: apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


# ---- one visit per page and width -------------------------------------------------------------

FACTS_JS = r"""
(windowWidth) => {
  const article = document.querySelector('.bd-article') || document.body;
  const box = (el) => { const r = el.getBoundingClientRect(); return [r.width, r.height]; };
  const shown = (el) => {
    const [w, h] = box(el);
    const style = getComputedStyle(el);
    return w > 0 && h > 0 && style.visibility !== 'hidden' && style.display !== 'none';
  };
  const text = (el) => (el.textContent || '').trim().slice(0, 80);
  const prose = article.cloneNode(true);
  prose.querySelectorAll('pre, code, script, style, mjx-assistive-mml').forEach(el => el.remove());
  const math = Array.from(article.querySelectorAll('span.math, div.math'));
  const views = article.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]');
  const rendered = Array.from(article.querySelectorAll('.widget-subarea > .jupyter-widgets'));
  return {
    title: document.title,
    math: math.length,
    untypeset: math.filter(el => !el.querySelector('mjx-container')).map(text),
    tex_errors: Array.from(document.querySelectorAll('mjx-merror')).map(el => el.getAttribute('data-mjx-error') || text(el)),
    raw_dollars: (prose.textContent.match(/\$\$/g) || []).length,
    images: Array.from(document.images).map(img => ({
      src: img.getAttribute('src'), loaded: img.complete && img.naturalWidth > 0,
      in_article: article.contains(img), shown: shown(img),
    })),
    widget_views: views.length,
    widgets_shown: rendered.filter(shown).length,
    widget_notes: article.querySelectorAll('p.gradlab-widget-note').length,
    links: Array.from(document.querySelectorAll('a[href]')).map(a => a.href),
    launch_thebe: document.querySelectorAll('button.btn-launch-thebe').length,
    thebe_url_scripts: Array.from(document.scripts).filter(s => s.text.includes('const THEBE_JS_URL')).length,
    prev: (document.querySelector('a.left-prev') || {}).href || null,
    next: (document.querySelector('a.right-next') || {}).href || null,
    sections: article.querySelectorAll('section > h2').length,
    page_toc: Array.from(document.querySelectorAll('.bd-sidebar-secondary nav a')).filter(shown).map(a => a.href),
    code_blocks: article.querySelectorAll('div.highlight pre').length,
    copy_buttons: article.querySelectorAll('button.copybtn').length,
    // Content wider than the window that no box scrolls: cut off, or widening the page.
    cut_off: Array.from(article.querySelectorAll('*')).filter(el => {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.right <= windowWidth + 1) return false;
      if (el.closest('mjx-assistive-mml')) return false;  // clipped on purpose: for screen readers
      for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
        if (['auto', 'scroll'].includes(getComputedStyle(up).overflowX)) return false;
      }
      return true;
    }).map(el => el.tagName.toLowerCase() + (el.className ? '.' + el.className : '')).slice(0, 5),
    scroll_width: document.documentElement.scrollWidth,
    client_width: document.documentElement.clientWidth,
    article_width: box(article)[0],
  };
}
"""


@dataclass
class Visit:
    page: str
    url: str
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    outside_requests: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    facts: dict = field(default_factory=dict)


@pytest.fixture(scope="session")
def visit(browser, base_url):
    """``visit(page, width)`` loads a page once per width and returns what was seen."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    contexts = {
        "desktop": browser.new_context(viewport=DESKTOP),
        "phone": browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True),
    }
    seen: dict[tuple[str, str], Visit] = {}

    def load(page_name: str, width: str = "desktop") -> Visit:
        if (page_name, width) not in seen:
            seen[page_name, width] = _load(contexts[width], base_url, page_name, width)
        return seen[page_name, width]

    yield load
    for context in contexts.values():
        context.close()


def _load(context, base_url: str, page_name: str, width: str) -> Visit:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    result = Visit(page_name, urllib.parse.urljoin(base_url, f"{page_name}.html"))
    page = context.new_page()

    def route(route):
        if route.request.url.startswith(base_url):
            route.continue_()
        else:
            result.outside_requests.append(route.request.url)
            route.abort()

    def on_console(message):
        if message.type == "error" and message.text not in KNOWN_CONSOLE_NOISE:
            location = message.location.get("url", "")
            result.console_errors.append(f"{message.text} ({location})")

    def on_response(response):
        if response.url.startswith(base_url) and response.status >= 400:
            result.failed_requests.append(f"{response.status} {response.url}")

    page.route("**/*", route)
    page.on("console", on_console)
    page.on("pageerror", lambda error: result.page_errors.append(str(error)))
    def on_request_failed(request):
        if request.url.startswith(base_url):
            result.failed_requests.append(f"{request.failure} {request.url}")

    page.on("response", on_response)
    page.on("requestfailed", on_request_failed)
    page.goto(result.url, wait_until="load")
    # MathJax typesets asynchronously after its (deferred) script runs.
    page.evaluate(
        "async () => { if (window.MathJax && MathJax.startup && MathJax.startup.promise)"
        " await MathJax.startup.promise; }"
    )
    views = page.locator('script[type="application/vnd.jupyter.widget-view+json"]').count()
    if views:
        try:  # the widget manager renders on the load event; give it a bounded wait
            page.wait_for_function(
                "n => document.querySelectorAll('.widget-subarea > .jupyter-widgets').length >= n",
                arg=views,
                timeout=20_000,
            )
        except PlaywrightTimeout:
            pass  # test_widgets_are_rendered_and_visible reports it
    try:  # late requests (fonts, lazy modules) must show up before we judge
        page.wait_for_load_state("networkidle", timeout=10_000)
    except PlaywrightTimeout:
        pass
    result.facts = page.evaluate(FACTS_JS, (PHONE if width == "phone" else DESKTOP)["width"])
    name = page_name.replace("/", "__")
    if width == "desktop":
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    elif page_name == PAGES[0]:
        page.screenshot(path=str(SCREENSHOTS / f"phone-390px-{name}.png"), full_page=True)
    page.close()
    return result


# ---- the checks, one per property and page ----------------------------------------------------


def test_only_the_toc_pages_are_built(site):
    special = {"index.html", "genindex.html", "search.html"}
    built = {
        p.relative_to(site).as_posix()
        for p in site.rglob("*.html")
        if not p.relative_to(site).parts[0].startswith("_")
    }
    assert built - special == {f"{page}.html" for page in PAGES}


def test_site_root_opens_the_landing_page(browser, base_url):
    page = browser.new_page()
    try:
        page.goto(base_url, wait_until="load")
        page.wait_for_url(f"{base_url}{PAGES[0]}.html", timeout=10_000)
    finally:
        page.close()


@pytest.mark.parametrize("page_name", PAGES)
def test_html_loads_nothing_from_outside(site, page_name):
    """Static check of the HTML: every script, stylesheet, image and frame is the site's own."""
    html = (site / f"{page_name}.html").read_text(encoding="utf-8")
    loads = re.findall(
        r"<(?:script|img|iframe|source)\b[^>]*\bsrc=\"([^\"]+)\"|<link\b[^>]*\bhref=\"([^\"]+)\"", html
    )
    outside = [src or href for src, href in loads if re.match(r"(https?:)?//", src or href)]
    assert not outside, f"{page_name} loads from outside the site: {outside}"


@pytest.mark.parametrize("width", ["desktop", "phone"])
@pytest.mark.parametrize("page_name", PAGES)
def test_page_loads_without_console_errors(visit, page_name, width):
    seen = visit(page_name, width)
    assert not seen.page_errors, f"uncaught exceptions on {page_name}: {seen.page_errors}"
    assert not seen.console_errors, f"console errors on {page_name}: {seen.console_errors}"
    assert not seen.failed_requests, f"failed requests on {page_name}: {seen.failed_requests}"


@pytest.mark.parametrize("width", ["desktop", "phone"])
@pytest.mark.parametrize("page_name", PAGES)
def test_no_request_leaves_the_site(visit, page_name, width):
    seen = visit(page_name, width)
    assert not seen.outside_requests, (
        f"{page_name} requested (blocked) outside the site: {seen.outside_requests}"
    )


@pytest.mark.parametrize("page_name", PAGES)
def test_math_is_typeset(visit, page_name):
    facts = visit(page_name).facts
    assert facts["raw_dollars"] == 0, f"raw $$ left in the text of {page_name}"
    assert not facts["untypeset"], f"math left as TeX on {page_name}: {facts['untypeset']}"
    assert not facts["tex_errors"], f"TeX errors on {page_name}: {facts['tex_errors']}"


@pytest.mark.parametrize("page_name", PAGES)
def test_internal_links_and_anchors_resolve(visit, site, base_url, page_name):
    broken = []
    for href in visit(page_name).facts["links"]:
        if not href.startswith(base_url):
            continue  # outside links are never requested by the tests (and not on page load)
        parts = urllib.parse.urlsplit(href)
        path = urllib.parse.unquote(parts.path).lstrip("/")
        target = site / path
        if target.is_dir():
            target = target / "index.html"
        if not target.is_file():
            broken.append(f"{href} (no file {path})")
        elif parts.fragment and target.suffix == ".html":
            if urllib.parse.unquote(parts.fragment) not in _anchors_of(target):
                broken.append(f"{href} (no anchor #{parts.fragment})")
    assert not broken, f"broken links on {page_name}: {broken}"


@pytest.mark.parametrize("page_name", PAGES)
def test_images_are_loaded_and_visible(visit, page_name):
    images = visit(page_name).facts["images"]
    not_loaded = [img["src"] for img in images if not img["loaded"]]
    hidden = [img["src"] for img in images if img["in_article"] and not img["shown"]]
    assert not not_loaded, f"images that did not load on {page_name}: {not_loaded}"
    assert not hidden, f"images of the text that are not visible on {page_name}: {hidden}"
    assert any(img["shown"] and "logo" in (img["src"] or "") for img in images), "no logo shown"


@pytest.mark.parametrize("page_name", PAGES)
def test_widgets_are_rendered_and_visible(visit, page_name):
    facts = visit(page_name).facts
    assert facts["widgets_shown"] == facts["widget_views"], (
        f"{page_name}: {facts['widget_views']} widget views, {facts['widgets_shown']} rendered"
    )
    assert facts["widget_notes"] == facts["widget_views"], (
        f"{page_name}: each widget needs the note that it is live on Binder, Colab and locally"
    )


@pytest.mark.parametrize("page_name", PAGES)
def test_launch_buttons_point_at_the_notebook(visit, page_name):
    notebook = ROOT / f"{page_name}.ipynb"
    links = visit(page_name).facts["links"]
    if not notebook.exists():
        return  # the theme offers launch buttons on notebook pages only
    repo_url = CONFIG["repository"]["url"].rstrip("/")
    org_repo = urllib.parse.urlsplit(repo_url).path.strip("/")
    branch = CONFIG["repository"]["branch"]
    assert branch == "main"
    path = f"{page_name}.ipynb"
    binder = f"https://mybinder.org/v2/gh/{org_repo}/{branch}?urlpath=lab/tree/{path}"
    colab = f"https://colab.research.google.com/github/{org_repo}/blob/{branch}/{path}"
    assert binder in links, f"no Binder link to {path} on {page_name}"
    assert colab in links, f"no Colab link to {path} on {page_name}"
    edit = f"{repo_url}/edit/{branch}/{path}"
    assert edit in links, f"no edit link to {path} on {page_name}"
    assert visit(page_name).facts["launch_thebe"] == 1, "no Live Code (Thebe) button"
    for href in links:  # a JupyterHub link exists only when the build named a hub
        if "/hub/user-redirect/git-pull?" in href:
            query = urllib.parse.parse_qs(urllib.parse.urlsplit(href).query)
            assert query["repo"] == [repo_url] and query["branch"] == [branch]
            assert query["urlpath"] == [f"lab/tree/{org_repo.split('/')[1]}/{path}"]


@pytest.mark.parametrize("page_name", PAGES)
def test_thebe_is_configured_once_and_loaded_only_on_demand(visit, page_name):
    facts = visit(page_name).facts
    assert facts["thebe_url_scripts"] <= 1, "THEBE_JS_URL is declared twice (console error)"


@pytest.mark.parametrize("page_name", PAGES)
def test_prev_next_follow_the_toc(visit, base_url, page_name):
    facts = visit(page_name).facts
    index = PAGES.index(page_name)
    expected_prev = urllib.parse.urljoin(base_url, f"{PAGES[index - 1]}.html") if index else None
    expected_next = (
        urllib.parse.urljoin(base_url, f"{PAGES[index + 1]}.html")
        if index + 1 < len(PAGES)
        else None
    )
    assert facts["prev"] == expected_prev
    assert facts["next"] == expected_next


@pytest.mark.parametrize("page_name", PAGES)
def test_right_hand_contents_lists_the_sections(visit, page_name):
    facts = visit(page_name).facts
    if facts["sections"] >= 2:
        assert len(facts["page_toc"]) >= facts["sections"], (
            f"{page_name}: {facts['sections']} sections, {len(facts['page_toc'])} contents links"
        )
        assert all("#" in href for href in facts["page_toc"])


@pytest.mark.parametrize("page_name", PAGES)
def test_code_blocks_have_copy_buttons(visit, page_name):
    facts = visit(page_name).facts
    assert facts["copy_buttons"] >= facts["code_blocks"]


@pytest.mark.parametrize("width", ["desktop", "phone"])
@pytest.mark.parametrize("page_name", PAGES)
def test_nothing_is_cut_off_or_scrolls_the_page_sideways(visit, page_name, width):
    facts = visit(page_name, width).facts
    assert not facts["cut_off"], (
        f"{page_name} at {width} width: content wider than the window that does not scroll "
        f"in its own box (a long inline formula? make it display math): {facts['cut_off']}"
    )
    assert facts["scroll_width"] <= facts["client_width"], (
        f"{page_name} scrolls sideways at {width} width: "
        f"{facts['scroll_width']} > {facts['client_width']}"
    )


@pytest.mark.parametrize("page_name", PAGES)
def test_phone_width_reads_well(visit, page_name):
    facts = visit(page_name, "phone").facts
    assert facts["article_width"] >= 0.8 * PHONE["width"], (
        f"{page_name}: the text column is {facts['article_width']:.0f} px wide on a phone"
    )


def test_every_page_has_a_screenshot(visit):
    for page_name in PAGES:
        visit(page_name)
    visit(PAGES[0], "phone")
    names = {p.name for p in SCREENSHOTS.glob("*.png")}
    expected = {f"{p.replace('/', '__')}.png" for p in PAGES}
    expected.add(f"phone-390px-{PAGES[0].replace('/', '__')}.png")
    assert expected <= names
