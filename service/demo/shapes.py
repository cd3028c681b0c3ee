"""Each board kind's response, rendered from the simulated world in the real API's shape
(the shapes of ``tests/fixtures/<ats>/``): the demo's history goes through the real scrapers."""

from __future__ import annotations

import hashlib
import html
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.utils import format_datetime
from typing import Any
from xml.sax.saxutils import escape

from service.demo.world import Lab, Opening, World

PUBLIC_HOST = "example.com"  # reserved for examples: links in the sample lead nowhere real
ID_NAMESPACE = uuid.UUID("7b1d2c53-8f0e-4a36-9a61-3f4c5d6e7f80")
SYMBOLS = {"USD": "$", "CAD": "CA$", "GBP": "£", "EUR": "€"}


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Call:
    method: str
    path: str  # below the board's prefix, e.g. ``/v1/boards/northwind/jobs``
    query: dict[str, str]
    body: bytes = b""


def json_reply(payload: Any, status: int = 200) -> Reply:
    return Reply(status, json.dumps(payload).encode())


NOT_FOUND = Reply(404, b'{"status":404,"error":"Not found"}')


def _iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def _money(amount: int, currency: str) -> str:
    if currency == "EUR":  # the continental spelling boards use: 90.000 €
        return f"€{amount:,}".replace(",", ".")
    return f"{SYMBOLS.get(currency, currency + ' ')}{amount:,}"


def pay_sentence(opening: Opening, week: int) -> str:
    band = opening.pay(week)
    if band is None:
        return ""
    low, high = (_money(v, opening.lab.currency) for v in band)
    per = "per annum" if opening.lab.currency == "GBP" else "per year"
    return f"The base salary range for this role is {low} - {high} {per}."


def description_html(opening: Opening, week: int, *, with_pay: bool) -> str:
    role, lab = opening.role, opening.lab
    parts = [
        f"<p>{html.escape(lab.name)} is hiring a <strong>{html.escape(role.title)}</strong> "
        f"for its {html.escape(role.team)} team in {html.escape(opening.location)}.</p>",
        "<p>This posting is part of the fictional talentflow demo sample.</p>",
        "<ul><li>Work with a small team</li><li>Ship to production every week</li></ul>",
    ]
    sentence = pay_sentence(opening, week) if with_pay else ""
    if sentence:
        parts.append(f"<p>{html.escape(sentence)}</p>")
    return "".join(parts)


def _plain(opening: Opening, week: int, *, with_pay: bool) -> str:
    role, lab = opening.role, opening.lab
    lines = [
        f"{lab.name} is hiring a {role.title} for its {role.team} team in {opening.location}.",
        "This posting is part of the fictional talentflow demo sample.",
    ]
    sentence = pay_sentence(opening, week) if with_pay else ""
    return "\n".join([*lines, sentence] if sentence else lines)


def _digest(text: str, length: int) -> str:
    """A stable identifier derived from ``text``."""
    return hashlib.sha256(text.encode()).hexdigest()[:length]


def _etagged(request: Call, headers: dict[str, str], payload: Any) -> Reply:
    """A JSON body with an ETag, answering 304 to a matching ``If-None-Match``."""
    body = json.dumps(payload).encode()
    etag = '"' + hashlib.sha256(body).hexdigest()[:20] + '"'
    if headers.get("if-none-match") == etag:
        return Reply(304, b"", headers={"ETag": etag})
    return Reply(200, body, headers={"ETag": etag})


# -- one renderer per board kind ---------------------------------------------------------------


