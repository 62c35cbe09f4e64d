"""Make the encrypted PDFs under tests/fixtures (run once; needs qpdf: apt-get install qpdf).

    python scripts/make_encrypted_pdfs.py

encrypted-user-password.pdf  opens only with the password "matkhau" (AES-256): danvan must
                             refuse it, saying it is encrypted.
encrypted-owner-only.pdf     encrypted with an owner password only, as many published PDFs are
                             (it restricts printing or copying, anyone can open it): danvan reads it.

The plain PDF inside is written by hand (two pages of ASCII text in Helvetica), so the fixtures
are a few kilobytes and hold no real document.
"""
from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests" / "fixtures"

LINES = ["UY BAN NHAN DAN TINH X", "So: 12/KH-UBND", "KE HOACH",
         "Thuc hien cong tac dan van chinh quyen nam 2025",
         "I. MUC DICH, YEU CAU", "1. Bao cao ket qua truoc ngay 15/11/2025."]


def plain_pdf() -> bytes:
    sys.path.insert(0, str(ROOT / "tests"))
    from test_reliability import pdf_bytes
    return pdf_bytes([LINES, LINES[3:]])


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "plain.pdf"
        src.write_bytes(plain_pdf())
        for name, user in (("encrypted-user-password.pdf", "matkhau"), ("encrypted-owner-only.pdf", "")):
            subprocess.run(["qpdf", "--encrypt", user, "chu-so-huu", "256", "--",
                            str(src), str(OUT / name)], check=True)
            print(OUT / name)


if __name__ == "__main__":
    main()
