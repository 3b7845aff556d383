"""Downloading a report page or attachment, politely, for users with internet access.

Nothing else in gongkai touches the network: parsing works on the saved file.
"""

from __future__ import annotations

import re
import urllib.error
import urllib.parse
import urllib.request
from email.message import Message
from pathlib import Path

from gongkai import __version__
from gongkai.errors import InputError, TooLarge
from gongkai.reading.files import MAX_BYTES

USER_AGENT = f"gongkai/{__version__} (government information disclosure report checker)"
_CHUNK = 64 * 1024
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


class FetchError(InputError):
    code = "fetch_failed"


def _filename(url: str, headers: Message) -> str:
    """The server's name for the file, else the last part of the URL path, else report.html."""
    name = headers.get_filename() or ""
    if not name:
        path = urllib.parse.unquote(urllib.parse.urlsplit(url).path)
        name = path.rstrip("/").rsplit("/", 1)[-1]
    name = _UNSAFE.sub("_", name).strip(". ") or "report"
    if "." not in name:
        name += ".pdf" if "pdf" in (headers.get_content_type() or "") else ".html"
    return name


def _free(path: Path) -> Path:
    if not path.exists():
        return path
    for n in range(1, 10_000):
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
        if not candidate.exists():
            return candidate
    raise FetchError("目标目录中同名文件过多", "too many files with the same name")


def fetch(url: str, out: Path, *, timeout: float = 20.0) -> Path:
    """Save the document at `url` into `out` (a directory, or a file path); return the saved path."""
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        raise FetchError("只能下载 http:// 或 https:// 开头的网址", f"unsupported URL scheme: {url}")
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            declared = int(response.headers.get("Content-Length") or 0)
            if declared > MAX_BYTES:
                raise TooLarge(f"文件过大（{declared // 1024 // 1024} MB），未下载", f"Content-Length {declared}")
            chunks, size = [], 0
            while chunk := response.read(_CHUNK):
                size += len(chunk)
                if size > MAX_BYTES:
                    raise TooLarge("文件过大，已停止下载", f"download exceeded {MAX_BYTES} bytes")
                chunks.append(chunk)
            target = out / _filename(response.geturl(), response.headers) if out.is_dir() else out
    except urllib.error.HTTPError as exc:
        raise FetchError(f"服务器返回错误 {exc.code}（{exc.reason}）", f"HTTP {exc.code} {exc.reason}") from exc
    except TimeoutError as exc:
        raise FetchError(f"连接超时（{timeout:g} 秒）", f"timed out after {timeout:g}s") from exc
    except urllib.error.URLError as exc:
        raise FetchError(f"无法连接：{exc.reason}", f"cannot connect: {exc.reason}") from exc
    target = _free(target)
    target.write_bytes(b"".join(chunks))
    return target
