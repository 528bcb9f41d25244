"""The web UI in a real browser: Playwright drives Debian's Chromium against `babelwire serve`'s
application, run by uvicorn on a free loopback port over a temporary corpus filled by ingest.

One browser and one page serve every test (the machine is small). Screenshots of the main pages go
to ./screenshots (ignored by git), or to $BABELWIRE_SCREENSHOTS.
"""

from __future__ import annotations

import json
import os
import socket
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from conftest import REPO, SEED, need_shared

from babelwire.config import Config
from babelwire.serve.app import ServeSettings, create_app
from babelwire.store import queries
from babelwire.store.database import SearchFilters, Store
from babelwire.store.ingest import ingest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
SCREENSHOTS = Path(os.environ.get("BABELWIRE_SCREENSHOTS", REPO / "screenshots"))
UPLOAD_LIMIT = 32 * 1024

if os.environ.get("BABELWIRE_REQUIRE_CHROMIUM") and not Path(CHROMIUM).exists():
    raise RuntimeError(f"{CHROMIUM} is absent and BABELWIRE_REQUIRE_CHROMIUM is set (CI): install Debian's chromium")

pytestmark = [
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is absent: the browser tests need Debian's Chromium "
                       "(apt-get install -y chromium; `playwright install` cannot download browsers here)"),
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
]
sync_api = pytest.importorskip("playwright.sync_api", reason="the browser tests need the playwright package (pip install playwright)")

SUMMIT_FR = {"id": "b-fr", "title": "Emmanuel Macron reçoit Olaf Scholz à Paris", "published": "2025-03-04", "source": "Le Courrier du Matin",
             "text": "Le président français Emmanuel Macron a reçu mardi le chancelier allemand Olaf Scholz à l’Élysée, à Paris. "
                     "Les deux dirigeants ont parlé d’énergie et de défense pendant trois heures.\n\n"
                     "« Nous devons agir ensemble pour l’Europe », a déclaré Emmanuel Macron devant la presse."}
SUMMIT_ES = {"id": "b-es", "title": "Emmanuel Macron recibe a Olaf Scholz en París", "published": "2025-03-05", "source": "El Diario del Sur",
             "text": "El presidente francés Emmanuel Macron recibió el martes al canciller alemán Olaf Scholz en el Elíseo, en París. "
                     "Los dos dirigentes hablaron de energía y de defensa durante tres horas.\n\n"
                     "«Debemos actuar juntos por Europa», declaró Emmanuel Macron ante la prensa."}
RUSSIAN = {"id": "b-ru", "title": "Паводок в Вологде: эвакуированы сто жителей", "published": "2025-04-02", "source": "Северная газета",
           "text": "В Вологде во вторник река вышла из берегов. Власти эвакуировали сто жителей и закрыли две школы."}
HOSTILE = {"id": "b-xss", "title": "<script>window.__pwned=1;alert('title')</script>Incendie à Lyon", "published": "2025-03-06",
           "source": "<img src=x onerror=\"window.__pwned=2;alert('source')\">",
           "text": "Un incendie a détruit un entrepôt à Lyon jeudi. <img src=x onerror=\"window.__pwned=3;alert('img')\"> "
                   "Les pompiers de Lyon sont restés sur place.\n\n\"><svg onload=\"window.__pwned=4;alert('svg')\"> "
                   "<script>window.__pwned=5</script> Aucun blessé n’est à déplorer."}


class ThreadedServer:
    """uvicorn serving the application in a thread, on a loopback port the system picked."""

    def __init__(self, app):
        import uvicorn

        self.socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.socket.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.socket.getsockname()[1]}"
        self.server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.socket]}, daemon=True)

    def __enter__(self) -> ThreadedServer:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.socket.close()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Store:
    folder = tmp_path_factory.mktemp("browser-corpus")
    feed = folder / "feed.jsonl"
    feed.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in (SUMMIT_FR, SUMMIT_ES, RUSSIAN, HOSTILE)), encoding="utf-8")
    inputs = [str(feed)] + ([str(SEED)] if SEED.exists() else [])
    store = Store(str(folder / "corpus.sqlite"))
    summary = ingest(inputs, Config(), store)
    assert summary.rejected == 0, summary.rejects
    return store


@pytest.fixture(scope="module")
def server(corpus):
    app = create_app(corpus, ServeSettings(max_article_bytes=UPLOAD_LIMIT))
    with ThreadedServer(app) as running:
        yield running.url


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def dialogs() -> list[str]:
    return []


@pytest.fixture(scope="module")
def page(browser, dialogs):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    opened.set_default_timeout(20_000)

    def on_dialog(dialog) -> None:  # a dialog means a script of the article ran: recorded, then dismissed
        dialogs.append(dialog.message)
        dialog.dismiss()

    opened.on("dialog", on_dialog)
    yield opened
    context.close()


def shoot(page, name: str, full_page: bool = True) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)


