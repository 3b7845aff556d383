"""信息处理费 per 《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）.

Two methods, both 超额累进 (each band's rate applies only to the units inside it);
one method per request, never both (第三条).  The bands are data: spec/ledger.toml.

- 按件计收: per applicant per natural month, by the month's running count of requests.
  `fee_by_piece(n)` is the total for n requests in the month; the fee of the k-th
  request is `fee_by_piece(k).amount - fee_by_piece(k - 1).amount`.
- 按量计收: per request, by pages.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from gongkai.ledger.model import SPEC, Request


@dataclass(frozen=True)
class Band:
    first: int  # first unit of the band (1-based)
    last: int  # last unit charged in this band
    rate: Decimal  # 元 per unit
    units: int
    amount: Decimal


@dataclass(frozen=True)
class Fee:
    amount: Decimal  # 元
    bands: list[Band] = field(default_factory=list)
    method: str = ""
    unit: str = ""

    def explain(self) -> str:
        """The computation in Chinese, band by band."""
        charged = [b for b in self.bands if b.units]
        if not charged:
            return "不收费"
        parts = [
            f"第{b.first}—{b.last}{self.unit}{b.units}{self.unit}×{b.rate}元＝{b.amount}元" for b in charged if b.rate
        ]
        free = [b for b in charged if not b.rate]
        head = [f"第{b.first}—{b.last}{self.unit}不收费" for b in free]
        return "；".join(head + parts) + f"；合计{self.amount}元"


def _bands(spec: dict, n: int) -> list[tuple[int, int | None, Decimal]]:
    """(first, last or None, rate) for every band that n units reach."""
    out: list[tuple[int, int | None, Decimal]] = []
    first = 1
    for b in spec["bands"]:
        last = b.get("upto")
        out.append((first, last, Decimal(b["rate"])))
        if last is None:
            return out
        first = last + 1
    # the open bands of 按件: "以10件为一档，每增加一档，收费标准提高100元/件"
    step, rate = spec["open_step"], Decimal(spec["open_first_rate"])
    while first <= max(n, 1):
        out.append((first, first + step - 1, rate))
        first += step
        rate += Decimal(spec["open_increment"])
    return out


def _fee(kind: str, n: int) -> Fee:
    if not isinstance(n, int) or n < 0:
        raise ValueError(f"数量须为非负整数：{n!r}")
    spec = SPEC["fees"][kind]
    bands: list[Band] = []
    total = Decimal(0)
    for first, last, rate in _bands(spec, n):
        if n < first:
            break
        top = n if last is None else min(n, last)
        units = top - first + 1
        amount = rate * units
        bands.append(Band(first, top, rate, units, amount))
        total += amount
    return Fee(total, bands, spec["label"], spec["unit"])


def fee_by_piece(count_in_month: int) -> Fee:
    """按件计收: the fee for `count_in_month` requests of one applicant in one natural month."""
    return _fee("piece", count_in_month)


def fee_by_volume(pages: int) -> Fee:
    """按量计收: the fee for one request of `pages` pages."""
    return _fee("volume", pages)


def piece_fee_of(nth_in_month: int) -> Decimal:
    """The fee of the n-th request of an applicant in a month (按件, marginal)."""
    return fee_by_piece(nth_in_month).amount - fee_by_piece(max(nth_in_month - 1, 0)).amount


def applicant_key(request: Request) -> str:
    """Who "the same applicant" is for 按件计收: the ID number, else the name and contact."""
    return request.id_number.strip() or f"{request.applicant_name.strip()}|{request.contact.strip()}"


def piece_schedule(requests: Iterable[Request]) -> dict[str, tuple[int, Decimal]]:
    """按件计收 for a whole ledger: request id → (its rank in the applicant's natural month, its fee).

    Every request counts towards the month's total (第四条: 按件计收适用于所有处理决定类型), in
    order of receipt; requests without any applicant identity are left out.
    """
    months: dict[tuple[str, int, int], list[Request]] = {}
    for r in requests:
        who = applicant_key(r)
        if who.strip("|"):
            months.setdefault((who, r.received.year, r.received.month), []).append(r)
    out: dict[str, tuple[int, Decimal]] = {}
    for batch in months.values():
        for nth, r in enumerate(sorted(batch, key=lambda r: (r.received, r.id)), 1):
            out[r.id] = (nth, piece_fee_of(nth))
    return out


__all__ = ["Band", "Fee", "applicant_key", "fee_by_piece", "fee_by_volume", "piece_fee_of", "piece_schedule"]
