"""Documents to PDF with LibreOffice headless, with the government fonts mapped (fonts/fonts.conf).

Each conversion gets its own LibreOffice profile: two conversions sharing one fail (one exits 1
and writes nothing).
"""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

FONTS_CONF = Path(__file__).resolve().parent / "fonts" / "fonts.conf"


class RenderUnavailable(RuntimeError):
    """LibreOffice is not installed on this machine."""


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        raise RenderUnavailable("本机未安装 LibreOffice，无法生成 PDF")
    return found


def to_pdf(source: Path, outdir: Path, timeout: int = 180) -> Path:
    """Convert `source` (.docx, .xlsx …) to PDF in `outdir`; returns the PDF's path."""
    profile = tempfile.mkdtemp(prefix="kp-lo-")
    try:
        env = {**os.environ, "HOME": profile, "FONTCONFIG_FILE": str(FONTS_CONF)}
        subprocess.run(
            [
                soffice(),
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(outdir),
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=timeout,
            env=env,
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    pdf = Path(outdir) / (Path(source).stem + ".pdf")
    if not pdf.exists():
        raise RuntimeError(f"LibreOffice 未能生成 {pdf.name}")
    return pdf
