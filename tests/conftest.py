from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "corpus" / "seeds"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS


def seed_path(prefix: str) -> Path:
    return next(SEEDS.glob(f"{prefix}_*.txt"))


@pytest.fixture(params=["pdfium", "pdfplumber"])
def pdf_reader(request, monkeypatch):
    """Each PDF reader in turn: pdfium, the default, and pdfplumber; both must give the same answer."""
    if request.param == "pdfplumber":
        monkeypatch.setenv("GONGKAI_PDF_READER", "pdfplumber")
    else:
        monkeypatch.delenv("GONGKAI_PDF_READER", raising=False)
    return request.param
