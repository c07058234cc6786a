"""Sample complaints, the numbers: sizes, shares and weights of the flow (see the package doc)."""

from __future__ import annotations

from services.complaints.catalog import Channel, Finding, IdentityMode, Rating
from services.core import geography

# cases per demo size, keyed by the DemoSize values of services.demo
CASES: dict[str, int] = {"small": 2_000, "large": 50_000}
ROWS_PER_CASE = 8.5  # cases + events + identities per case, measured: for progress estimates
YEARS = 3
CHUNK_CASES = 5_000

STAFF = "staff:demo.handler"
SUPERVISOR = "staff:demo.supervisor"  # extensions are decided by a complaint supervisor

# --- what people complain about ------------------------------------------------------------

# relative frequency, and how strongly it follows the summer (+) or the winter (-)
TYPE_WEIGHTS: dict[str, tuple[float, float]] = {
    "air.odour": (13.0, 0.35),
    "air.cooking_fumes": (10.0, 0.3),
    "air.smoke_dust": (8.0, -0.15),
    "air.industrial_gas": (7.0, 0.0),
    "air.open_burning": (1.5, -0.4),
    "air.other": (1.0, 0.0),
    "noise.construction": (13.0, 0.35),
    "noise.social": (9.0, 0.45),
    "noise.industrial": (5.0, 0.25),
    "noise.traffic": (2.5, 0.1),
    "noise.other": (1.0, 0.3),
    "water.sewage": (3.5, 0.2),
    "water.industrial_wastewater": (3.0, 0.1),
    "water.black_odorous": (2.0, 0.4),
    "water.other": (0.5, 0.0),
    "solid_waste.dumping": (4.5, 0.0),
    "solid_waste.hazardous": (1.5, 0.0),
    "solid_waste.other": (0.5, 0.0),
    "soil.contamination": (0.8, 0.0),
    "soil.other": (0.3, 0.0),
    "ecology.vegetation": (0.9, 0.1),
    "ecology.mining": (0.8, 0.0),
    "ecology.wildlife": (0.3, 0.2),
    "ecology.other": (0.2, 0.0),
    "radiation.electromagnetic": (1.2, 0.0),
    "radiation.ionising": (0.1, 0.0),
    "radiation.other": (0.1, 0.0),
}

# complaints follow population (7th census, rounded) and urban density: 云岩, 南明 most
DISTRICT_WEIGHTS: dict[str, float] = {
    "520103": 20.0,  # 云岩区
    "520102": 19.0,  # 南明区
    "520115": 13.0,  # 观山湖区
    "520111": 11.0,  # 花溪区
    "520113": 7.5,  # 白云区
    "520112": 6.5,  # 乌当区
    "520181": 6.0,  # 清镇市
    "520123": 4.5,  # 修文县
    "520121": 4.0,  # 开阳县
    "520122": 3.5,  # 息烽县
    geography.GUIAN_KEY: 3.0,  # 贵安新区
}
RURAL = {"520121": 3.0, "520122": 3.0, "520123": 3.0, "520181": 2.5, "520111": 1.5,
         "520112": 1.5, "520113": 1.2, geography.GUIAN_KEY: 2.0, "520102": 0.3,
         "520103": 0.2, "520115": 0.6}  # fmt: skip
GUIAN_CENTRE = (26.43, 106.47)  # approximate; districts.csv gives 贵安新区 no point

CHANNELS: dict[str, float] = {
    Channel.WEB: 0.55, Channel.PHONE: 0.30, Channel.WECHAT: 0.10, Channel.LETTER: 0.03,
    Channel.VISIT: 0.02,
}  # fmt: skip
IDENTITIES: dict[str, float] = {
    IdentityMode.ANONYMOUS: 0.45, IdentityMode.CONFIDENTIAL: 0.50, IdentityMode.REWARD: 0.05,
}  # fmt: skip

