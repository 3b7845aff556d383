"""Fixtures of the ledger's web tests: an agency tree, staff of one region, and a fixed 'today'."""

from __future__ import annotations

from datetime import date

import pytest

TODAY = date(2025, 6, 16)  # a Monday; every calendar year the tests touch (2025, 2026) ships with gongkai


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    from gongkai.web.ledger.services import records

    monkeypatch.setattr(records, "today", lambda: TODAY)


@pytest.fixture
def tree(db):
    from gongkai.web.center.models import Agency

    province = Agency.objects.create(name="河北省人民政府", level="province")
    city = Agency.objects.create(name="石家庄市人民政府", level="city", parent=province)
    office = Agency.objects.create(name="石家庄市自然资源和规划局", kind="department", parent=city)
    other = Agency.objects.create(name="保定市人民政府", level="city", parent=province)
    return {"province": province, "city": city, "office": office, "other": other}


@pytest.fixture
def agency(tree):
    return tree["office"]


@pytest.fixture
def clerk(make_user, tree):
    """An editor of 石家庄市 (the office is in that region)."""
    return make_user("clerk", "editor", tree["city"])


@pytest.fixture
def outsider(make_user, tree):
    """An editor of 保定市: not staff of the office."""
    return make_user("outsider", "editor", tree["other"])


@pytest.fixture
def clerk_client(client, clerk):
    client.force_login(clerk)
    return client


@pytest.fixture
def make_request(agency, clerk):
    from gongkai.web.ledger.services import records

    def make(received="2025-06-03", events=(), **fields):
        data = {
            "received": received,
            "channel": "online",
            "applicant_type": "natural_person",
            "applicant_name": "张三",
            "contact": "13812345678",
            "id_number": "110101199001011234",
            "content": "请公开某地块的规划许可证",
        } | fields
        req = records.create_request(fields.pop("agency", agency), data, clerk)
        for event in events:
            records.add_event(req, event, clerk)
        req.refresh_from_db()
        return req

    return make