def stored_id(store: Store, external_id: str | None = None, path: str | None = None) -> int:
    if path is not None:
        (row,) = queries.stored_under(store, path)
        return row["id"]
    for item in store.search(SearchFilters(per_page=200)).items:
        if store.article(item["id"])["metadata"]["id"] == external_id:
            return item["id"]
    raise AssertionError(f"{external_id} not stored")


@pytest.fixture(scope="module")
def seed_id(corpus) -> int:
    need_shared(SEED)
    return stored_id(corpus, path=str(SEED))


# --- the seed's article page ------------------------------------------------------------------------------
def test_seed_article_shows_its_spanish_lines_marked_as_spanish(page, server, seed_id):
    page.goto(f"{server}/articles/{seed_id}")
    spanish = page.locator("#layered [lang=es]")
    text = "".join(spanish.all_text_contents())
    assert "Más armas, mano de obra y turistas" in text
    assert "Decenas de soldados norcoreanos" in text
    assert "La agencia de noticias rusa Interfax" in text
    assert "Le ministre russe de la Défense" not in text  # the French end of that line stays French
    background = spanish.first.evaluate("node => getComputedStyle(node).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")
    assert "Spanish" in page.locator(".legend").inner_text()
    shoot(page, "article-seed")


def test_seed_tweet_embed_is_struck_through_as_debris_and_the_layer_switches_off(page, server, seed_id):
    page.goto(f"{server}/articles/{seed_id}")
    embed = page.locator("#layered .debris-embed", has_text="pic.twitter.com/12LASnKmZT")
    assert embed.count() == 1
    assert "line-through" in embed.evaluate("node => getComputedStyle(node).textDecorationLine")
    assert "embedded" in embed.get_attribute("title")
    # The layer switch is a real checkbox: reachable and toggled from the keyboard.
    switch = page.locator("input[data-layer=debris]")
    switch.focus()
    page.keyboard.press("Space")
    assert not switch.is_checked()
    assert "line-through" not in embed.evaluate("node => getComputedStyle(node).textDecorationLine")
    page.keyboard.press("Space")
    assert "line-through" in embed.evaluate("node => getComputedStyle(node).textDecorationLine")


def test_seed_glued_beloussovle_is_shown_repaired(page, server, seed_id):
    page.goto(f"{server}/articles/{seed_id}")
    repair = page.locator("#layered ins.repair[title*='Beloussovle']")
    assert repair.count() == 1
    assert "“Beloussovle” → “Beloussov le”" in repair.get_attribute("title")
    around = repair.evaluate("node => [node.previousSibling.textContent, node.textContent, node.nextSibling.textContent]")
    assert around[0].endswith("Beloussov") and around[1] == " " and around[2].startswith("le ")


def test_seed_poutine_and_putin_link_to_the_same_entity_page(page, server, seed_id):
    page.goto(f"{server}/articles/{seed_id}")
    poutine = page.locator("#layered a.mention", has_text="Poutine").first.get_attribute("href")
    putin = page.locator("#layered a.mention").filter(has_text="Putin").filter(has_not_text="Poutine").first.get_attribute("href")
    assert poutine == putin and poutine.startswith("/entities/")
    page.locator("#layered a.mention").filter(has_text="Putin").filter(has_not_text="Poutine").first.click()
    page.wait_for_url(f"**{putin}")
    names = page.locator("table.list").first.inner_text()
    assert "Poutine" in names and "Putin" in names
    assert page.locator("h1").inner_text() in ("Vladimir Poutine", "Vladimir Putin")
    shoot(page, "entity-putin")


def test_a_search_for_putin_lists_the_seed(page, server, seed_id, corpus):
    page.goto(f"{server}/search")
    page.fill("#q", "Putin")
    page.press("#q", "Enter")
    page.wait_for_url("**/search?*q=Putin*")
    titles = page.locator(".results-list a.result-title").all_inner_texts()
    assert corpus.article(seed_id)["metadata"]["title"] in titles
    assert page.locator(".facets").inner_text().count("French") == 1
    shoot(page, "search-putin")


# --- hostile text -----------------------------------------------------------------------------------------
def test_hostile_article_renders_as_inert_text(page, server, corpus, dialogs):
    article_id = stored_id(corpus, "b-xss")
    for url in (f"/articles/{article_id}", "/search?q=Lyon", "/", "/stories", f"/search?source={HOSTILE['source']}"):
        page.goto(server + url)
        page.wait_for_load_state("load")
        assert page.evaluate("() => window.__pwned") is None, url
        assert page.locator("script").count() == 1, url  # the application's own script only
        assert page.locator("main img, main svg[onload]").count() == 0, url
    page.goto(f"{server}/articles/{article_id}")
    shown = page.locator("#layered").inner_text()
    assert "<img src=x onerror=" in shown and "<script>window.__pwned=5</script>" in shown
    assert "<script>window.__pwned=1" in page.locator("h1").inner_text()
    page.wait_for_timeout(300)  # an onerror handler would have fired by now
    assert page.evaluate("() => window.__pwned") is None
    assert dialogs == []
    shoot(page, "article-hostile")


