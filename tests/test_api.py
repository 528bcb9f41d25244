"""The HTTP API and the server-rendered pages through FastAPI's test client (no network, no browser):
analysis without storing, ingest, search with filters and facets, articles, stories, entities,
rejects; RFC 9457 problems with clear messages and no stack traces; size and type limits; escaping
of hostile article text; the layered-text splitter behind the article page."""

from __future__ import annotations

import json
import re
import warnings

import pytest

from babelwire.config import Config
from babelwire.serve.app import ServeSettings, create_app
from babelwire.serve.layers import layered_text
from babelwire.store.database import Store
from babelwire.store.ingest import ingest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette's notice about httpx2 is not about babelwire
    from fastapi.testclient import TestClient

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

FR_SUMMIT = {
    "id": "t-fr-1", "title": "Emmanuel Macron reçoit Olaf Scholz à Paris", "published": "2025-03-04", "source": "Le Courrier du Matin",
    "text": "Le président français Emmanuel Macron a reçu mardi le chancelier allemand Olaf Scholz à l’Élysée, à Paris. "
            "Les deux dirigeants ont parlé d’énergie et de défense pendant trois heures.\n\n"
            "« Nous devons agir ensemble pour l’Europe », a déclaré Emmanuel Macron devant la presse.",
}
ES_SUMMIT = {
    "id": "t-es-1", "title": "Emmanuel Macron recibe a Olaf Scholz en París", "published": "2025-03-05", "source": "El Diario del Sur",
    "text": "El presidente francés Emmanuel Macron recibió el martes al canciller alemán Olaf Scholz en el Elíseo, en París. "
            "Los dos dirigentes hablaron de energía y de defensa durante tres horas.\n\n"
            "«Debemos actuar juntos por Europa», declaró Emmanuel Macron ante la prensa.",
}
EN_FLOOD = {
    "id": "t-en-1", "title": "River Severn bursts its banks in Shrewsbury", "published": "2025-02-10", "source": "Midland Post",
    "text": "The River Severn burst its banks in Shrewsbury on Monday after a week of heavy rain, flooding dozens of streets. "
            "The Environment Agency issued three severe flood warnings.\n\nResidents were told to move valuables upstairs.",
}
DE_TRAIN = {
    "id": "t-de-1", "title": "Bahnstreik legt Fernverkehr in Bayern lahm", "published": "2025-03-04", "source": "Münchner Abendblatt",
    "text": "Ein Streik der Lokführer hat am Dienstag den Fernverkehr in Bayern weitgehend lahmgelegt. "
            "Die Deutsche Bahn sprach von mehr als 400 ausgefallenen Zügen.\n\nPendler in München mussten auf Busse ausweichen.",
}
PAYLOAD_TITLE = "<script>window.__pwned=1</script>Incendie à Lyon"
HOSTILE = {
    "id": "t-xss", "title": PAYLOAD_TITLE, "published": "2025-03-06", "source": "<img src=x onerror=alert(1)>",
    "text": "Un incendie a détruit un entrepôt à Lyon jeudi. <img src=x onerror=\"window.__pwned=2\"> "
            "Les pompiers de Lyon sont restés sur place toute la nuit.\n\n\"><svg onload=alert(3)> Aucun blessé n’est à déplorer.",
}
CORPUS = [FR_SUMMIT, ES_SUMMIT, EN_FLOOD, DE_TRAIN, HOSTILE]


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Store:
    folder = tmp_path_factory.mktemp("api-corpus")
    feed = folder / "feed.jsonl"
    feed.write_text("".join(json.dumps(record, ensure_ascii=False) + "\n" for record in CORPUS), encoding="utf-8")
    (folder / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    store = Store(str(folder / "corpus.sqlite"))
    summary = ingest([str(folder)], Config(), store)
    assert summary.stored == len(CORPUS) and summary.rejected == 1
    return store


@pytest.fixture(scope="module")
def client(store) -> TestClient:
    app = create_app(store, ServeSettings(max_request_bytes=512 * 1024, max_article_bytes=64 * 1024, max_articles_per_request=5))
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


def article_id_of(client: TestClient, external_id: str) -> int:
    found = client.get("/api/articles", params={"per_page": 200}).json()["items"]
    ids = [item["id"] for item in found]
    for article_id in ids:
        if client.get(f"/api/articles/{article_id}").json()["metadata"]["id"] == external_id:
            return article_id
    raise AssertionError(f"{external_id} is not stored")


def assert_problem(response, status: int, *words: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status and body["title"] and body["detail"]
    for word in words:
        assert word in body["detail"], body["detail"]
    assert "Traceback" not in response.text and 'File "' not in response.text
    return body


# --- analysis, nothing stored ----------------------------------------------------------------------------
def test_analyze_returns_the_full_analysis_of_a_json_text_and_stores_nothing(client, store):
    before = store.counts()["articles"]
    response = client.post("/api/analyze", json={"text": ES_SUMMIT["text"], "title": ES_SUMMIT["title"], "published": "2025-03-05"})
    assert response.status_code == 200, response.text
    analysis = response.json()
    assert analysis["language"] == "es"
    assert analysis["text"].startswith(ES_SUMMIT["title"])
    assert {"segments", "debris", "edits", "mentions", "entities", "times", "quotes", "figures", "diagnostics"} <= set(analysis)
    mention = next(m for m in analysis["mentions"] if m["text"] == "Olaf Scholz")
    assert analysis["text"][mention["start"]:mention["end"]] == "Olaf Scholz"
    assert store.counts()["articles"] == before


def test_analyze_reads_an_uploaded_file_with_its_reader(client):
    page = ("<html><head><title>Hochwasser in Passau</title></head><body><article><h1>Hochwasser in Passau</h1>"
            "<p>Die Donau ist in Passau über die Ufer getreten. Die Feuerwehr hat am Montag die Altstadt gesperrt.</p>"
            "</article></body></html>")
    response = client.post("/api/analyze", files={"file": ("passau.html", page.encode(), "text/html")})
    assert response.status_code == 200, response.text
    analysis = response.json()
    assert analysis["metadata"]["reader"] == "html" and analysis["language"] == "de"
    assert "<p>" not in analysis["text"] and "Donau" in analysis["text"]


def test_analyze_takes_a_plain_text_body(client):
    response = client.post("/api/analyze", content=EN_FLOOD["text"].encode(), headers={"content-type": "text/plain; charset=utf-8"})
    assert response.status_code == 200 and response.json()["language"] == "en"


def test_a_binary_upload_is_refused_as_binary(client):
    response = client.post("/api/analyze", files={"file": ("photo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)), "image/jpeg")})
    body = assert_problem(response, 415, "photo.jpg", "binary")
    assert body["code"] == "binary-upload"


def test_an_oversized_upload_is_refused_with_its_size_and_the_limit(client):
    big = ("Une phrase assez longue pour remplir le fichier. " * 2000).encode()
    body = assert_problem(client.post("/api/analyze", files={"file": ("long.txt", big, "text/plain")}), 413, "long.txt", str(64 * 1024))
    assert body["code"] == "article-too-large"
    assert_problem(client.post("/api/analyze", json={"text": big.decode()}), 413, "limit")


def test_a_body_over_the_request_limit_is_refused_before_it_is_read(client):
    huge = b"x" * (600 * 1024)
    assert_problem(client.post("/api/articles", content=huge, headers={"content-type": "application/json"}), 413, "larger than the limit")

    def chunks():  # no Content-Length: the limit is enforced on the bytes as they arrive
        for _ in range(20):
            yield b"y" * (64 * 1024)

    response = client.post("/api/analyze", content=chunks(), headers={"content-type": "text/plain"})
    assert_problem(response, 413, "larger than the limit")


@pytest.mark.parametrize(("body", "headers", "status", "word"), [
    (b"{not json", {"content-type": "application/json"}, 400, "not valid JSON"),
    (b'{"title": "no text"}', {"content-type": "application/json"}, 422, "text"),
    (b'{"text": 42}', {"content-type": "application/json"}, 422, "text"),
    (b'{"text": "Un texte.", "title": 7}', {"content-type": "application/json"}, 422, "title"),
    (b"<x/>", {"content-type": "application/xml"}, 415, "application/xml"),
])
def test_malformed_analysis_requests_are_clear_problems(client, body, headers, status, word):
    assert_problem(client.post("/api/analyze", content=body, headers=headers), status, word)


# --- ingest ---------------------------------------------------------------------------------------------
def test_posting_articles_stores_them_once_and_returns_their_ids(client, store):
    fresh = {"title": "Le Rhône en crue à Avignon", "published": "2025-03-07", "source": "Le Courrier du Matin",
             "text": "Le Rhône est sorti de son lit à Avignon vendredi. La préfecture du Vaucluse a fermé trois routes."}
    response = client.post("/api/articles", json={"articles": [fresh]})
    assert response.status_code == 201, response.text
    result = response.json()
    assert (result["inputs"], result["stored"], result["already_stored"], result["rejected"]) == (1, 1, 0, 0)
    (stored,) = result["articles"]
    assert stored["input"] == "articles[0]" and stored["language"] == "fr"
    article = client.get(f"/api/articles/{stored['id']}").json()
    assert article["metadata"]["title"] == fresh["title"] and article["text"].endswith(fresh["text"])
    again = client.post("/api/articles", json=[fresh])
    assert again.status_code == 200 and again.json()["already_stored"] == 1 and again.json()["stored"] == 0


def test_posting_files_stores_the_readable_ones_and_names_the_rejected(client):
    text = "Die Isar führt Hochwasser\n\nIn München ist die Isar am Mittwoch stark angestiegen. Die Stadt sperrte zwei Brücken."
    response = client.post("/api/articles", files=[("files", ("isar.txt", text.encode(), "text/plain")),
                                                   ("files", ("scan.pdf", b"%PDF-1.4\n\x00\x01\x02" + bytes(range(200)), "application/pdf"))])
    assert response.status_code == 201, response.text
    result = response.json()
    assert result["stored"] == 1 and result["rejected"] == 1
    assert result["articles"][0]["input"] == "isar.txt"
    assert result["rejects"][0]["input"] == "scan.pdf" and "binary" in result["rejects"][0]["reason"]


def test_posting_only_unreadable_input_is_a_problem_and_too_many_articles_are_refused(client):
    assert_problem(client.post("/api/articles", files={"files": ("blob.bin", b"\x00" * 300, "application/octet-stream")}), 422, "binary")
    body = {"articles": [{"text": f"Article numéro {n} sur la météo à Nantes."} for n in range(6)]}
    assert_problem(client.post("/api/articles", json=body), 413, "limit is 5")
    assert_problem(client.post("/api/articles", json={"articles": [{"text": ""}]}), 422, "articles[0].text")


# --- search, articles ----------------------------------------------------------------------------------
def test_search_filters_paginate_and_link_the_next_page(client):
    everything = client.get("/api/articles", params={"per_page": 2, "sort": "date"}).json()
    assert everything["total"] >= len(CORPUS) and len(everything["items"]) == 2
    assert everything["previous"] is None and "page=2" in everything["next"]
    second = client.get(everything["next"]).json()
    assert second["page"] == 2 and not {i["id"] for i in second["items"]} & {i["id"] for i in everything["items"]}
    spanish = client.get("/api/articles", params={"language": "es"}).json()
    assert [item["title"] for item in spanish["items"]] == [ES_SUMMIT["title"]]
    scholz = client.get("/api/articles", params={"q": "Scholz", "from": "2025-03-05"}).json()
    assert [item["language"] for item in scholz["items"]] == ["es"]


def test_search_by_entity_finds_it_in_every_language(client):
    found = client.get("/api/articles", params={"entity": "Olaf Scholz", "facets": "true"}).json()
    assert {item["language"] for item in found["items"]} == {"fr", "es"}
    languages = {row["value"]: row["articles"] for row in found["facets"]["language"]}
    assert languages == {"fr": 1, "es": 1}
    assert any(row["label"] == "Emmanuel Macron" for row in found["facets"]["entity"])


def test_search_facets_count_what_the_filters_match(client):
    body = client.get("/api/articles", params={"from": "2025-03-04", "to": "2025-03-05", "facets": "true"}).json()
    counted = sum(row["articles"] for row in body["facets"]["language"])
    assert counted == body["total"] >= 3
    assert {row["value"] for row in body["facets"]["month"]} == {"2025-03"}


@pytest.mark.parametrize(("extra", "narrower"), [({}, False), ({"q": "Scholz"}, True), ({"entity": "Emmanuel Macron"}, True),
                                                 ({"has_debris": "false"}, False), ({"has_translation": "true"}, False),
                                                 ({"has_foreign": "false", "language": "fr"}, True), ({"story": "of t-es-1"}, True)])
def test_search_facets_add_up_to_the_search_total_for_every_filter(client, extra, narrower):
    if "story" in extra:
        extra = {"story": client.get(f"/api/articles/{article_id_of(client, 't-es-1')}").json()["story_id"]}
    body = client.get("/api/articles", params={**extra, "facets": "true", "per_page": 1}).json()
    assert sum(row["articles"] for row in body["facets"]["language"]) == body["total"]
    if narrower:
        everything = client.get("/api/articles", params={"per_page": 1}).json()
        assert 0 < body["total"] < everything["total"]


def test_cached_facets_follow_a_newly_stored_article(client):
    def german_articles() -> int:
        facets = client.get("/api/articles", params={"facets": "true"}).json()["facets"]["language"]
        return next((row["articles"] for row in facets if row["value"] == "de"), 0)

    before = german_articles()
    assert german_articles() == before  # answered from the cache
    text = "Der Stadtrat von Regensburg hat am Donnerstag einen neuen Radweg entlang der Donau beschlossen."
    assert client.post("/api/articles", json={"title": "Neuer Radweg in Regensburg", "text": text}).status_code == 201
    assert german_articles() == before + 1


def test_bad_search_parameters_are_problems_naming_the_parameter(client):
    assert_problem(client.get("/api/articles", params={"per_page": 1000}), 422, "per_page")
    assert_problem(client.get("/api/articles", params={"from": "yesterday"}), 422, "from")
    assert_problem(client.get("/api/articles", params={"q": '"unclosed AND ('}), 400, "full-text")


def test_an_article_has_every_layer_its_provenance_its_links_and_its_story(client):
    article_id = article_id_of(client, "t-fr-1")
    article = client.get(f"/api/articles/{article_id}").json()
    for key in ("segments", "debris", "edits", "mentions", "entities", "times", "quotes", "figures", "diagnostics", "provenance",
                "links", "story_id"):
        assert key in article
    assert article["article_id"] == article_id
    assert_problem(client.get("/api/articles/987654"), 404, "987654")
    assert_problem(client.get("/api/articles/abc"), 422, "article_id")


# --- stories, entities, rejects -------------------------------------------------------------------------
def test_stories_list_and_story_with_timeline(client):
    listing = client.get("/api/stories", params={"per_page": 50}).json()
    assert listing["total"] >= 1
    story_id = client.get(f"/api/articles/{article_id_of(client, 't-es-1')}").json()["story_id"]
    assert story_id in {item["id"] for item in listing["items"]}
    story = client.get(f"/api/stories/{story_id}").json()
    assert {"timeline", "links", "headline", "languages", "size"} <= set(story)
    assert any(item["language"] == "es" for item in story["timeline"])
    assert_problem(client.get("/api/stories/no-such-story"), 404, "no-such-story")


def test_an_entity_has_aliases_by_language_dates_companions_and_quotations(client):
    listing = client.get("/api/entities", params={"q": "macron"}).json()
    macron = next(item for item in listing["items"] if item["name"] == "Emmanuel Macron")
    entity = client.get(f"/api/entities/{macron['id']}").json()
    assert {"fr", "es"} <= set(entity["aliases_by_language"])
    assert all(alias["script"] == "Latin" for aliases in entity["aliases_by_language"].values() for alias in aliases)
    assert {row["date"] for row in entity["timeline"]} >= {"2025-03-04", "2025-03-05"}
    assert "Olaf Scholz" in {row["name"] for row in entity["co_occurring"]}
    said = " ".join(quote["text"] for quote in entity["quotes"]["items"])
    assert "agir ensemble" in said or "actuar juntos" in said
    assert_problem(client.get("/api/entities/name:nobody-at-all"), 404, "name:nobody-at-all")


def test_entities_are_paginated_and_filtered_by_type(client):
    places = client.get("/api/entities", params={"type": "LOC", "per_page": 2}).json()
    assert places["per_page"] == 2 and len(places["items"]) <= 2 and places["total"] >= 2
    assert all(item["type"] == "LOC" for item in places["items"])
    assert_problem(client.get("/api/entities", params={"type": "ANIMAL"}), 422, "type")


def test_rejects_list_the_input_and_why(client):
    body = client.get("/api/rejects").json()
    assert body["total"] >= 1
    assert any(row["path"].endswith("binary.txt") and "binary" in row["reason"] for row in body["items"])


# --- errors, security -----------------------------------------------------------------------------------
def test_an_unexpected_error_reaches_the_client_without_its_details(client, store, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("secret internal detail /home/user/db")

    monkeypatch.setattr(store, "search", broken)
    body = assert_problem(client.get("/api/articles"), 500)
    assert "secret" not in json.dumps(body)
    page = client.get("/search", params={"q": "Lyon"})
    assert page.status_code == 500 and "secret" not in page.text and "Traceback" not in page.text
    assert "text/html" in page.headers["content-type"]


def test_unknown_paths_are_problems_under_api_and_pages_elsewhere(client):
    assert_problem(client.get("/api/nothing-here"), 404)
    page = client.get("/nothing-here")
    assert page.status_code == 404 and "text/html" in page.headers["content-type"] and "nothing at /nothing-here" in page.text


def test_hostile_article_text_is_escaped_in_every_page(client):
    article_id = article_id_of(client, "t-xss")
    pages = [f"/articles/{article_id}", "/search?q=Lyon", "/", "/stories", "/rejects"]
    for url in pages:
        html = client.get(url).text
        assert "<script>window.__pwned" not in html, url
        assert "<img src=x" not in html and "<svg onload" not in html, url
    article_page = client.get(f"/articles/{article_id}").text
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in article_page
    assert "&lt;img src=x onerror=" in article_page
    scripts = re.findall(r"<script\b[^>]*>", article_page)
    assert scripts == ['<script src="/static/app.js" defer>']


def test_another_sites_page_cannot_store_articles_through_the_browser(client, store):
    before = store.counts()["articles"]
    article = {"articles": [{"text": "Un article glissé par un autre site web, qui ne doit pas être stocké."}]}
    assert_problem(client.post("/api/articles", json=article, headers={"Origin": "https://evil.example"}), 403, "another web site")
    assert_problem(client.post("/api/articles", json=article, headers={"Sec-Fetch-Site": "cross-site"}), 403, "another web site")
    assert store.counts()["articles"] == before
    page = client.post("/analyse", data={"text": "Un texte."}, headers={"Origin": "https://evil.example"})
    assert page.status_code == 403 and "another web site" in page.text


def test_a_loopback_server_answers_only_to_loopback_host_names(store):
    app = create_app(store, ServeSettings(allowed_hosts=("127.0.0.1", "localhost")))
    with TestClient(app, base_url="http://127.0.0.1:8000") as local:
        assert local.get("/api/health").status_code == 200
    with TestClient(app, base_url="http://rebound.example:8000") as rebound:
        assert rebound.get("/api/health").status_code == 400


def test_pages_forbid_inline_scripts_and_framing(client):
    headers = client.get("/").headers
    assert "script-src 'self'" in headers["content-security-policy"] and "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"


def test_every_page_renders(client):
    article_id = article_id_of(client, "t-fr-1")
    story_id = client.get(f"/api/articles/{article_id}").json()["story_id"]
    entity_id = client.get("/api/entities", params={"q": "Scholz"}).json()["items"][0]["id"]
    for url in ["/", "/search", "/search?q=Scholz&language=fr", f"/articles/{article_id}", "/stories", "/stories?sort=largest",
                f"/stories/{story_id}", "/entities", "/entities?type=PER", f"/entities/{entity_id}", "/analyse", "/rejects", "/api/docs"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["content-type"].startswith("text/html")
        assert re.findall(r"<script\b[^>]*>", response.text) == ['<script src="/static/app.js" defer>'], url  # no third-party script


def test_the_analyse_page_shows_a_clear_error_for_a_binary_file(client):
    response = client.post("/analyse", files={"file": ("image.png", b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(range(256)), "image/png")},
                           data={"text": ""})
    assert response.status_code == 415
    assert "image.png is binary data, not text" in response.text


def test_the_openapi_schema_documents_the_endpoints(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    for path in ("/api/analyze", "/api/articles", "/api/articles/{article_id}", "/api/stories", "/api/stories/{story_id}",
                 "/api/entities", "/api/entities/{entity_id}", "/api/rejects"):
        assert path in paths, path


def test_serve_listens_on_loopback_unless_told_otherwise():
    from babelwire.cli import _parser

    args = _parser().parse_args(["serve", "--db", "x.sqlite"])
    assert (args.host, args.port, args.db) == ("127.0.0.1", 8000, "x.sqlite")
    assert ServeSettings().host == "127.0.0.1"


# --- the layered text of the article page ----------------------------------------------------------------
def layered_record() -> dict:
    text = "Titre du jour\n\nLe ministre Beloussovle a parlé. [Más armas para Putin]\n\nfr-02"
    glued = text.index("Beloussovle") + len("Beloussov")
    bracket = text.index("[Más")
    return {
        "text": text, "language": "fr",
        "segments": [{"start": 0, "end": 13, "kind": "title", "language": "fr", "confidence": 1.0},
                     {"start": 15, "end": bracket - 1, "kind": "sentence", "language": "fr", "confidence": 1.0}],
        "debris": [{"start": bracket, "end": text.index("]") + 1, "kind": "related-link", "reason": "related-article link",
                    "language": "es", "confidence": 1.0}],
        "edits": [{"start": glued, "end": glued, "kind": "glued-words", "reason": "glued", "replacement": " ", "original": ""},
                  {"start": text.index("\n\nfr-02"), "end": len(text), "kind": "metadata", "reason": "source tag", "replacement": "",
                   "original": "\n\nfr-02"}],
        "mentions": [{"start": text.index("Beloussov"), "end": glued, "text": "Beloussov", "type": "PER", "entity_id": "name:belousov"},
                     {"start": text.index("Putin"), "end": text.index("Putin") + 5, "text": "Putin", "type": "PER", "entity_id": "name:putin"}],
        "times": [], "quotes": [], "figures": [], "diagnostics": {},
    }


def test_layered_text_keeps_every_character_of_the_original_once():
    record = layered_record()
    layered = layered_text(record)
    shown = "\n\n".join("".join(p.text for p in block.pieces if not p.inserted) for block in layered.blocks)
    assert shown == record["text"]


def test_layered_text_marks_languages_debris_repairs_and_links():
    layered = layered_text(layered_record())
    pieces = [piece for block in layered.blocks for piece in block.pieces]
    spanish = [p for p in pieces if p.lang == "es"]
    assert "".join(p.text for p in spanish) == "[Más armas para Putin]"
    assert all("debris" in p.classes and "lang-other" in p.classes for p in spanish)
    (repair,) = [p for p in pieces if p.inserted]
    assert repair.text == " " and "“Beloussovle” → “Beloussov le”" in repair.title
    previous = pieces[pieces.index(repair) - 1]
    assert previous.text == "Beloussov" and previous.href == "/entities/name%3Abelousov"
    putin = next(p for p in pieces if p.text == "Putin")
    assert putin.href == "/entities/name%3Aputin"
    assert layered.blocks[0].tag == "h2" and "metadata-line" in layered.blocks[-1].classes
    assert layered.languages == [{"language": "es", "colour": "langc-0"}]


def test_layered_text_survives_offsets_outside_the_text():
    record = layered_record()
    record["mentions"].append({"start": 500, "end": 900, "text": "ghost", "type": "PER", "entity_id": "x"})
    record["times"].append({"start": -5, "end": 3, "text": "Tit", "type": "DATE", "value": "2025"})
    layered = layered_text(record)
    assert "".join(p.text for b in layered.blocks for p in b.pieces if not p.inserted).startswith("Titre")
