"""The personal-data detector (services/shared/pii.py): what it must flag and what it must not.

Every ID number below has its GB 11643-1999 check character worked out by hand in a comment:
weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2 over the first 17 digits, the sum modulo 11 picks
the check character from "1 0 X 9 8 7 6 5 4 3 2" (remainder 0 -> 1, 1 -> 0, 2 -> X, ...).
"""

from __future__ import annotations

import pytest

from services.core.messages import N_
from services.shared import pii

# 520102 19900307 739 + check:
# 5*7 + 2*9 + 0*10 + 1*5 + 0*8 + 2*4 + 1*2 + 9*1 + 9*6 + 0*3 + 0*7 + 3*9 + 0*10 + 7*5 + 7*8
# + 3*4 + 9*2 = 35+18+0+5+0+8+2+9+54+0+0+27+0+35+56+12+18 = 279; 279 mod 11 = 4 -> "8"
ID_GUIYANG = "520102199003077398"
# 110105 19491231 002 + check (the example of GB 11643-1999):
# 1*7 + 1*9 + 0*10 + 1*5 + 0*8 + 5*4 + 1*2 + 9*1 + 4*6 + 9*3 + 1*7 + 2*9 + 3*10 + 1*5 + 0*8
# + 0*4 + 2*2 = 7+9+0+5+0+20+2+9+24+27+7+18+30+5+0+0+4 = 167; 167 mod 11 = 2 -> "X"
ID_WITH_X = "11010519491231002X"
# the same 17 digits as ID_GUIYANG with a wrong check character ("8" is right, "5" is not)
ID_BAD_CHECK = "520102199003077395"


def kinds(text: str) -> list[tuple[str, str]]:
    return [(f.kind, f.masked) for f in pii.scan(text)]


def test_the_check_character_is_gb_11643():
    assert pii.id_check_character(ID_GUIYANG[:17]) == "8"
    assert pii.id_check_character(ID_WITH_X[:17]) == "X"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the report of the hole: a phone number and a person's name in the target
        ("楼下餐馆 老板张某电话13911112222", [("phone", "139****2222")]),
        ("电话 139 1111 2222", [("phone", "139****2222")]),
        ("电话：139-1111-2222", [("phone", "139****2222")]),
        ("+86 139 1111 2222", [("phone", "139****2222")]),
        ("+8613911112222", [("phone", "139****2222")]),
        ("００８６－１３９１１１１２２２２", [("phone", "139****2222")]),  # full width
        ("１３９１１１１２２２２", [("phone", "139****2222")]),
        ("举报人手机19912345678。", [("phone", "199****5678")]),
        ("0851-86851234", [("phone", "085*****1234")]),  # Guiyang landline
        ("(0851)86851234", [("phone", "085*****1234")]),
        ("０８５１－８６８５１２３４", [("phone", "085*****1234")]),
        ("010 62345678", [("phone", "010****5678")]),
        (f"身份证号{ID_GUIYANG}", [("id_number", "520***********7398")]),
        (f"身份证 {ID_WITH_X.lower()}", [("id_number", "110***********002x")]),
        ("520102 19900307 7398", [("id_number", "520***********7398")]),
        ("老身份证520102900307739", [("id_number", "520********7739")]),  # 15 digits, 1990-03-07
        ("联系 canary7391@example.org 谢谢", [("email", "c***@example.org")]),
        ("邮箱ｗａｎｇ＠ｅｘａｍｐｌｅ．ｃｏｍ", [("email", "w***@example.com")]),
        ("车牌贵A12345夜里偷倒", [("plate", "贵A***45")]),
        ("贵AD12345", [("plate", "贵A****45")]),  # new energy: 6 characters
        ("贵A·D1234F", [("plate", "贵A*****4F")]),
        ("川a 1234学", [("plate", "川a****4学")]),
        ("微信：wang_laoban88", [("im_account", "wa*********88")]),
        ("加QQ 12345678", [("im_account", "12****78")]),
        ("vx:abc123def", [("im_account", "ab*****ef")]),
        (
            "张某13911112222，邮箱z@example.cn，车贵A12345",
            [("phone", "139****2222"), ("email", "z***@example.cn"), ("plate", "贵A***45")],
        ),
    ],
)
def test_personal_data_is_found_and_masked(text, expected):
    assert kinds(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "贵阳市某化工有限公司",
        "GY-2026-000123",  # the portal's case numbers (services/complaints/intake.py)
        "重复举报，见GY-2025-013911",
        "依据GB 3095-2012和GB 18918-2002，HJ 633-2026，GB/T 8170-2008，DB52/T 1234-2017",
        "20261207",  # a date
        "2026-12-07 13:45",
        "2026年12月7日晚上8点",
        "PM2.5浓度为135 μg/m³，SO2 0.035 mg/m³，COD 139.5 mg/L",
        "12369环保举报热线",
        "排污许可证编号91520100709653413X001P",  # a company's permit, not a person
        ID_BAD_CHECK,  # 18 digits without a valid check character
        "520102199013077398",  # no 13th month
        "贵AQI指数偏高",  # no digit: not a plate
        "贵州省贵阳市南明区",
        "粤语广播",
        "监测值 1391 mg/m³ 超标 2222 倍",
        "135 140 155 160",
        "邮编550002",
        "微信公众号推送",
        "QQ群",
    ],
)
def test_what_is_not_personal_data_is_left_alone(text):
    assert pii.scan(text) == []


def test_spans_point_into_the_text_as_given():
    text = "楼下餐馆 老板张某电话１３９１１１１２２２２ 谢谢"
    (found,) = pii.scan(text)
    assert text[found.start : found.end] == "１３９１１１１２２２２"


def test_an_email_address_with_digits_is_one_finding():
    assert kinds("13911112222@qq.com") == [("email", "1***@qq.com")]


LABELS = {"target": N_("target"), "summary": N_("summary")}


def test_check_refuses_with_every_finding_unless_confirmed():
    fields = {"target": "楼下餐馆 老板张某电话13911112222", "summary": f"车主贵A12345 {ID_GUIYANG}"}
    with pytest.raises(pii.PersonalDataFound) as refused:
        pii.check(fields, labels=LABELS, confirmed=False)
    error = refused.value
    assert [(f.field, f.kind) for f in error.findings] == [
        ("target", "phone"), ("summary", "plate"), ("summary", "id_number"),
    ]  # fmt: skip
    assert error.msgid == pii.FOUND
    assert error.params == {"field": "target", "kind": "a phone number", "excerpt": "139****2222"}
    assert error.lines(str)[0] == (
        "The public target seems to contain a phone number: 139****2222. Remove it, or confirm it "
        "is not personal data."
    )
    confirmed = pii.check(fields, labels=LABELS, confirmed=True)
    assert pii.kinds_by_field(confirmed) == {"target": ["phone"], "summary": ["id_number", "plate"]}
    assert pii.check({"target": "示例化工厂"}, labels=LABELS, confirmed=False) == []


def test_the_masked_excerpt_never_holds_the_whole_value():
    for text in ("13911112222", ID_GUIYANG, "canary7391@example.org", "贵AD12345"):
        (found,) = pii.scan(text)
        assert found.masked != text and "*" in found.masked
