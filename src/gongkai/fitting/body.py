"""The report body of a saved web page: from the report's title to the end of its last section.

Government pages wrap the report in navigation, share buttons, "上一篇/下一篇"
links and a footer (主办, 网站标识码, ICP备案 …).  Figures in that furniture are not
the report's, so prose checks read only the body.
"""

from __future__ import annotations

import re

from gongkai.reading.document import Document

_FOOTER = re.compile(
    r"主办(?:单位)?[:：]|承办(?:单位)?[:：]|网站标识码|ICP备|公网安备|版权所有|联系我们|网站地图|站点地图|技术支持[:：]"
    r"|Copyright|©|【\s*打印|【\s*关闭|打印本页|关闭窗口|分享到|上一篇|下一篇|相关链接|扫一扫在手机"
)


def body_span(doc: Document, title: str | None, last_heading_end: int | None) -> tuple[int, int]:
    """(start, end) of the body in the rendered text."""
    text = doc.folded
    start = 0
    if title:
        found = text.find(title)
        if found >= 0:
            start = text.rfind("\n", 0, found) + 1
    end = len(text)
    footer = _FOOTER.search(text, last_heading_end if last_heading_end is not None else start)
    if footer:
        end = text.rfind("\n", 0, footer.start()) + 1 or footer.start()
    return start, max(start, end)
