"""The center's logo is kept in the registry (issue 17, point 7): saved at one desk from a
file, printed at another that never had the file, on a shared PostgreSQL registry."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from pypdf import PdfReader

from incubator import reports
from incubator.db import Database
from incubator.services import narratives
from tests.factories import org

pytestmark = pytest.mark.postgres


def test_a_logo_saved_at_one_desk_prints_at_another(pg_db: Database, tmp_path) -> None:
    logo = tmp_path / "desk-one" / "logo.png"
    logo.parent.mkdir()
    Image.new("RGB", (180, 90), (31, 58, 95)).save(logo)
    org(pg_db, 1)
    narratives.set_center_info(pg_db, "天山区社会组织孵化基地", logo)
    logo.unlink()  # desk one's file is gone; desk two never had it
    desk_two = Database(pg_db.url)
    try:
        out = io.BytesIO()
        reports.center_report(desk_two, "2026", out, lang="zh_CN")
    finally:
        desk_two.dispose()
    cover = PdfReader(io.BytesIO(out.getvalue())).pages[0]
    sizes = [Image.open(io.BytesIO(image.data)).size for image in cover.images]
    assert (180, 90) in sizes, sizes