def greenhouse(world: World, lab: Lab, request: Call, headers: dict[str, str]) -> Reply:
    if request.path != f"/v1/boards/{lab.slug}/jobs":
        return NOT_FOUND
    jobs = []
    board_url = f"https://jobs.{PUBLIC_HOST}/{lab.slug}"
    for o in world.open_roles(lab.slug):
        band = o.pay(world.week)
        jobs.append(
            {
                "absolute_url": f"{board_url}/jobs/{4_000_000 + o.number}",
                "internal_job_id": 3_000_000 + o.number,
                "location": {"name": o.location},
                "metadata": [
                    {
                        "id": 101,
                        "name": "Location Type",
                        "value": {"onsite": "On-Site", "hybrid": "Hybrid", "remote": "Remote"}[
                            o.workplace
                        ],
                        "value_type": "single_select",
                    }
                ],
                "id": 4_000_000 + o.number,
                "updated_at": _iso(world.posted_at(o)),
                "requisition_id": f"R-{o.number}",
                "title": o.role.title,
                "company_name": lab.name,
                "first_published": _iso(world.posted_at(o)),
                "language": "en",
                "content": html.escape(description_html(o, world.week, with_pay=False)),
                "departments": [
                    {
                        "id": 9000 + len(o.role.department),
                        "name": o.role.department,
                        "child_ids": [],
                        "parent_id": None,
                    }
                ],
                "offices": [
                    {
                        "id": 7001,
                        "name": o.location.split(",")[0],
                        "location": o.location,
                        "child_ids": [],
                        "parent_id": None,
                    }
                ],
                "pay_input_ranges": []
                if band is None
                else [
                    {
                        "min_cents": band[0] * 100,
                        "max_cents": band[1] * 100,
                        "currency_type": lab.currency,
                        "title": "Base Salary Range",
                        "blurb": "<p>Base pay depends on experience.</p>",
                    }
                ],
            }
        )
    return _etagged(request, headers, {"jobs": jobs, "meta": {"total": len(jobs)}})


def _uuid(lab: Lab, opening: Opening) -> str:
    return str(uuid.uuid5(ID_NAMESPACE, f"{lab.slug}/{opening.number}"))


def lever(world: World, lab: Lab, request: Call, headers: dict[str, str]) -> Reply:
    if request.path != f"/v0/postings/{lab.slug}":
        return NOT_FOUND
    postings = []
    for o in world.open_roles(lab.slug):
        band, ident = o.pay(world.week), _uuid(lab, o)
        body = description_html(o, world.week, with_pay=False)
        postings.append(
            {
                "additionalPlain": "Benefits\nHealth insurance and a learning budget.",
                "additional": "<div>Benefits</div><div>Health "
                "insurance and a learning budget.</div>",
                "categories": {
                    "commitment": "Full-time",
                    "department": o.role.department,
                    "location": o.location,
                    "team": o.role.team,
                    "allLocations": [o.location],
                },
                "createdAt": int(world.posted_at(o).timestamp() * 1000),
                "descriptionPlain": _plain(o, world.week, with_pay=False),
                "description": body,
                "id": ident,
                "lists": [
                    {
                        "text": "What you will do",
                        "content": "\n<li>Work with a small team</li>\n<li>Ship every week</li>",
                    }
                ],
                **(
                    {}
                    if band is None
                    else {
                        "salaryRange": {
                            "min": band[0],
                            "max": band[1],
                            "currency": lab.currency,
                            "interval": "per-year-salary",
                        }
                    }
                ),
                "text": o.role.title,
                "workplaceType": o.workplace,
                "hostedUrl": f"https://jobs.{PUBLIC_HOST}/{lab.slug}/{ident}",
                "applyUrl": f"https://jobs.{PUBLIC_HOST}/{lab.slug}/{ident}/apply",
            }
        )
    return json_reply(postings)


def ashby(world: World, lab: Lab, request: Call, headers: dict[str, str]) -> Reply:
    if request.path != f"/posting-api/job-board/{lab.slug}":
        return NOT_FOUND
    with_pay = request.query.get("includeCompensation") == "true"
    jobs = []
    for o in world.open_roles(lab.slug):
        band, ident = o.pay(world.week), _uuid(lab, o)
        job: dict[str, Any] = {
            "id": ident,
            "title": o.role.title,
            "department": o.role.department,
            "team": o.role.team,
            "employmentType": "FullTime",
            "location": o.location,
            "shouldDisplayCompensationOnJobPostings": band is not None,
            "secondaryLocations": [],
            "publishedAt": world.posted_at(o).isoformat(timespec="milliseconds"),
            "isListed": True,
            "isRemote": o.workplace != "onsite",
            "workplaceType": {"onsite": "OnSite", "hybrid": "Hybrid", "remote": "Remote"}[
                o.workplace
            ],
            "jobUrl": f"https://jobs.{PUBLIC_HOST}/{lab.slug}/{ident}",
            "applyUrl": f"https://jobs.{PUBLIC_HOST}/{lab.slug}/{ident}/application",
            "descriptionHtml": description_html(o, world.week, with_pay=False),
            "descriptionPlain": _plain(o, world.week, with_pay=False),
        }
        if with_pay and band is not None:
            summary = f"${band[0] // 1000}K - ${band[1] // 1000}K"
            salary = {
                "compensationType": "Salary",
                "interval": "1 YEAR",
                "currencyCode": lab.currency,
                "minValue": band[0],
                "maxValue": band[1],
            }
            job["compensation"] = {
                "compensationTierSummary": f"Offers Equity • {summary}",
                "scrapeableCompensationSalarySummary": summary,
                "compensationTiers": [
                    {
                        "id": "tier-0",
                        "tierSummary": summary,
                        "title": None,
                        "additionalInformation": None,
                        "components": [{"id": "c-0-0", "summary": summary, **salary}],
                    }
                ],
                "summaryComponents": [salary],
            }
        jobs.append(job)
    return _etagged(request, headers, {"jobs": jobs, "apiVersion": "1"})


