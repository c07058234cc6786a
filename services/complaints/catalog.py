"""The fixed lists of the complaint workflow: statuses, pollution types, reasons, channels.

Codes are stored; labels are gettext msgids (English source) the portal translates. Chinese labels
follow the wording of the 12369 platform.
"""

from __future__ import annotations

from enum import StrEnum

from services.core.messages import N_


class Status(StrEnum):
    SUBMITTED = "submitted"  # 待审核: moderation, not public
    PENDING = "pending"  # 待受理
    ACCEPTED = "accepted"  # 已受理
    NOT_ACCEPTED = "not_accepted"  # 不予受理
    DUPLICATE = "duplicate"  # 重复举报
    TRANSFERRED = "transferred"  # 已转办
    IN_PROGRESS = "in_progress"  # 办理中
    CLOSED = "closed"  # 已办结
    REVIEW = "review"  # 复查中
    REVIEWED = "reviewed"  # 复查已答复
    RE_REVIEW = "re_review"  # 复核中
    FINAL = "final"  # 已终结 (after 复核)


STATUS_LABELS: dict[Status, str] = {
    Status.SUBMITTED: N_("Awaiting moderation"),
    Status.PENDING: N_("Awaiting acceptance"),
    Status.ACCEPTED: N_("Accepted"),
    Status.NOT_ACCEPTED: N_("Not accepted"),
    Status.DUPLICATE: N_("Duplicate"),
    Status.TRANSFERRED: N_("Transferred"),
    Status.IN_PROGRESS: N_("Being handled"),
    Status.CLOSED: N_("Closed"),
    Status.REVIEW: N_("Under review"),
    Status.REVIEWED: N_("Review answered"),
    Status.RE_REVIEW: N_("Under re-review"),
    Status.FINAL: N_("Final"),
}

# The Chinese status words used in exports and the Open311 extension field (untranslated by design)
STATUS_ZH: dict[Status, str] = {
    Status.SUBMITTED: "待审核",
    Status.PENDING: "待受理",
    Status.ACCEPTED: "已受理",
    Status.NOT_ACCEPTED: "不予受理",
    Status.DUPLICATE: "重复举报",
    Status.TRANSFERRED: "已转办",
    Status.IN_PROGRESS: "办理中",
    Status.CLOSED: "已办结",
    Status.REVIEW: "复查中",
    Status.REVIEWED: "复查已答复",
    Status.RE_REVIEW: "复核中",
    Status.FINAL: "已终结",
}

# Waiting for the bureau to accept; being handled (the 60-day clock runs); answered
AWAITING_ACCEPTANCE = frozenset({Status.SUBMITTED, Status.PENDING})
BEING_HANDLED = frozenset({Status.ACCEPTED, Status.TRANSFERRED, Status.IN_PROGRESS})
UNDER_REVIEW = frozenset({Status.REVIEW, Status.RE_REVIEW})
OPEN = AWAITING_ACCEPTANCE | BEING_HANDLED | UNDER_REVIEW
# Open311 GeoReport v2 knows only "open" and "closed"
OPEN311_OPEN = OPEN

POLLUTION_TYPES: dict[str, str] = {
    "air": N_("Air"),
    "water": N_("Water"),
    "noise": N_("Noise"),
    "solid_waste": N_("Solid waste"),
    "soil": N_("Soil"),
    "radiation": N_("Radiation"),
    "ecology": N_("Ecological damage"),
}

