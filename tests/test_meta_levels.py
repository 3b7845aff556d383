"""An agency's level in the report metadata: the last government its name starts with, from the division data."""

import pytest

from gongkai.fitting.meta import agency_level


@pytest.mark.parametrize(
    ("name", "level", "department"),
    [
        ("河北省人民政府", "province", False),
        ("北京市人民政府", "province", False),  # a 直辖市 is province level
        ("石家庄市人民政府", "city", False),
        ("锡林郭勒盟行政公署", "city", False),
        ("晋州市人民政府", "county", False),  # a 县级市, though its name ends in 市
        ("正定县人民政府", "county", False),
        ("曲阳街道办事处", "township", False),
        ("石家庄市教育局", "city", True),
        ("石家庄市长安区财政局", "county", True),  # the district's department, not the city's
        ("北京市海淀区教育委员会", "county", True),
        ("湖北省仙桃市教育局", "county", True),  # 省直辖县级市
        ("国家统计局", "central", True),  # a State Council body: spec/central_agencies.toml
    ],
)
def test_level_and_department(name, level, department):
    info = agency_level(name)
    assert (info["level"], info["is_department"]) == (level, department)