# --- uploads ----------------------------------------------------------------------------------------------
def test_a_binary_upload_shows_a_clear_error(page, server):
    page.goto(f"{server}/analyse")
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
    page.set_input_files("#file", files=[{"name": "holiday.png", "mimeType": "image/png", "buffer": png}])
    page.click("form.analyse-form button[type=submit]")
    error = page.locator("#analyse-error")
    error.wait_for()
    assert "holiday.png is binary data, not text" in error.inner_text()
    shoot(page, "analyse-binary-error", full_page=False)


def test_an_oversized_upload_shows_a_clear_error(page, server):
    page.goto(f"{server}/analyse")
    big = ("Une phrase ordinaire d’un très long article. " * 1200).encode()
    assert len(big) > UPLOAD_LIMIT
    page.set_input_files("#file", files=[{"name": "long.txt", "mimeType": "text/plain", "buffer": big}])
    page.click("form.analyse-form button[type=submit]")
    error = page.locator("#analyse-error")
    error.wait_for()
    assert f"long.txt is {len(big)} bytes, larger than the limit of {UPLOAD_LIMIT} bytes" in error.inner_text()


def test_pasted_text_is_analysed_and_not_stored(page, server, corpus):
    before = corpus.counts()["articles"]
    page.goto(f"{server}/analyse")
    page.fill("#text", "Inondations à Valence\n\nLes pluies de lundi ont forcé l’évacuation de centaines d’habitants à Valence. "
                       "La agencia de noticias citó a los servicios de emergencia, que siguen en alerta máxima durante toda la noche.")
    page.fill("#published", "2025-03-10")
    page.click("form.analyse-form button[type=submit]")
    page.locator(".notice").wait_for()
    assert "not stored" in page.locator(".notice").inner_text()
    assert page.locator("#layered h2.title").inner_text() == "Inondations à Valence"
    assert "La agencia de noticias" in " ".join(page.locator("#layered [lang=es]").all_inner_texts())
    assert corpus.counts()["articles"] == before
    shoot(page, "analyse-result")


# --- stories, overview, phone, keyboard -------------------------------------------------------------------
def test_story_page_puts_the_articles_of_each_language_side_by_side(page, server, corpus):
    story_id = corpus.article(stored_id(corpus, "b-es"))["story_id"]
    page.goto(f"{server}/stories/{story_id}")
    columns = page.locator(".columns > .column")
    headings = columns.locator("h3").all_inner_texts()
    assert any(h.startswith("Spanish") for h in headings)
    story = corpus.story(story_id)
    assert page.locator(".columns .card").count() == story["size"]
    assert page.locator(".timeline li").count() == story["size"]
    shoot(page, "story")


def test_overview_draws_its_charts_and_lists_stories(page, server):
    page.goto(f"{server}/")
    assert page.locator("figure.chart svg rect.bar").count() >= 1
    assert page.locator("table.shares").first.locator("tbody tr").count() >= 2
    assert page.locator("ul.stories li").count() >= 1
    shoot(page, "overview")


def test_pages_are_readable_at_phone_width_with_right_to_left_and_cyrillic_text(browser, server, corpus):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    phone = context.new_page()
    try:
        phone.goto(f"{server}/articles/{stored_id(corpus, 'b-ru')}")
        assert phone.evaluate("() => document.documentElement.scrollWidth") <= 390 + 1  # no sideways scrolling
        assert "Вологде" in phone.locator("#layered").inner_text()
        assert phone.locator("h1").get_attribute("dir") == "auto"
        shoot(phone, "article-phone")
        phone.goto(f"{server}/analyse")
        phone.fill("#text", "فيضانات في الإسكندرية\n\nأعلنت السلطات في الإسكندرية يوم الاثنين إغلاق المدارس بعد أمطار غزيرة غمرت الشوارع.")
        phone.click("form.analyse-form button[type=submit]")
        phone.locator("#layered").wait_for()
        direction = phone.locator("#layered .block").first.evaluate("node => getComputedStyle(node).direction")
        assert direction == "rtl"
        assert phone.evaluate("() => document.documentElement.scrollWidth") <= 390 + 1
        shoot(phone, "analyse-arabic-phone")
    finally:
        context.close()


def test_keyboard_reaches_the_content_first(page, server):
    page.goto(f"{server}/stories")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent") == "Skip to content"
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"
    page.keyboard.press("/")
    assert page.evaluate("() => document.activeElement.id") == "quick-q"


def test_the_server_answers_problems_as_json_under_api(server):
    try:
        urllib.request.urlopen(f"{server}/api/articles/999999")
    except urllib.error.HTTPError as error:
        assert error.code == 404 and error.headers["content-type"].startswith("application/problem+json")
        assert json.loads(error.read())["detail"] == "no article with id 999999"
    else:
        raise AssertionError("a missing article must be a 404")