SUBTYPES: dict[str, dict[str, str]] = {
    "air": {
        "odour": N_("Odour"),
        "smoke_dust": N_("Smoke and dust"),
        "cooking_fumes": N_("Cooking fumes"),
        "industrial_gas": N_("Industrial waste gas"),
        "open_burning": N_("Open burning"),
        "other": N_("Other"),
    },
    "water": {
        "industrial_wastewater": N_("Industrial wastewater"),
        "sewage": N_("Domestic sewage"),
        "black_odorous": N_("Black and odorous water"),
        "other": N_("Other"),
    },
    "noise": {
        "construction": N_("Construction noise"),
        "industrial": N_("Industrial noise"),
        "social": N_("Social activity noise"),
        "traffic": N_("Traffic noise"),
        "other": N_("Other"),
    },
    "solid_waste": {
        "hazardous": N_("Hazardous waste"),
        "dumping": N_("Illegal dumping"),
        "other": N_("Other"),
    },
    "soil": {"contamination": N_("Soil contamination"), "other": N_("Other")},
    "radiation": {
        "electromagnetic": N_("Electromagnetic radiation"),
        "ionising": N_("Ionising radiation"),
        "other": N_("Other"),
    },
    "ecology": {
        "vegetation": N_("Destruction of vegetation"),
        "mining": N_("Mining damage"),
        "wildlife": N_("Harm to wildlife"),
        "other": N_("Other"),
    },
}

# "air.odour" and so on: every type with each of its sub-types
TYPE_CODES: tuple[str, ...] = tuple(f"{t}.{s}" for t, subs in SUBTYPES.items() for s in subs)


class Channel(StrEnum):
    WEB = "web"  # 网络
    PHONE = "phone"  # 电话
    LETTER = "letter"  # 来信
    VISIT = "visit"  # 来访
    WECHAT = "wechat"  # 微信


CHANNEL_LABELS: dict[Channel, str] = {
    Channel.WEB: N_("Online"),
    Channel.PHONE: N_("Phone"),
    Channel.LETTER: N_("Letter"),
    Channel.VISIT: N_("Visit"),
    Channel.WECHAT: N_("WeChat"),
}


class IdentityMode(StrEnum):
    ANONYMOUS = "anonymous"  # no name; follow-up by receipt only
    CONFIDENTIAL = "confidential"  # name and contact sealed, never public
    REWARD = "reward"  # real name and ID number, for Guiyang's reward rule (sealed)


IDENTITY_LABELS: dict[IdentityMode, str] = {
    IdentityMode.ANONYMOUS: N_("Anonymous"),
    IdentityMode.CONFIDENTIAL: N_("Confidential (name kept sealed)"),
    IdentityMode.REWARD: N_("Reward claim (real name and ID number, kept sealed)"),
}

# 信访工作条例: the reasons a report is not accepted, each with where to go instead
NOT_ACCEPTED_REASONS: dict[str, str] = {
    "outside_remit": N_(
        "Outside the environment bureau's remit: please contact the competent department or the "
        "12345 hotline."
    ),
    "legal_channel": N_(
        "The matter belongs to a court, arbitration or administrative reconsideration, or is "
        "already there."
    ),
    "already_accepted": N_("The same report has already been accepted: follow the linked case."),
    "same_facts": N_(
        "A repeat of a closed case on the same facts: please request a review or a re-review "
        "of that case instead."
    ),
}


class Finding(StrEnum):
    SUBSTANTIATED = "substantiated"  # 属实
    PARTLY = "partly"  # 部分属实
    UNSUBSTANTIATED = "unsubstantiated"  # 不属实


FINDING_LABELS: dict[Finding, str] = {
    Finding.SUBSTANTIATED: N_("Substantiated"),
    Finding.PARTLY: N_("Partly substantiated"),
    Finding.UNSUBSTANTIATED: N_("Not substantiated"),
}


class Rating(StrEnum):
    SATISFIED = "satisfied"  # 满意
    FAIRLY = "fairly"  # 基本满意
    DISSATISFIED = "dissatisfied"  # 不满意


RATING_LABELS: dict[Rating, str] = {
    Rating.SATISFIED: N_("Satisfied"),
    Rating.FAIRLY: N_("Fairly satisfied"),
    Rating.DISSATISFIED: N_("Dissatisfied"),
}

# Units a case can be transferred to (转办/交办): the district bureaus, then other departments
OTHER_UNITS: dict[str, str] = {
    "housing": N_("Housing and urban-rural development bureau"),
    "urban_management": N_("Urban management bureau"),
    "public_security": N_("Public security traffic police"),
    "market": N_("Market regulation bureau"),
    "water_affairs": N_("Water affairs bureau"),
    "natural_resources": N_("Natural resources bureau"),
}
