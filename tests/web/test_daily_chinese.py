"""Chinese everywhere a user looks: admin names, API messages and JSON, the favicon, refusals."""

from __future__ import annotations

import json
import random
import re

import pytest
from django.apps import apps

from gongkai.errors import InputError
from gongkai.reading.files import read_bytes

CJK = re.compile(r"[\u4e00-\u9fff]")


def test_every_model_and_field_has_a_chinese_name():
    untranslated = []
    for model in apps.get_app_config("center").get_models():
        if not CJK.search(str(model._meta.verbose_name)):
            untranslated.append(model.__name__)
        for field in model._meta.get_fields():
            if field.concrete and not field.primary_key and not CJK.search(str(field.verbose_name)):
                untranslated.append(f"{model.__name__}.{field.name}")
    assert untranslated == []


@pytest.mark.django_db
def test_admin_lists_in_chinese(client, make_user, shijiazhuang):
    admin = make_user("boss", "admin")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    index = client.get("/admin/").content.decode()
    assert "更正记录" in index and "上传任务" in index and "接口令牌" in index
    reports = client.get("/admin/center/report/").content.decode()
    assert "入库时间" in reports and "Created" not in reports


@pytest.mark.django_db
def test_api_validation_messages_are_chinese_and_json_is_readable(client):
    response = client.get("/api/reports?limit=abc&year=1")
    assert response.status_code == 422
    raw = response.content.decode("utf-8")
    assert "\\u" not in raw and "请求参数" in raw  # characters, not escapes
    body = json.loads(raw)
    messages = {d["field"]: d["msg"] for d in body["detail"]}
    assert messages["limit"] == "应为整数"
    assert "limit：应为整数" in body["message"]
    assert not any(re.search(r"[A-Za-z]{4,}", m) for m in messages.values()), messages


@pytest.mark.django_db
def test_api_json_keeps_chinese_characters(client, shijiazhuang):
    raw = client.get(f"/api/reports/{shijiazhuang.pk}").content.decode("utf-8")
    assert "石家庄市人民政府" in raw and "\\u" not in raw


@pytest.mark.django_db
def test_favicon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response["Content-Type"] == "image/x-icon"
    assert b"".join(response.streaming_content).startswith(b"\x00\x00\x01\x00")  # an ICO header
    assert 'rel="icon"' in client.get("/").content.decode()


@pytest.mark.parametrize(("name", "kind"), [("年报.pdf", "PDF"), ("年报.docx", "Word"), ("年报.xls", "Excel")])
def test_random_bytes_under_a_document_name_are_not_a_valid_document(name, kind):
    data = random.Random(7).randbytes(4096)
    with pytest.raises(InputError) as caught:
        read_bytes(data, name)
    assert caught.value.message_zh.startswith(f"不是有效的 {kind} 文件")
    assert "不是文本文件" not in caught.value.message_zh


def test_random_bytes_under_a_text_name_stay_not_text():
    with pytest.raises(InputError) as caught:
        read_bytes(random.Random(7).randbytes(4096), "年报.txt")
    assert "不是文本文件" in caught.value.message_zh