def _workday_path(o: Opening) -> str:
    city = o.location.split(",")[0].replace(" ", "-")
    slug = "-".join(o.role.title.replace(",", "-").split())
    return f"/job/US-{city}/{slug}_JR{100_000 + o.number}"


def workday(world: World, lab: Lab, request: Call, headers: dict[str, str]) -> Reply:
    root = f"/wday/cxs/{lab.slug}/Careers"
    roles = world.open_roles(lab.slug)
    if request.method == "POST" and request.path == f"{root}/jobs":
        try:
            query = json.loads(request.body or b"{}")
            offset, limit = int(query.get("offset", 0)), min(int(query.get("limit", 20)), 20)
        except (ValueError, TypeError, AttributeError):
            return json_reply({"errorCode": "HTTP_400", "message": "bad request"}, 400)
        page = roles[offset : offset + limit]
        return json_reply(
            {
                "total": len(roles),
                "jobPostings": [
                    {
                        "title": o.role.title,
                        "externalPath": _workday_path(o),
                        "locationsText": o.location,
                        "postedOn": "Posted 2 Days Ago",
                        "bulletFields": [f"JR{100_000 + o.number}"],
                    }
                    for o in page
                ],
                "facets": [],
                "userAuthenticated": False,
            }
        )
    for o in roles if request.method == "GET" else []:
        if request.path == root + _workday_path(o):
            return json_reply(
                {
                    "jobPostingInfo": {
                        "id": _digest(_workday_path(o), 32),
                        "title": o.role.title,
                        "jobDescription": description_html(o, world.week, with_pay=True),
                        "location": o.location,
                        "postedOn": "Posted 2 Days Ago",
                        "startDate": world.posted_at(o).date().isoformat(),
                        "timeType": "Full time",
                        "jobReqId": f"JR{100_000 + o.number}",
                        "jobPostingId": _workday_path(o).rsplit("/", 1)[-1],
                        "remoteType": {"onsite": "On-site", "hybrid": "Hybrid", "remote": "Remote"}[
                            o.workplace
                        ],
                        "jobRequisitionLocation": {
                            "descriptor": o.location,
                            "country": {
                                "descriptor": "United States of America",
                                "alpha2Code": "US",
                            },
                        },
                        "externalUrl": f"https://{lab.slug}.{PUBLIC_HOST}/Careers{_workday_path(o)}",
                        "canApply": True,
                        "posted": True,
                    },
                    "hiringOrganization": {"name": lab.name, "url": ""},
                    "userAuthenticated": False,
                }
            )
    return NOT_FOUND


def _sr_item(world: World, lab: Lab, o: Opening) -> dict[str, Any]:
    city, region, *_ = [*o.location.split(", "), "", ""]
    ident = str(744_000_000_000_000 + o.number)
    return {
        "id": ident,
        "name": o.role.title,
        "uuid": _uuid(lab, o),
        "refNumber": f"REF{o.number}",
        "company": {"identifier": lab.slug, "name": lab.name},
        "releasedDate": world.posted_at(o)
        .isoformat(timespec="milliseconds")
        .replace("+00:00", "Z"),
        "location": {
            "city": city,
            "region": region,
            "country": "ca",
            "remote": o.workplace == "remote",
            "hybrid": o.workplace == "hybrid",
            "fullLocation": o.location,
        },
        "department": {"id": str(o.number), "label": o.role.department},
        "function": {"id": o.role.team.lower(), "label": o.role.team},
        "typeOfEmployment": {"id": "permanent", "label": "Full-time"},
        "visibility": "PUBLIC",
        "ref": f"https://api.{PUBLIC_HOST}/v1/companies/{lab.slug}/postings/{ident}",
        "language": {"code": "en", "label": "English", "labelNative": "English (US)"},
    }


