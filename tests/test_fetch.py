"""`gongkai fetch` against a local HTTP server only (tests never reach the internet)."""

import http.server
import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gongkai.cli import app
from gongkai.fetch import FetchError, fetch

PAGE = (Path(__file__).parent / "data" / "report_2021.html").read_bytes()


class _Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):  # keep test output clean
        pass

    def do_GET(self):
        if self.path.startswith("/slow"):
            time.sleep(3)
        if self.path.endswith("/report.html") or self.path.startswith("/slow"):
            body, kind = PAGE, "text/html; charset=utf-8"
        elif self.path.endswith("/attachment"):
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Content-Disposition", 'attachment; filename="nianbao.txt"')
            self.end_headers()
            self.wfile.write("某街道2021年度政府信息公开工作年度报告".encode())
            return
        else:
            self.send_error(404, "Not Found")
            return
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_fetch_page_and_parse(server, tmp_path):
    result = CliRunner().invoke(app, ["fetch", f"{server}/zwgk/report.html", "--out", str(tmp_path), "--parse"])
    assert result.exit_code == 0, result.output
    saved = tmp_path / "report.html"
    assert saved.read_bytes() == PAGE
    assert "某某区人民政府" in result.stdout and "已保存" in result.stderr


def test_attachment_name_and_no_overwrite(server, tmp_path):
    first = fetch(f"{server}/files/attachment", tmp_path)
    second = fetch(f"{server}/files/attachment", tmp_path)
    assert (first.name, second.name) == ("nianbao.txt", "nianbao-1.txt")


def test_http_error(server, tmp_path):
    with pytest.raises(FetchError) as info:
        fetch(f"{server}/missing.html", tmp_path)
    assert "404" in info.value.message_zh


def test_timeout_is_polite_and_bounded(server, tmp_path):
    started = time.monotonic()
    with pytest.raises(FetchError) as info:
        fetch(f"{server}/slow", tmp_path, timeout=0.5)
    assert "超时" in info.value.message_zh
    assert time.monotonic() - started < 3


def test_refuses_other_schemes(tmp_path):
    result = CliRunner().invoke(app, ["fetch", "file:///etc/passwd", "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "http://" in result.stderr
