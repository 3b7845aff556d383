"""The site menu leads to every part: the data center, the ledger, report writing and the supervision board."""

import pytest


@pytest.mark.django_db
def test_anonymous_menu_shows_only_the_public_parts(client):
    page = client.get("/").text
    assert "年报数据中心" in page and "依申请台账" not in page and "年报编写" not in page and "编写进度" not in page


def test_editors_reach_the_ledger_writing_and_supervision(editor_client):
    page = editor_client.get("/").text
    for link in ("/ledger/", "/authoring/", "/authoring/supervision/"):
        assert f'href="{link}"' in page, link
    assert editor_client.get("/authoring/supervision/").status_code == 200


def test_viewers_are_not_offered_the_supervision_board(client, viewer):
    client.force_login(viewer)
    page = client.get("/").text
    assert 'href="/authoring/"' in page and 'href="/authoring/supervision/"' not in page