P_TARGET, P_TWO_TYPES, P_PIN = 0.70, 0.15, 0.40
P_NOT_ACCEPTED, P_DUPLICATE, P_LATE_DECISION = 0.07, 0.04, 0.04
DECISION_DAYS = (1, 2, 3, 4, 5)
DECISION_WEIGHTS = (0.45, 0.30, 0.13, 0.08, 0.04)
NOT_ACCEPTED = {"outside_remit": 0.55, "same_facts": 0.30, "legal_channel": 0.15}
P_TRANSFER, P_TO_DISTRICT, P_SITE_CHECK, P_EXTENSION, P_LATE_CLOSURE = 0.20, 0.7, 0.85, 0.10, 0.03
CLOSURE_DAYS = (7, 13, 32)  # triangular: least, most likely, most (plus extensions and late ones)
FINDINGS = {Finding.SUBSTANTIATED: 0.55, Finding.PARTLY: 0.20, Finding.UNSUBSTANTIATED: 0.25}
P_REMEDIATION = {Finding.SUBSTANTIATED: 0.6, Finding.PARTLY: 0.3}
P_RATED, P_REVIEW, P_RE_REVIEW = 0.60, 0.05, 0.20  # 复核: a fifth of the 复查 (1 % of closed)
# ratings of cases without a review request; with one, 80 % dissatisfied: 70/20/10 overall
RATINGS = {Rating.SATISFIED: 0.737, Rating.FAIRLY: 0.200, Rating.DISSATISFIED: 0.063}

# cases deliberately left in a state (share of all cases, at least 2; age window in days)
FORCED: dict[str, tuple[float, int, int]] = {
    "submitted": (0.001, 0, 1),
    "pending_overdue": (0.002, 25, 60),  # acceptance overdue
    "accepted": (0.001, 3, 10),
    "transferred": (0.001, 5, 12),
    "handling_overdue": (0.004, 110, 330),  # closure overdue
    "review": (0.001, 45, 75),
    "re_review": (0.0005, 75, 110),
    "final": (0.001, 200, 1000),
}
STOP_BEFORE = {
    "submitted": "moderate", "pending_overdue": "accept", "accepted": "take_up",
    "transferred": "take_up", "handling_overdue": "close", "review": "answer_review",
    "re_review": "answer_re_review",
}  # fmt: skip


HOT_TARGETS = 8  # targets that draw many complaints (repeats, 督办)
HOT_KINDS = ("chemical", "construction", "food", "waste", "quarry", "workshop")

UNIT_FOR = {"air.cooking_fumes": "urban_management", "noise.construction": "housing",
            "noise.social": "public_security", "noise.traffic": "public_security",
            "water.sewage": "water_affairs", "water.black_odorous": "water_affairs",
            "ecology.mining": "natural_resources", "ecology.vegetation": "natural_resources",
            "solid_waste.dumping": "urban_management"}  # fmt: skip

# --- hours of the day ---------------------------------------------------------------------

STAFF_HOURS = (8.5 * 3600, 17.5 * 3600)
REPORTER_HOURS = (7 * 3600, 23.5 * 3600)
FILING_HOURS = {  # web and WeChat around the clock (evenings most), the rest in office hours
    Channel.WEB: (1, 1, 1, 1, 1, 1, 2, 4, 6, 7, 7, 6, 5, 6, 6, 6, 6, 6, 7, 8, 9, 9, 8, 4),
    Channel.WECHAT: (1, 1, 1, 1, 1, 1, 2, 4, 6, 7, 7, 6, 5, 6, 6, 6, 6, 6, 7, 8, 9, 9, 8, 4),
    Channel.PHONE: (0,) * 8 + (5, 8, 8, 7, 4, 6, 7, 7, 6, 5, 4, 3, 2, 1, 0, 0),
    Channel.LETTER: (0,) * 9 + (1,) * 8 + (0,) * 7,
    Channel.VISIT: (0,) * 9 + (1, 1, 1, 0, 0, 1, 1, 1, 0) + (0,) * 6,
}
