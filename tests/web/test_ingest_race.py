"""A row another request inserts at the same moment (a province, a county) makes the store try again, on every
write path (the API's all-or-nothing batch, single uploads), instead of failing the upload with a server error."""

from __future__ import annotations

import pytest
from django.db import IntegrityError

from gongkai.web.center.models import Agency, Report
from gongkai.web.center.services import agencies
from gongkai.web.center.services.ingest import ingest_bytes, ingest_many_atomic
from tests.web.conftest import seed

pytestmark = pytest.mark.django_db


def _racing(monkeypatch, times: int = 1) -> list[str]:
    """The province is inserted by "someone else" right after this request looked it up, `times` times."""
    real, calls = agencies._government, []

    def raced(unit, parent):
        calls.append(unit.name)
        if calls.count(unit.name) <= times and parent is None:
            Agency.objects.create(name=unit.name, parent=parent, level=unit.level or "", kind="government")
            return Agency.objects.create(name=unit.name, parent=parent, level=unit.level or "", kind="government")
        return real(unit, parent)

    monkeypatch.setattr(agencies, "_government", raced)
    return calls


def test_single_upload_tries_again(monkeypatch):
    calls = _racing(monkeypatch)
    name, data = seed("000")  # 石家庄市 → 河北省
    outcome = ingest_bytes(data, name)
    assert outcome.created and outcome.report.agency.ancestors()[0].name == "河北省"
    assert calls.count("河北省") == 2 and Agency.objects.filter(name="河北省").count() == 1


def test_api_batch_tries_again_inside_its_transaction(monkeypatch):
    calls = _racing(monkeypatch)
    outcomes = ingest_many_atomic([seed("000"), seed("001")])
    assert all(o.created for o in outcomes) and Report.objects.count() == 2
    assert calls.count("河北省") >= 2


def test_a_conflict_that_persists_is_raised_after_a_few_tries(monkeypatch):
    _racing(monkeypatch, times=99)
    name, data = seed("000")
    with pytest.raises(IntegrityError):
        ingest_bytes(data, name)
    assert not Report.objects.exists() and Agency.objects.filter(name="河北省").count() == 0