def smartrecruiters(world: World, lab: Lab, request: Call, headers: dict[str, str]) -> Reply:
    root = f"/v1/companies/{lab.slug}/postings"
    items = [_sr_item(world, lab, o) for o in world.open_roles(lab.slug)]
    if request.path == root:
        try:
            offset, limit = int(request.query.get("offset", 0)), int(request.query.get("limit", 10))
        except ValueError:
            return json_reply({"message": "invalid offset or limit"}, 400)
        return json_reply(
            {
                "offset": offset,
                "limit": limit,
                "totalFound": len(items),
                "content": items[offset : offset + limit],
            }
        )
    for o, item in zip(world.open_roles(lab.slug), items, strict=True):
        if request.path == f"{root}/{item['id']}":
            url = f"https://jobs.{PUBLIC_HOST}/{lab.slug}/{item['id']}"
            return json_reply(
                {
                    **item,
                    "postingUrl": url,
                    "applyUrl": url,
                    "jobAd": {
                        "sections": {
                            "companyDescription": {
                                "title": "Company Description",
                                "text": f"<p>{html.escape(lab.name)} builds voice AI.</p>",
                            },
                            "jobDescription": {
                                "title": "Job Description",
                                "text": description_html(o, world.week, with_pay=False),
                            },
                            "qualifications": {
                                "title": "Qualifications",
                                "text": "<p>Experience shipping machine learning.</p>",
                            },
                            "additionalInformation": {
                                "title": "Additional Information",
                                "text": f"<p>{pay_sentence(o, world.week)}</p>",
                            },
                        }
                    },
                    "active": True,
                }
            )
    return NOT_FOUND


def workable(world: World, lab: Lab, request: Call, headers: dict[str, str]) -> Reply:
    if request.path != f"/api/v1/widget/accounts/{lab.slug}":
        return NOT_FOUND
    jobs = []
    for o in world.open_roles(lab.slug):
        code = _digest(f"{lab.slug}/{o.number}", 10).upper()
        city, country = o.location.split(", ")[0], o.location.split(", ")[-1]
        jobs.append(
            {
                "title": o.role.title,
                "shortcode": code,
                "code": f"{o.role.team[:2].upper()}-{o.number}",
                "employment_type": "Full-time",
                "telecommuting": o.workplace == "remote",
                "department": o.role.department,
                "url": f"https://apply.{PUBLIC_HOST}/j/{code}",
                "shortlink": f"https://apply.{PUBLIC_HOST}/j/{code}",
                "application_url": f"https://apply.{PUBLIC_HOST}/j/{code}/apply",
                "published_on": world.posted_at(o).date().isoformat(),
                "created_at": world.posted_at(o).date().isoformat(),
                "country": country,
                "city": city,
                "state": "",
                "description": description_html(o, world.week, with_pay=True),
                "locations": [
                    {
                        "country": country,
                        "countryCode": "GB",
                        "city": city,
                        "region": "",
                        "hidden": False,
                    }
                ],
            }
        )
    return _etagged(
        request,
        headers,
        {
            "name": lab.name,
            "description": f"<p>{html.escape(lab.name)} builds game worlds.</p>",
            "jobs": jobs,
        },
    )


