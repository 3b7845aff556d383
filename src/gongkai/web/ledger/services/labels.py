"""Chinese names of the core's codes."""

from __future__ import annotations

from gongkai.ledger import model as core
from gongkai.ledger.clock import STATE_LABELS

STATES = dict(STATE_LABELS)  # the order of the list's state filter


def applicant_types() -> dict[str, str]:
    return dict(core.APPLICANT_FULL_LABELS)


def outcomes() -> dict[str, str]:
    return dict(core.OUTCOME_LABELS)


def outcome_short() -> dict[str, str]:
    return dict(core.OUTCOME_SHORT)


def channels() -> dict[str, str]:
    return dict(core.CHANNEL_LABELS)


def event_kinds() -> dict[str, str]:
    return dict(core.EVENT_LABELS)


def parties() -> dict[str, str]:
    return dict(core.PARTY_LABELS)


def case_kinds() -> dict[str, str]:
    return dict(core.CASE_KIND_LABELS)


def case_outcomes() -> dict[str, str]:
    return dict(core.CASE_OUTCOME_LABELS)


def fee_methods() -> dict[str, str]:
    return {"": "不收费"} | dict(core.FEE_METHOD_LABELS)
