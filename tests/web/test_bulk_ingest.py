"""`gongkai ingest`: folders and zips into the database in parallel, as the upload page stores them; resumable."""

import os
import shutil
import subprocess
import sys

import pytest

from gongkai.proving import synth
from gongkai.web.bulk_ingest import ingest_paths
from gongkai.web.center.models import Cell, Document, Report
from gongkai.web.center.services.ingest import ingest_bytes
from tests.web.conftest import ROOT, SEEDS, make_zip
from tests.web.test_postgres import SERVER, _server_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def folder(tmp_path):
    """Generated reports in every file format, the seeds (two of them also in a zip, one copied twice) and
    files the upload page refuses."""
    root = tmp_path / "reports"
    synth.write_corpus(root / "gen", 8, seed=5, layouts=("cell_per_line", "html", "docx", "xlsx", "pdf"))
    for expected in root.glob("gen/*.expected.json"):
        expected.unlink()
    shutil.copytree(SEEDS, root / "seeds")
    shutil.copy(next(SEEDS.glob("000_*")), root / "seeds" / "copy-of-000.txt")
    seeds = sorted(SEEDS.glob("*.txt"))
    (root / "two.zip").write_bytes(make_zip({p.name: p.read_bytes() for p in seeds[:2]} | {"note.txt": b"hello"}))
    (root / "broken.zip").write_bytes(b"PK\x03\x04 not really a zip")
    (root / "empty.txt").write_bytes(b"")
    with (root / "huge.txt").open("wb") as fh:
        fh.truncate(100 * 1024 * 1024)  # sparse: refused by its size before it is read
    return root


def _table(outcomes):
    return [(o.item.shown.split("/reports/", 1)[-1], o.status, o.code) for o in outcomes]


def test_bulk_load_stores_dedupes_and_refuses_like_the_upload_page(folder, settings):
    outcomes = []
    summary = ingest_paths([folder], jobs=2, timeout=120, on_outcome=outcomes.append)
    rows = _table(outcomes)
    assert [r[0] for r in rows][:3] == ["broken.zip", "empty.txt", "gen/" + sorted(os.listdir(folder / "gen"))[0]]
    assert dict(summary.counts) == {"created": 13, "duplicate": 3, "refused": 4}
    refused = {r[0]: r[2] for r in rows if r[1] == "refused"}
    assert refused == {
        "broken.zip": "bad_zip",
        "empty.txt": "not_a_report",
        "huge.txt": "too_large",
        "two.zip:note.txt": "not_a_report",
    }
    assert (
        {r[0] for r in rows if r[1] == "duplicate"}
        == {
            "seeds/copy-of-000.txt",  # after 000_shijiazhuang_2021.txt, the same bytes
            *(f"two.zip:{p.name}" for p in sorted(SEEDS.glob("*.txt"))[:2]),
        }
    )
    assert Report.objects.count() == Document.objects.count() == 13
    assert sum(summary.reasons.values()) == 4

    # Stored exactly as the upload page stores the same bytes: parse, cells, agency placement, year, status.
    stored = {
        r.document.sha256: (r.agency_id, r.year, r.format, r.status, r.parsed, r.cell_rows.count())
        for r in Report.objects.select_related("document")
    }
    originals = {r.document.sha256: r.document.file.read() for r in Report.objects.select_related("document")}
    names = {r.document.sha256: r.document.filename for r in Report.objects.select_related("document")}
    Report.objects.all().delete()
    Document.objects.all().delete()
    for digest, data in originals.items():
        report = ingest_bytes(data, names[digest]).report
        assert (report.agency_id, report.year, report.format, report.status, report.parsed) == stored[digest][:5]
        assert report.cell_rows.count() == stored[digest][5]


