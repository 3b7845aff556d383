"""gongkai: parse, check and compare 政府信息公开工作年度报告 (government information disclosure annual reports)."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("gongkai")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0"
