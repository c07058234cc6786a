"""Personal data in text meant for the public: a detector any capability can run before publishing.

`scan(text)` finds what looks like a Chinese mobile or landline number, an 18-digit resident ID
number (GB 11643-1999: only with a valid check character) or a 15-digit legacy one, an e-mail
address, a vehicle plate (a province's abbreviation, a letter and 5 characters, or 6 for a
new-energy plate) or a QQ/WeChat account named after its keyword. Full-width characters are folded
first (NFKC), so `１３９１１１１２２２２` is found too. Each finding has its kind, its span in the
text as given and a masked excerpt (`139****2222`), which is safe to show and to audit.

Some numbers are not personal data and are left alone: the portal's case numbers
(`GY-2026-000123`), standard numbers (`GB 3095-2012`, `HJ 633-2026`, `GB/T 8170-2008`), dates
(`20261207`), concentrations and other short numbers. A detector cannot be sure: it flags, and a
person confirms (`check` with `confirmed=True`) that what it found is not personal data.

Nothing here logs or keeps the text it reads.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from services.core.messages import N_, UserFacingError

PHONE = "phone"
ID_NUMBER = "id_number"
EMAIL = "email"
PLATE = "plate"
IM_ACCOUNT = "im_account"
KIND_LABELS = {
    PHONE: N_("a phone number"),
    ID_NUMBER: N_("an ID card number"),
    EMAIL: N_("an e-mail address"),
    PLATE: N_("a vehicle plate number"),
    IM_ACCOUNT: N_("a QQ or WeChat account"),
}

_SEP = r"[\s-]?"
# 1[3-9]x: a mobile number of 11 digits, optionally after +86 / 0086 / 86, grouped by spaces or
# dashes ("139 1111 2222", "+86-139-1111-2222"); never a run inside a longer number
_MOBILE = re.compile(rf"(?<![\d+])(?:(?:\+|00)?86{_SEP})?1[3-9]\d(?:{_SEP}\d){{8}}(?!\d)")
# an area code (0 and 2 or 3 digits: 010, 020, 0851) and a local number of 7 or 8 digits that
# does not start with 0 or 1; the area code may be in brackets
_LANDLINE = re.compile(r"(?<![\d.])(?:\(0[1-9]\d{1,2}\)|0[1-9]\d{1,2})[\s-]?[2-9]\d{6,7}(?![\d.])")
_DATE = r"(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"
_ID18 = re.compile(
    rf"(?<![0-9A-Za-z])[1-9]\d{{5}}{_SEP}(?:{_DATE}){_SEP}\d{{3}}[0-9Xx](?![0-9A-Za-z])"
)
_ID15 = re.compile(
    r"(?<![0-9A-Za-z])[1-9]\d{5}\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}(?![0-9A-Za-z])"
)
_EMAIL = re.compile(
    r"(?<![\w.%+-])[\w.%+-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}",
    re.ASCII,
)
# GA 36-2018: the province (or 使 for embassies is left out), the issuing office's letter (no I or
# O), then 5 characters, or 6 for new-energy plates; 挂/学/警/港/澳 may end an ordinary plate
_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_PLATE = re.compile(
    rf"(?<![A-Za-z0-9])[{_PROVINCES}][A-HJ-NP-Za-hj-np-z][\s·•.-]?"
    r"(?:[A-HJ-NP-Za-hj-np-z0-9]{5,6}|[A-HJ-NP-Za-hj-np-z0-9]{4}[挂学警港澳])(?![A-Za-z0-9])"
)
# an account named after its keyword: "微信：abc_12345", "QQ 123456789", "vx: wxid_abc123"
_IM = re.compile(
    r"(?<![A-Za-z])(?:微信号?码?|qq号?码?|wechat|vx|wx)\s*(?:[:是为]|id)?\s*"
    r"(?P<account>[A-Za-z][-_A-Za-z0-9]{5,19}|[1-9]\d{4,11})(?![-_A-Za-z0-9])",
    re.IGNORECASE,
)
# numbers that are not personal data, blanked before the search: case numbers (GY-2026-000123)
# and standard numbers (GB 3095-2012, GB/T 8170-2008, HJ 633-2026, DB52/T 1234-2017)
_NOT_PERSONAL = re.compile(
    r"(?<![A-Za-z0-9])[A-Z]{2}-\d{4}-\d{6}(?![0-9])|"
    r"(?<![A-Za-z0-9])(?:DB\d{2}|[A-Z]{2})(?:/[TZ])?\s*\d{1,6}(?:\.\d{1,3})?\s*-\s*(?:19|20)\d{2}"
    r"(?![0-9])"
)


@dataclass(frozen=True)
class Finding:
    kind: str  # PHONE, ID_NUMBER, EMAIL, PLATE or IM_ACCOUNT
    start: int  # span in the text as given (before folding)
    end: int
    masked: str  # the match with its middle hidden: safe to show and to audit


def _fold(text: str) -> tuple[str, list[int]]:
    """NFKC per character, and for each folded character the index it came from."""
    folded: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        part = unicodedata.normalize("NFKC", char)
        folded.append(part)
        origin.extend([index] * len(part))
    return "".join(folded), origin


def id_check_character(first17: str) -> str:
    """GB 11643-1999: ISO 7064 MOD 11-2 over the first 17 digits."""
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(int(d) * w for d, w in zip(first17, weights, strict=True))
    return "10X98765432"[total % 11]


def _valid_id18(match: str) -> bool:
    digits = re.sub(r"[\s-]", "", match).upper()
    return id_check_character(digits[:17]) == digits[17]


def mask(kind: str, value: str) -> str:
    """The value with its middle hidden: first 3 and last 4 characters of a number."""
    value = value.strip()
    if kind == EMAIL:
        local, _, domain = value.partition("@")
        return f"{local[:1]}***@{domain}"
    if kind == PLATE:
        return value[:2] + "*" * max(len(value) - 4, 1) + value[-2:]
    if kind == IM_ACCOUNT:
        head = value[:2] if len(value) > 6 else ""
        return head + "*" * (len(value) - len(head) - 2) + value[-2:]
    compact = re.sub(r"[\s()-]", "", value)
    if compact.startswith("+"):
        compact = compact[1:]
    if len(compact) > 11 and compact.startswith(("86", "0086")) and kind == PHONE:
        compact = compact[-11:]
    keep_head = 3 if len(compact) > 8 else 1
    return compact[:keep_head] + "*" * (len(compact) - keep_head - 4) + compact[-4:]


Search = tuple[str, re.Pattern[str], Callable[[re.Match[str]], bool] | None, str | None]
# most specific first: a span claimed by an e-mail address is not also a phone number
_SEARCHES: tuple[Search, ...] = (
    (EMAIL, _EMAIL, None, None),
    (ID_NUMBER, _ID18, lambda m: _valid_id18(m.group()), None),
    (ID_NUMBER, _ID15, None, None),
    (PHONE, _MOBILE, None, None),
    (PHONE, _LANDLINE, None, None),
    (IM_ACCOUNT, _IM, None, "account"),
    (PLATE, _PLATE, lambda m: any(c.isdigit() for c in m.group()), None),
)


def scan(text: str) -> list[Finding]:
    """Everything in `text` that looks like personal data, in the order it appears."""
    if not text:
        return []
    folded, origin = _fold(text)
    folded = _NOT_PERSONAL.sub(lambda m: " " * len(m.group()), folded)
    claimed: list[tuple[int, int]] = []
    findings: list[Finding] = []
    for kind, pattern, accept, group in _SEARCHES:
        for match in pattern.finditer(folded):
            start, end = match.span(group or 0)
            if accept is not None and not accept(match):
                continue
            if any(start < b and a < end for a, b in claimed):
                continue
            claimed.append((start, end))
            findings.append(Finding(kind, origin[start], origin[end - 1] + 1,
                                    mask(kind, folded[start:end])))  # fmt: skip
    return sorted(findings, key=lambda f: f.start)


@dataclass(frozen=True)
class FieldFinding:
    """A finding in one named field (the field's key, as the caller names it)."""

    field: str
    kind: str
    masked: str


FOUND = N_("The public {field} seems to contain {kind}: {excerpt}. Remove it, or confirm it is "
           "not personal data.")  # fmt: skip


class PersonalDataFound(UserFacingError):
    """Publication refused: the text seems to contain personal data (the findings, masked).

    The message names the first finding; `lines(translate, labels)` words every one of them, with
    the field names and kinds translated."""

    def __init__(self, findings: list[FieldFinding], labels: Mapping[str, str]) -> None:
        first = findings[0]
        super().__init__(FOUND, field=labels.get(first.field, first.field),
                         kind=KIND_LABELS[first.kind], excerpt=first.masked)  # fmt: skip
        self.findings = findings
        self.labels = dict(labels)

    def lines(self, translate: Callable[[str], str]) -> list[str]:
        return [
            translate(FOUND).format(field=translate(self.labels.get(f.field, f.field)),
                                    kind=translate(KIND_LABELS[f.kind]), excerpt=f.masked)
            for f in self.findings
        ]  # fmt: skip


def findings_in(fields: Mapping[str, str]) -> list[FieldFinding]:
    """The findings of every field, in the order the fields are given."""
    return [
        FieldFinding(name, f.kind, f.masked) for name, text in fields.items() for f in scan(text)
    ]


def check(
    fields: Mapping[str, str], *, labels: Mapping[str, str], confirmed: bool
) -> list[FieldFinding]:
    """Raise PersonalDataFound if a field seems to hold personal data, unless a person confirmed
    it is none; returns what was confirmed (for the audit: kinds and masked excerpts, no text)."""
    findings = findings_in(fields)
    if findings and not confirmed:
        raise PersonalDataFound(findings, labels)
    return findings


def kinds_by_field(findings: list[FieldFinding]) -> dict[str, list[str]]:
    """{field: sorted kinds}: what an audit entry records of a confirmation (never the text)."""
    result: dict[str, set[str]] = {}
    for f in findings:
        result.setdefault(f.field, set()).add(f.kind)
    return {field: sorted(kinds) for field, kinds in result.items()}
