"""Discovery: token guesses, careers-page embeds, probing every ATS kind, and scoring."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from service.discover import Discovery, discover
from service.discover.embeds import careers_links, find_boards
from service.discover.slugs import domain_label, name_slugs, registered_domain
from service.settings import Settings
from tests.conftest import FIXTURES
from tests.discover_helpers import FakeWeb, northwind, orbital, page

SETTINGS = Settings(http_retries=0, sources="/nonexistent.toml")  # type: ignore[arg-type]


def run(
    web: FakeWeb, query: str | None = None, url: str | None = None, name: str | None = None
) -> Discovery:
    return asyncio.run(discover(SETTINGS, query, url, name=name, transport=web.transport))


def boards(found: Discovery) -> list[tuple[str, str, int]]:
    return [(c.ats, c.label, c.postings) for c in found.candidates]


# -- tokens a name yields -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Figure AI", ["figureai", "figure-ai", "figure"]),
        ("Acme, Inc.", ["acme"]),
        ("Scale AI Labs", ["scaleailabs", "scale-ai-labs", "scale", "scale"]),
        ("Müller & Söhne GmbH", ["mullerandsohne", "muller-and-sohne", "muller"]),
        ("xAI", ["xai"]),
        ("Google DeepMind", ["googledeepmind", "google-deepmind", "google"]),
    ],
)
def test_name_slugs(name: str, expected: list[str]) -> None:
    assert [s.token for s in name_slugs(name)] == list(dict.fromkeys(expected))
    assert name_slugs(name)[0].kind == "name"


def test_domains() -> None:
    assert domain_label("https://www.figure.ai/careers") == "figure"
    assert registered_domain("https://jobs.example.co.uk/x") == "example.co.uk"
    assert domain_label("https://jobs.example.co.uk/x") == "example"
    assert domain_label("http://localhost:8000/") is None


# -- what a careers page names ------------------------------------------------------------------


def test_every_embed_shape_on_one_page() -> None:
    refs = find_boards(page("embeds_gallery.html"))
    found = {(b.ats, b.token or b.url, b.api_base) for b in refs}
    assert len(refs) == len(found)  # each board once
    assert found == {
        ("ashby", "bluedot", None),
        ("smartrecruiters", "Ubisoft2", None),
        ("lever", "idealist", "https://api.eu.lever.co"),
        ("greenhouse", "anthropic", None),
        ("greenhouse", "mistral", None),
        ("greenhouse", "gitlab", None),
        ("lever", "matchgroup", None),
        ("ashby", "flock safety", None),
        ("workday", "https://nvidia.wd5.myworkdayjobs.com/NVIDIAExternalCareerSite", None),
        ("workday", "https://salesforce.wd12.myworkdayjobs.com/External_Career_Site", None),
        ("smartrecruiters", "Knight", None),
        ("workable", "zaelab", None),
        ("recruitee", "acme", None),
        ("personio", "acme-se", None),
        ("personio", "wolt", "https://wolt.jobs.personio.com"),
    }


def test_a_page_without_boards_names_none_but_lists_its_careers_links() -> None:
    assert find_boards(page("orbital_home.html")) == []
    assert [href for href, _ in careers_links(page("orbital_home.html"))] == [
        "/company/join-us",
        "/private/jobs-admin",
    ]


# -- discovery end to end, on a fake web --------------------------------------------------------

KIND_FIXTURE_COUNTS = {
    "greenhouse": 4,
    "lever": 4,
    "ashby": 4,
    "smartrecruiters": 3,
    "workable": 2,
    "recruitee": 3,
    "personio": 3,
}


@pytest.mark.parametrize("ats", sorted(KIND_FIXTURE_COUNTS))
def test_each_token_kind_is_found_from_the_name(ats: str) -> None:
    web = getattr(FakeWeb(), ats)("acmeanalytics")
    found = run(web, "Acme Analytics")
    assert boards(found) == [(ats, "acmeanalytics", KIND_FIXTURE_COUNTS[ats])]
    assert found.candidates[0].via == "name"
    # Every kind was asked about every token the name yields, and nothing else was asked.
    assert found.tried == 7 * len(name_slugs("Acme Analytics"))
    assert len(web.requests) == found.tried


def test_workday_is_found_from_a_link_on_the_careers_page() -> None:
    html = (
        '<a href="https://acme.wd5.myworkdayjobs.com/en-US/AcmeCareers/details/'
        'Engineer_JR1">Open roles</a>'
    )
    web = (
        FakeWeb()
        .text("www.acme-grid.com", "/careers", html)
        .workday("acme.wd5.myworkdayjobs.com", "acme", "AcmeCareers")
    )
    found = run(web, url="https://www.acme-grid.com/careers")
    assert boards(found) == [("workday", "https://acme.wd5.myworkdayjobs.com/AcmeCareers", 3)]
    assert found.candidates[0].via == "careers page"
    assert found.company == "Acme-grid"  # no og:site_name: the domain names it


def test_jsonld_careers_page_is_a_candidate() -> None:
    careers = (FIXTURES / "jsonld" / "careers.html").read_text(encoding="utf-8")
    web = (
        FakeWeb()
        .text("acme-robotics.example", "/careers", careers)
        .text(
            "acme-robotics.example",
            "/robots.txt",
            (FIXTURES / "jsonld" / "robots.txt").read_text(),
            "text/plain",
        )
    )
    found = run(web, "Acme Robotics", url="https://acme-robotics.example/careers")
    assert boards(found) == [("jsonld", "https://acme-robotics.example/careers", 1)]
    assert found.candidates[0].confidence == 0.7


def test_a_slug_that_differs_from_the_name() -> None:
    found = run(FakeWeb().greenhouse("figureai"), "Figure AI")
    assert boards(found) == [("greenhouse", "figureai", 4)]
    assert found.add_command() == "talentflow sources discover 'Figure AI' --add"


def test_custom_careers_domain_embedding_greenhouse() -> None:
    """The token (nwdynamics) is not one the name yields: only the page finds it."""
    web = northwind(FakeWeb())
    by_name = run(web, "Northwind Dynamics")
    assert not by_name.found
    found = run(web, "https://careers.northwind-dynamics.com/")
    assert found.company == "Northwind Dynamics"  # from og:site_name
    assert boards(found) == [("greenhouse", "nwdynamics", 4)]
    assert found.candidates[0].confidence == 0.9
    assert found.pages == ["https://careers.northwind-dynamics.com/"]


def test_two_boards_behind_a_join_us_link_and_robots_obeyed() -> None:
    web = orbital(FakeWeb())
    found = run(web, "orbitalfoods.com")
    assert boards(found) == [("greenhouse", "orbitalfoods", 4), ("ashby", "orbital-foods-eu", 4)]
    # The greenhouse token is also the domain's: a little more confidence.
    assert [c.confidence for c in found.candidates] == [0.95, 0.9]
    assert web.hits("orbitalfoods.com", "/private/jobs-admin") == 0
    assert web.hits("api.lever.co", "/v0/postings/orbital-secret") == 0
    assert any("robots.txt disallows" in n for n in found.notes)
    assert found.pages == ["https://orbitalfoods.com", "https://orbitalfoods.com/company/join-us"]


def test_robots_disallowing_everything_reads_no_page() -> None:
    web = northwind(FakeWeb()).text(
        "careers.northwind-dynamics.com",
        "/robots.txt",
        page("robots_disallow_all.txt"),
        "text/plain",
    )
    found = run(web, "https://careers.northwind-dynamics.com/")
    assert not found.found and found.pages == []
    assert web.hits("careers.northwind-dynamics.com", "/") == 0
    assert found.notes == ["robots.txt disallows https://careers.northwind-dynamics.com/"]


def test_an_unreachable_robots_txt_means_nothing_is_read() -> None:
    web = northwind(FakeWeb()).add(
        "careers.northwind-dynamics.com", "/robots.txt", lambda r: httpx.Response(503, text="busy")
    )
    found = run(web, "https://careers.northwind-dynamics.com/")
    assert not found.found and web.hits("careers.northwind-dynamics.com", "/") == 0
    assert "robots.txt" in found.notes[0] and "HTTP 503" in found.notes[0]


def test_page_names_a_board_that_does_not_exist() -> None:
    web = FakeWeb().text("www.gone.io", "/jobs", '<a href="https://jobs.lever.co/gone-co">Jobs</a>')
    found = run(web, url="https://www.gone.io/jobs")
    assert not found.found
    assert any(n.startswith("lever:gone-co (from the page): not found") for n in found.notes)


def test_eu_lever_and_personio_com_boards_keep_their_api_host() -> None:
    html = (
        '<a href="https://jobs.eu.lever.co/acme-eu">EU</a>'
        '<a href="https://acme-de.jobs.personio.com/">DE</a>'
    )
    web = (
        FakeWeb()
        .text("acme-eu.example", "/", html)
        .lever("acme-eu", host="api.eu.lever.co")
        .personio("acme-de", tld="com")
    )
    found = run(web, url="https://acme-eu.example/")
    assert [(c.ats, c.token, c.api_base) for c in found.candidates] == [
        ("lever", "acme-eu", "https://api.eu.lever.co"),
        ("personio", "acme-de", "https://acme-de.jobs.personio.com"),
    ]
    assert web.hits("api.lever.co", "/v0/postings/acme-eu") == 0


def test_empty_boards_rank_low_and_smartrecruiters_empty_is_not_found() -> None:
    web = (
        FakeWeb()
        .greenhouse("figure", "empty_board.json")
        .greenhouse("figureai")
        .smartrecruiters("figureai")
    )
    found = run(web, "Figure AI")
    assert boards(found) == [
        ("greenhouse", "figureai", 4),
        ("smartrecruiters", "figureai", 3),
        ("greenhouse", "figure", 0),
    ]
    empty = found.candidates[-1]
    assert empty.status == "empty" and empty.confidence == round(0.35 * 0.5, 2)
    # The SmartRecruiters fake answers "figure" and "figure-ai" with its empty 200, too.
    assert all(c.label == "figureai" for c in found.candidates if c.ats == "smartrecruiters")


def test_postings_linking_to_the_site_raise_confidence() -> None:
    html = '<a href="https://boards.greenhouse.io/xai">Open roles</a>'
    web = FakeWeb().text("x.ai", "/careers", html).greenhouse("xai")
    found = run(web, "xAI", url="https://x.ai/careers")
    # xai_jobs.json links to job-boards.greenhouse.io, not x.ai: no bonus, but name + page.
    assert found.candidates[0].confidence == 0.95
    web = FakeWeb().text("greenhouse.io", "/careers", html).greenhouse("xai")
    found = run(web, url="https://greenhouse.io/careers")
    assert found.candidates[0].confidence == 0.99  # page 0.9 + postings on its domain 0.1


def test_redirected_careers_page_is_read_at_its_final_address() -> None:
    web = northwind(FakeWeb()).redirect(
        "northwind-dynamics.com", "/careers", "https://careers.northwind-dynamics.com/"
    )
    found = run(web, url="northwind-dynamics.com/careers")
    assert found.url == "https://northwind-dynamics.com/careers"
    assert found.pages == ["https://careers.northwind-dynamics.com/"]
    assert boards(found) == [("greenhouse", "nwdynamics", 4)]


def test_nothing_to_search_for_is_refused() -> None:
    with pytest.raises(ValueError, match="company name or a careers-page URL"):
        run(FakeWeb(), "  ")


def test_guesses_are_retried_at_most_once() -> None:
    attempts: list[str] = []

    def flaky(request: httpx.Request) -> httpx.Response:
        attempts.append(request.url.host)
        raise httpx.ConnectError("no such host", request=request)

    web = FakeWeb().add("figureai.recruitee.com", "/api/offers/", flaky)
    settings = Settings(http_retries=2, http_backoff=0.0, sources="/nonexistent.toml")  # type: ignore[arg-type]
    found = asyncio.run(discover(settings, "Figure AI", transport=web.transport))
    assert not found.found and attempts == ["figureai.recruitee.com"] * 2
    assert settings.http_policy.retries == 2  # the caller's settings are left as they were


def test_a_name_and_a_url_together() -> None:
    web = northwind(FakeWeb()).greenhouse("northwind")
    found = run(web, "Northwind", url="https://careers.northwind-dynamics.com/", name="NW Dyn")
    assert found.company == "NW Dyn"
    assert boards(found) == [("greenhouse", "nwdynamics", 4), ("greenhouse", "northwind", 4)]
    assert found.add_command(2) == (
        "talentflow sources discover Northwind --url "
        "https://careers.northwind-dynamics.com/ --add --pick 2"
    )


def test_a_board_url_is_taken_as_it_is() -> None:
    web = FakeWeb().lever("people-ai").workday("acme.wd5.myworkdayjobs.com", "acme", "Ext")
    found = run(web, "https://jobs.lever.co/people-ai/")
    assert boards(found) == [("lever", "people-ai", 4)]
    assert found.candidates[0].via == "careers page" and found.pages == []
    assert web.hits("jobs.lever.co") == 0  # the board page itself is never fetched
    assert found.company == "people-ai"
    assert web.hits("boards-api.greenhouse.io", "/v1/boards/lever/jobs") == 0
    found = run(web, "Acme", url="https://acme.wd5.myworkdayjobs.com/en-US/Ext")
    assert boards(found) == [("workday", "https://acme.wd5.myworkdayjobs.com/Ext", 3)]
