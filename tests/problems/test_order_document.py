"""The 督办单 prints: LibreOffice renders it on one A4 page with CJK fonts and its number."""

import subprocess
from datetime import date

import pytest

from keyprojects.core import render
from keyprojects.problems import documents
from tests.problems import builders

pytestmark = pytest.mark.django_db


def run(*cmd) -> str:
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


@pytest.mark.documents
def test_order_renders_to_one_a4_page(project, office, tmp_path):
    p = builders.problem(project, office, on=date(2022, 4, 6), deadline=date(2022, 4, 16))
    path = tmp_path / "order.docx"
    path.write_bytes(documents.order_docx(p.orders.get()))
    pdf = str(render.to_pdf(path, tmp_path))
    info = run("pdfinfo", pdf)
    text = "".join(run("pdftotext", "-layout", pdf, "-").split())
    assert "pts (A4)" in info
    assert int(info.split("Pages:")[1].split()[0]) == 1, text
    assert "NotoSerifCJK" in run("pdffonts", pdf)
    assert "〔2022〕第001号" in text
    assert "请刘科长同志牵头，于2022年4月16日前办结" in text
