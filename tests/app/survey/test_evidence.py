"""Evidence files and links: checked by content, stored apart, served only as attachments."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from app.survey.models import Evidence
from tests.app.conftest import login, page_form, submission_of
from tests.factories import UserFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489")


def upload(client: Any, submission: Any, name: str, content: bytes, **extra: str) -> Any:
    url = f"/survey/{submission.id}/legal"
    _, hidden = page_form(client, url)
    data: dict[str, Any] = {
        **hidden,
        "legal.law.exists": "yes",
        **extra,
        "file:legal.law.exists": (io.BytesIO(content), name),
    }
    return client.post(url, data=data, content_type="multipart/form-data")


def stored(db_session: Any) -> list[Evidence]:
    db_session.expire_all()
    return list(db_session.scalars(select(Evidence).order_by(Evidence.id)))


def test_a_pdf_is_stored_under_a_server_name_with_its_digest(
    app: Any, client: Any, db_session: Any, submission: Any, focal_point: Any
) -> None:
    login(client, focal_point)
    assert upload(client, submission, "../../etc/Loi n°2024-1.pdf", PDF).status_code == 302
    [evidence] = stored(db_session)
    assert evidence.original_name == "Loi n°2024-1.pdf"  # no path left in the name
    assert evidence.content_type == "application/pdf"
    assert evidence.size == len(PDF)
    assert len(evidence.sha256) == 64
    path = Path(app.config["UPLOAD_FOLDER"]) / evidence.storage_key[:2] / evidence.storage_key
    assert path.read_bytes() == PDF
    assert evidence.storage_key not in evidence.original_name


def test_download_is_an_attachment_for_those_allowed_only(
    app: Any, client: Any, db_session: Any, submission: Any, focal_point: Any, other_country: Any
) -> None:
    login(client, focal_point)
    upload(client, submission, "image.png", PNG)
    [evidence] = stored(db_session)
    url = f"/survey/{submission.id}/evidence/{evidence.id}"
    with client.get(url) as response:
        assert response.status_code == 200
        assert response.data == PNG
        assert response.headers["Content-Disposition"].startswith("attachment;")
        assert response.headers["Content-Type"] == "image/png"
        assert "no-store" in response.headers["Cache-Control"]

    stranger = app.test_client()
    login(stranger, UserFactory(country=other_country))
    assert stranger.get(url).status_code == 404
    # Nor through their own submission's address.
    theirs = submission_of(submission.campaign, other_country)
    assert stranger.get(f"/survey/{theirs.id}/evidence/{evidence.id}").status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "report.pdf",
            b"MZ\x90\x00\x03 this is a Windows program",
            "This type of file is not accepted",
        ),
        ("page.html", b"<html><script>alert(1)</script>\x00", "This type of file is not accepted"),
        ("empty.pdf", b"", "The file is empty"),
    ],
)
def test_refused_files_keep_the_answers_and_store_nothing(
    client: Any,
    db_session: Any,
    submission: Any,
    focal_point: Any,
    name: str,
    content: bytes,
    message: str,
) -> None:
    login(client, focal_point)
    response = upload(client, submission, name, content, **{"legal.law.remarks": "kept"})
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in text
    assert "kept</textarea>" in text
    assert stored(db_session) == []


def test_a_file_over_the_size_limit_is_refused(
    app: Any, client: Any, db_session: Any, submission: Any, focal_point: Any, monkeypatch: Any
) -> None:
    monkeypatch.setitem(app.config, "MAX_UPLOAD_SIZE", 1000)
    login(client, focal_point)
    response = upload(client, submission, "big.pdf", PDF + b"0" * 2000)
    assert response.status_code == 422
    assert "larger than the limit" in response.get_data(as_text=True)
    assert stored(db_session) == []
    leftovers = list(Path(app.config["UPLOAD_FOLDER"]).rglob(".upload-*"))
    assert leftovers == []


def test_links_are_checked_and_removal_is_recorded(
    client: Any, db_session: Any, submission: Any, focal_point: Any
) -> None:
    login(client, focal_point)
    url = f"/survey/{submission.id}/legal"
    _, hidden = page_form(client, url)
    bad = client.post(url, data={**hidden, "link:legal.law.exists": "javascript:alert(1)"})
    assert bad.status_code == 422
    _, hidden = page_form(client, url)
    good = client.post(url, data={**hidden, "link:legal.law.exists": "https://law.example.gov/act"})
    assert good.status_code == 302
    [link] = stored(db_session)
    assert link.url == "https://law.example.gov/act"
    _, hidden = page_form(client, url)
    assert client.post(url, data={**hidden, "remove_evidence": str(link.id)}).status_code == 302
    [removed] = stored(db_session)
    assert removed.is_deleted
    assert "https://law.example.gov/act" not in client.get(url).get_data(as_text=True)