def recruitee(world: World, lab: Lab, request: Call, headers: dict[str, str]) -> Reply:
    if request.path != "/api/offers/":
        return NOT_FOUND
    offers = []
    for o in world.open_roles(lab.slug):
        band = o.pay(world.week)
        city, country = o.location.split(", ")[0], o.location.split(", ")[-1]
        slug = "-".join(o.role.title.lower().replace(",", "").split())
        stamp = world.posted_at(o).strftime("%Y-%m-%d %H:%M:%S UTC")
        offers.append(
            {
                "id": 2_700_000 + o.number,
                "slug": slug,
                "title": o.role.title,
                "company_name": lab.name,
                "department": o.role.department,
                "status": "published",
                "location": o.location,
                "city": city,
                "country": country,
                "remote": o.workplace == "remote",
                "hybrid": o.workplace == "hybrid",
                "on_site": o.workplace == "onsite",
                "employment_type_code": "fulltime_permanent",
                "salary": {
                    "max": str(band[1]) if band else None,
                    "min": str(band[0]) if band else None,
                    "period": "year",
                    "currency": lab.currency,
                },
                "created_at": stamp,
                "published_at": stamp,
                "updated_at": stamp,
                "close_at": None,
                "careers_url": f"https://{lab.slug}.{PUBLIC_HOST}/o/{slug}",
                "description": description_html(o, world.week, with_pay=False),
                "requirements": "<ul><li><p>Experience shipping machine learning.</p></li></ul>",
                "tags": [],
            }
        )
    return _etagged(request, headers, {"offers": offers})


def personio(world: World, lab: Lab, request: Call, headers: dict[str, str]) -> Reply:
    if request.path != "/xml":
        return NOT_FOUND
    rows = []
    for o in world.open_roles(lab.slug):
        text = description_html(o, world.week, with_pay=True)
        rows.append(
            f"<position><id>{1_800_000 + o.number}</id><subcompany>{escape(lab.name)}</subcompany>"
            f"<office>{escape(o.location)}</office><department>{escape(o.role.department)}"
            f"</department><recruitingCategory>{escape(o.role.team)}</recruitingCategory>"
            f"<name>{escape(o.role.title)}</name><jobDescriptions><jobDescription>"
            f"<name>Your mission</name><value><![CDATA[{text}]]></value></jobDescription>"
            f"</jobDescriptions><employmentType>permanent</employmentType>"
            f"<schedule>full-time</schedule>"
            f"<createdAt>{world.posted_at(o).isoformat()}</createdAt></position>"
        )
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<workzag-jobs>'
        + "".join(rows)
        + "</workzag-jobs>\n"
    )
    return Reply(200, body.encode(), "text/xml; charset=utf-8")


Renderer = Callable[[World, Lab, Call, dict[str, str]], Reply]
RENDERERS: dict[str, Renderer] = {
    "greenhouse": greenhouse,
    "lever": lever,
    "ashby": ashby,
    "workday": workday,
    "smartrecruiters": smartrecruiters,
    "workable": workable,
    "recruitee": recruitee,
    "personio": personio,
}


def news_feed(world: World, base_url: str) -> Reply:
    """The sample news site's RSS 2.0 feed (newest first)."""
    items = []
    for n in world.news():
        published = format_datetime(world.at(n.week) - timedelta(days=1))
        link = f"https://news.{PUBLIC_HOST}/{n.week}/{_digest(n.title, 8)}"
        items.append(
            f"<item><title>{escape(n.title)}</title><link>{link}</link>"
            f'<guid isPermaLink="false">{link}</guid><pubDate>{published}</pubDate>'
            f"<description><![CDATA[<p>{n.summary}</p>]]></description></item>"
        )
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
        f"<title>Sample AI news</title><link>{escape(base_url)}/news/</link>"
        "<description>Fictional news for the talentflow demo</description>"
        + "".join(items)
        + "</channel></rss>\n"
    )
    return Reply(200, body.encode(), "application/rss+xml; charset=utf-8")


MAINTENANCE = Reply(
    200,
    b"<!doctype html><title>Down for maintenance</title><h1>We'll be back soon</h1>",
    "text/html; charset=utf-8",
)
UNAVAILABLE = Reply(503, b'{"error":"service unavailable"}')


def answer(
    world: World,
    base_url: str,
    method: str,
    path: str,
    query: dict[str, str],
    headers: dict[str, str],
    body: bytes,
) -> Reply:
    """Route ``/{lab slug}/{the board API's own path}`` (and ``/news/feed.xml``)."""
    head, _, rest = path.lstrip("/").partition("/")
    if head == "news" and rest == "feed.xml":
        return news_feed(world, base_url)
    lab = world.labs.get(head)
    renderer = RENDERERS.get(lab.ats) if lab else None
    if lab is None or renderer is None:
        return NOT_FOUND
    broken = world.breakage(lab.slug)
    if broken:
        return UNAVAILABLE if broken == "http" else MAINTENANCE
    return renderer(world, lab, Call(method, "/" + rest, query, body), headers)
