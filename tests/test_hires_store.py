"""Recording hires: dedupe within 30 days, the outbox event, filters, flows and linking."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from store.hires import NewHire, company_talent, flows, list_hires, record_hire
from store.models import Board, Company, Event, Hire, Posting
from store.queries import CursorError
from tests.conftest import at


def add(
    session: Session, person: str, to: str, frm: str | None, when: str, **extra: object
) -> tuple[Hire, bool]:
    return record_hire(
        session,
        NewHire(person=person, to_company=to, from_company=frm, announced_at=at(when), **extra),
    )  # type: ignore[arg-type]


def test_same_move_within_30_days_is_one_hire_with_more_reports(engine: Engine) -> None:
    with Session(engine) as session:
        first, created = add(session, "Ethan He", "xAI", None, "2026-11-01T08:00")
        again, created_again = add(
            session, "ethan  he", "XAI", "NVIDIA", "2026-11-20T08:00", role="researcher"
        )
        later, created_later = add(session, "Ethan He", "xAI", "NVIDIA", "2027-01-15T08:00")
        session.commit()
        assert created and not created_again and created_later
        assert again.id == first.id and later.id != first.id
        row = session.get(Hire, first.id)
        assert row is not None
        assert (row.reports, row.from_company, row.role) == (2, "NVIDIA", "researcher")
        events = session.exec(select(Event).order_by(Event.id)).all()  # type: ignore[arg-type]
        assert [(e.type, e.hire_id) for e in events] == [
            ("hire.announced", first.id),
            ("hire.announced", later.id),
        ]
        assert events[0].data["hire"]["person"] == "Ethan He"
        assert events[0].data["hire"]["to_company"] == "xAI"


def test_event_and_hire_share_the_transaction(engine: Engine) -> None:
    with Session(engine) as session:
        add(session, "Jane Smith", "OpenAI", "Google DeepMind", "2026-11-02T08:00")
        session.rollback()
    with Session(engine) as session:
        assert session.exec(select(Hire)).all() == []
        assert session.exec(select(Event)).all() == []


def test_unknown_origin_is_refused(engine: Engine) -> None:
    with Session(engine) as session, pytest.raises(ValueError, match="origin"):
        add(session, "A B", "xAI", None, "2026-11-02T08:00", origin="guess")


def seed(session: Session) -> None:
    add(session, "Zeeshan Patel", "xAI", "NVIDIA", "2026-10-01T08:00")
    add(session, "Ethan He", "xAI", "NVIDIA", "2026-10-02T08:00")
    add(session, "Jane Smith", "OpenAI", "Google DeepMind", "2026-11-05T08:00")
    add(session, "Chris Olah", "Anthropic", None, "2026-11-06T08:00")
    add(session, "Ruoming Pang", "Meta", "Apple", "2026-11-07T08:00")
    session.commit()


def test_list_filters_by_company_on_either_side_and_since(engine: Engine) -> None:
    with Session(engine) as session:
        seed(session)
        names = [h["person"] for h in list_hires(session, companies=["nvidia"]).items]
        assert names == ["Ethan He", "Zeeshan Patel"]
        assert [h["person"] for h in list_hires(session, companies=["Google DeepMind"]).items] == [
            "Jane Smith"
        ]
        recent = list_hires(session, since=date(2026, 11, 6)).items
        assert [h["person"] for h in recent] == ["Ruoming Pang", "Chris Olah"]
        page = list_hires(session, limit=2)
        assert len(page.items) == 2 and page.next_cursor
        rest = list_hires(session, limit=10, cursor=page.next_cursor)
        assert len(rest.items) == 3 and rest.next_cursor is None
        with pytest.raises(CursorError):
            list_hires(session, cursor="nonsense")


def test_flows_count_edges_and_skip_unknown_origins(engine: Engine) -> None:
    with Session(engine) as session:
        seed(session)
        assert flows(session) == [
            {"from": "NVIDIA", "to": "xAI", "count": 2},
            {"from": "Apple", "to": "Meta", "count": 1},
            {"from": "Google DeepMind", "to": "OpenAI", "count": 1},
        ]
        assert flows(session, since=date(2026, 11, 1), until=date(2026, 11, 5)) == [
            {"from": "Google DeepMind", "to": "OpenAI", "count": 1}
        ]


def test_talent_links_hires_to_open_roles_on_the_same_team(engine: Engine) -> None:
    with Session(engine) as session:
        company = Company(name="xAI")
        session.add(company)
        session.flush()
        board = Board(
            key="greenhouse:xai", company_id=company.id or 0, ats="greenhouse", token="xai"
        )
        session.add(board)
        session.flush()
        common = {
            "board_id": board.id,
            "company_id": company.id,
            "content_hash": "x",
            "first_seen_at": at("2026-11-01T08:00"),
            "last_seen_at": at("2026-11-01T08:00"),
        }
        session.add(
            Posting(
                external_id="1",
                title="Member of Technical Staff, Omni",
                team="Omni",
                topics=["world-models"],
                pay_min=180000,
                pay_max=440000,
                pay_currency="USD",
                pay_period="year",
                **common,
            )
        )
        session.add(Posting(external_id="2", title="Accountant", team="Finance", **common))
        add(
            session,
            "Zeeshan Patel",
            "xAI",
            "NVIDIA",
            "2026-11-02T08:00",
            evidence="The pair worked on world models for the omni team at Nvidia.",
        )
        add(session, "Ada Byron", "OpenAI", "xAI", "2026-11-03T08:00")
        session.commit()
        view = company_talent(session, "xAI")
        assert view["open_roles"] == 2
        (linked,) = view["hires"]  # the move out of xAI is not a hire into it
        assert linked["hire"]["person"] == "Zeeshan Patel"
        assert [p["title"] for p in linked["open_roles"]] == ["Member of Technical Staff, Omni"]
        assert linked["open_roles"][0]["pay"]["max"] == 440000
