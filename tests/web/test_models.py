import os

import pytest
from django.db import IntegrityError, connection, transaction

from gongkai.fitting.divisions import region_chain
from gongkai.web.center.models import Agency
from gongkai.web.center.services.agencies import place_agency

pytestmark = pytest.mark.django_db


def test_database_engine_matches_database_url():
    # The PostgreSQL re-run must really use PostgreSQL, not fall back to SQLite.
    expected = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    assert connection.vendor == expected


def test_region_chain_reads_units_outermost_first():
    assert [u.name for u in region_chain("石家庄市长安区人民政府")] == ["河北省", "石家庄市", "长安区"]
    assert [u.level for u in region_chain("石家庄市长安区人民政府")] == ["province", "city", "county"]
    # "市场监督管理局" after the city is a department, not another unit.
    assert [u.name for u in region_chain("石家庄市市场监督管理局")] == ["河北省", "石家庄市"]
    assert region_chain("国家税务总局") == []


def test_place_agency_builds_the_tree_with_division_codes():
    government = place_agency("石家庄市人民政府")
    assert (government.name, government.level, government.kind) == ("石家庄市", "city", "government")
    assert government.division_code == "130100"
    assert government.parent.name == "河北省" and government.parent.division_code == "130000"
    department = place_agency("石家庄市教育局")
    assert department.kind == "department" and department.parent == government
    county = place_agency("石家庄市长安区人民政府")
    assert county.parent == government and county.level == "county"
    # The same name again links to the same node.
    assert place_agency("石家庄市教育局") == department
    assert Agency.objects.filter(name="石家庄市").count() == 1
    assert government.subtree_ids() == {government.pk, department.pk, county.pk}
    assert [a.name for a in county.ancestors()] == ["河北省", "石家庄市"]


def test_top_level_names_are_unique():
    Agency.objects.create(name="某某县")
    with pytest.raises(IntegrityError), transaction.atomic():
        Agency.objects.create(name="某某县")
