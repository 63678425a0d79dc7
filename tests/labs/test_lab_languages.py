"""A lab's texts follow the reader's language on the labs index and the lab page (labs/<language>/<slug>.md)."""
from datetime import timedelta

from lms.dbtypes import utcnow
from lms.extensions import db


def test_italian_lab_pages_list_the_italian_equipment(client, make_session):
    lab = make_session(starts_at=utcnow() + timedelta(days=2)).lab
    lab.equipment = ["collaborative robot", "safety laser scanner"]
    lab.translations = {"it": {"equipment": ["robot collaborativo", "scanner laser di sicurezza"]}}
    db.session.commit()
    for url in (f"/labs/{lab.slug}", "/labs/"):
        italian = client.get(url, headers={"Accept-Language": "it"}).get_data(as_text=True)
        assert "<li>robot collaborativo</li>" in italian and "<li>scanner laser di sicurezza</li>" in italian
        assert "collaborative robot" not in italian
        english = client.get(url, headers={"Accept-Language": "en"}).get_data(as_text=True)
        assert "<li>collaborative robot</li>" in english and "robot collaborativo" not in english


def test_a_lab_without_italian_equipment_shows_it_as_written(client, make_session):
    lab = make_session(starts_at=utcnow() + timedelta(days=2)).lab
    lab.equipment = ["collaborative robot"]
    lab.translations = {"it": {"name": "Cella cobot"}}
    db.session.commit()
    italian = client.get(f"/labs/{lab.slug}", headers={"Accept-Language": "it"}).get_data(as_text=True)
    assert "Cella cobot" in italian and "<li>collaborative robot</li>" in italian