def test_second_run_skips_what_is_stored(folder):
    first = ingest_paths([folder], jobs=2)
    cells = Cell.objects.count()
    second = ingest_paths([folder], jobs=2)
    assert second.counts["created"] == 0
    assert second.counts["duplicate"] == first.counts["created"] + first.counts["duplicate"]
    assert second.counts["refused"] == first.counts["refused"]
    assert Cell.objects.count() == cells and Report.objects.count() == first.counts["created"]


def test_serial_run_gives_the_same_outcomes(folder):
    serial = []
    ingest_paths([folder], jobs=1, on_outcome=serial.append)
    Report.objects.all().delete()
    Document.objects.all().delete()
    parallel = []
    ingest_paths([folder], jobs=2, on_outcome=parallel.append)
    assert _table(parallel) == _table(serial)


def _cli(*args, env_extra=None, tmp_path):
    env = os.environ | {"GONGKAI_DATA_DIR": str(tmp_path / "data")} | (env_extra or {})
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "gongkai", "ingest", *args], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=300,
    )  # fmt: skip


def test_cli_on_postgresql_resumes_and_prints_the_table(folder, tmp_path):
    if not _server_answers():
        pytest.skip("PostgreSQL 未在 127.0.0.1:5432 运行")
    import psycopg

    name = "scale_ingest"
    with psycopg.connect(f"{SERVER}/test", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {name}")
    try:
        url = f"{SERVER}/{name}"
        first = _cli(str(folder), "--database-url", url, "--jobs", "2", tmp_path=tmp_path)
        assert first.returncode == 2, first.stderr  # some files were refused
        assert "Traceback" not in first.stderr
        assert "新入库 / stored" in first.stderr and "│             13 │" in first.stderr
        assert "未入库" in first.stderr and "huge.txt" in first.stderr and "过大" in first.stderr
        with psycopg.connect(url) as conn:
            assert conn.execute("SELECT count(*) FROM center_report").fetchone()[0] == 13
            assert conn.execute("SELECT count(*) FROM center_report WHERE agency_id IS NOT NULL").fetchone()[0] >= 5
        second = _cli(str(folder / "seeds"), "--database-url", url, "--jobs", "2", tmp_path=tmp_path)
        assert second.returncode == 0, second.stderr
        assert "已存在（相同内容，跳过） / duplicate │              6 │" in second.stderr
        with psycopg.connect(url) as conn:
            assert conn.execute("SELECT count(*) FROM center_report").fetchone()[0] == 13
    finally:
        with psycopg.connect(f"{SERVER}/test", autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def test_cli_bad_database_url_is_one_clear_line(tmp_path):
    result = _cli(str(SEEDS), "--database-url", "postgres://nobody@127.0.0.1:1/none", tmp_path=tmp_path)
    assert result.returncode == 2
    assert "无法连接或初始化数据库" in result.stderr and "Traceback" not in result.stderr


def test_a_folder_is_listed_when_the_walk_reaches_it_not_all_at_the_start(tmp_path):
    from gongkai.web.bulk_ingest import walk

    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "1.txt").write_text("x")
    items = walk([tmp_path], {".txt"})
    assert next(items).name == "1.txt"
    # Written once the walk has started: found, because no path of the whole tree was collected up front
    # (a run over 100,000 files held them all for its whole length).
    (tmp_path / "b" / "2.txt").write_text("y")
    assert [item.name for item in items] == ["2.txt"]


def test_the_walk_keeps_the_order_of_a_sorted_rglob(tmp_path):
    from gongkai.web.bulk_ingest import files_under

    for name in ("a/x.txt", "a b/y.txt", "a.txt", "a-1/z/deep.docx", "B.pdf", "b/.hidden.txt", "c.zip", "a/w/v.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(name)
    (tmp_path / "link-to-a").symlink_to(tmp_path / "a", target_is_directory=True)  # not followed, as by rglob
    (tmp_path / "link.txt").symlink_to(tmp_path / "a.txt")
    expected = [p for p in sorted(tmp_path.rglob("*")) if p.is_file()]
    assert list(files_under(tmp_path)) == expected and len(expected) == 9
