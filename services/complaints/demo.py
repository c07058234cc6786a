"""Sample complaints: a plausible, reproducible 12369-style flow of cases for demos and benchmarks.

`generate_cases` files `count` cases over the three years before `until` (a Beijing day) and moves
each one along the workflow as far as it would have got by then, with the statutory deadlines of
services.complaints.deadlines. Every row is labelled `is_demo`; every enterprise or site named
contains "示例" (no real company is named) and every reporter identity is obviously fake (示例用户…,
1380000xxxx) and sealed like a real one. Nobody holds a receipt: `receipt_key` stays NULL.

The flow (shares are of all cases unless said otherwise):

- types: mostly air (odour, cooking fumes, dust, industrial gas) and noise (construction, social,
  industrial), then water, solid waste and a little soil, ecology and radiation; noise and odour
  rise in summer; 15 % name two types; volume grows gently (about 12 % a year);
- districts by population (云岩 and 南明 most, 贵安 least); channels web 55 %, phone 30 %,
  WeChat 10 %, letter 3 %, visit 2 %; anonymous 45 %, confidential 50 %, reward 5 %;
- 70 % name a sample target (400 of them for up to 2,000 cases, growing with the square root of
  the count: 2,000 for 50,000, so repeats stay plausible), in the case's district when one fits;
  a handful draw many complaints; repeats are linked and escalated (督办) as intake does it,
  counting a case open until its first close, not-accept or duplicate decision;
- moderated the same or the next working day; decided 1-5 days after filing (4 % late): accepted,
  not accepted (7 %) or marked duplicate (4 %); 20 % of accepted cases transferred; 10 % extended;
  closed mostly 7-32 days after acceptance (3 % late); substantiated 55 %, partly 20 %, not 25 %;
  60 % of closed cases rated; 5 % ask for 复查 and 1 % go on to 复核;
- a few older cases are left stuck (acceptance and closure overdue) and a few recent ones sit in
  each open status, so every status and both kinds of 超期 are there to look at.

Events carry the workflow's action names, from/to statuses and actors as the services write them:
"file" by the reporter (web) or staff:demo.handler (other channels, as intake requires), staff steps
by staff:demo.handler, extension approvals by staff:demo.supervisor, ratings and review requests by
the reporter, 督办 by the system; extensions are requested then approved, and a remediation is an
"edit_public" step. Rows are written with Core bulk inserts in chunks of 5,000 cases (50,000 cases
with about 350,000 events take about 12 s on SQLite).
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache

import numpy as np
from sqlalchemy import func, insert, select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from services.complaints import deadlines
from services.complaints.catalog import (
    AWAITING_ACCEPTANCE,
    BEING_HANDLED,
    OTHER_UNITS,
    TYPE_CODES,
    UNDER_REVIEW,
    Channel,
    Finding,
    IdentityMode,
    Rating,
    Status,
)
from services.complaints.intake import ESCALATE_AT, REPEAT_WINDOW_DAYS, normalise_target
from services.complaints.model import ComplaintCase, ComplaintEvent, ComplaintIdentity
from services.complaints.workflow import TRANSITIONS
from services.core import geography
from services.core.capability import DemoContext
from services.shared.sealed import vault

Progress = Callable[[str, int, int], None]  # part name, rows done, rows in the part

# cases per demo size (keyed by the DemoSize values: services.demo imports this module)
CASES: dict[str, int] = {"small": 2_000, "large": 50_000}
ROWS_PER_CASE = 8.5  # cases + events + identities per case, measured: for progress estimates
YEARS = 3
CHUNK_CASES = 5_000

S = Status
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

# --- sample targets: every name contains 示例 --------------------------------------------------


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


BRANDS = _words(
    "兴达 宏远 金阳 筑城 黔源 鑫盛 华丰 恒通 龙腾 永固 瑞丰 天成 明珠 长青 福顺 顺发 荣昌 新创 "
    "博源 泰和 安泰 众鑫 广源 利民 高原 山城 林城 云峰 黔丰 嘉禾 汇通 正大 宏泰 德润 诚信 万象 "
    "金桥 绿洲 远航 聚源"
)
AREAS = _words("城东 城西 城北 河滨 新村 北郊 南郊 工业园 高新 老城 坝区 湖畔")
VILLAGES = _words("青山村 河坝村 新寨村 杨柳村 石板村 龙井村 坪上村 高坡村 大湾村 水田村")
ROADS = _words(
    "建设路 和平路 文化路 新华路 人民路 兴业路 滨河路 公园路 工业园路 东风路 复兴路 环城路 "
    "青年路 学院路 翠柳路 春晖路 桂花路 枫林路 松柏路 育才路 振兴路 望湖路 幸福路 光明路 "
    "富源路 朝阳路 湖滨路 迎宾路 科技路 创业路"
)


@dataclass(frozen=True)
class Kind:
    types: tuple[str, ...]  # the first two are what this kind of target is known for
    count: int
    parts: tuple[tuple[str, ...], ...]  # a name: "示例" and one word of each part
    rural: bool = False
    projects: bool = False  # active for a limited time (building sites)
    more: tuple[str, ...] = _words("二厂 三厂 新厂")  # a last part once plain names run short

    def make(self, rng: np.random.Generator, *, more: bool = False) -> str:
        name = "示例" + "".join(_pick(rng, words) for words in self.parts)
        return name + _pick(rng, self.more) if more else name


def _pick(rng: np.random.Generator, words) -> str:
    return words[int(rng.integers(len(words)))]


KINDS: dict[str, Kind] = {
    "chemical": Kind(
        ("air.industrial_gas", "air.odour", "water.industrial_wastewater",
         "solid_waste.hazardous", "noise.industrial", "soil.contamination", "air.other",
         "water.other"),
        45,
        (BRANDS, _words("化工 制药 橡胶制品 涂料 铝业 磷化工 建材 水泥 玻璃 电子材料 生物科技 "
                        "新材料 食品加工 酿酒 皮革 电镀"), ("有限公司",)),
    ),
    "construction": Kind(
        ("noise.construction", "air.smoke_dust", "noise.traffic", "solid_waste.dumping",
         "noise.other"),
        70,
        (BRANDS, _words("城建 花园二期 商业广场 安置房 道路改造 学校扩建 医院新区 综合体 棚改 "
                        "产业园"), _words("一 二 三 四 五"), ("标段工地",)),
        projects=True,
    ),
    "food": Kind(
        ("air.cooking_fumes", "noise.social", "air.odour", "water.sewage"),
        85,
        (_words("老街 河畔 巷口 夜市 街角 阿婆 王记 李记 张记 老刘 小黔 胖哥 山城 筑城 老地方 "
                "好再来"),
         _words("烧烤店 火锅店 酸汤鱼馆 肠旺面馆 小吃城 烤鱼店 丝娃娃店 牛肉粉店 烙锅店 "
                "豆腐圆子店")),
        more=tuple(f"（{a}店）" for a in AREAS),
    ),
    "entertainment": Kind(
        ("noise.social", "noise.other"),
        35,
        (BRANDS, _words("KTV 酒吧 量贩式KTV 音乐餐吧 健身会所 婚庆礼堂 棋牌室")),
        more=tuple(f"（{a}店）" for a in AREAS),
    ),
    "workshop": Kind(
        ("air.odour", "air.industrial_gas", "noise.industrial", "solid_waste.hazardous",
         "air.other"),
        45,
        (BRANDS, _words("汽车修理厂 喷漆车间 家具厂 印刷厂 木材加工厂 洗车场 钢结构加工厂 "
                        "石材加工厂")),
    ),
    "farm": Kind(
        ("air.odour", "water.sewage", "water.black_odorous", "solid_waste.dumping", "soil.other"),
        20,
        (VILLAGES, _words("生猪 蛋鸡 肉牛 肉鸭"), ("养殖场",)),
        rural=True,
        more=_words("一场 二场 三场 四场"),
    ),
    "quarry": Kind(
        ("air.smoke_dust", "noise.industrial", "ecology.mining", "ecology.vegetation",
         "water.industrial_wastewater", "ecology.other"),
        25,
        (BRANDS, _words("采石场 砂石厂 混凝土搅拌站 页岩砖厂 煤矿 石膏矿")),
        rural=True,
    ),
    "waste": Kind(
        ("air.odour", "solid_waste.dumping", "solid_waste.other", "water.black_odorous",
         "air.open_burning", "water.other"),
        25,
        (AREAS, _words("垃圾中转站 废品回收站 建筑垃圾消纳场 污水处理厂 餐厨垃圾处理站")),
        more=_words("一号 二号 三号 四号 五号"),
    ),
    "telecom": Kind(
        ("radiation.electromagnetic", "noise.industrial", "radiation.other"),
        12,
        (AREAS, _words("通信基站 变电站 广播发射塔")),
        more=_words("1号 2号 3号 4号 5号 6号 7号 8号 9号"),
    ),
    "medical": Kind(
        ("radiation.ionising", "solid_waste.hazardous", "water.sewage", "radiation.other"),
        10,
        (BRANDS, _words("医院 口腔诊所 检测实验室 放射诊疗中心 宠物医院")),
    ),
    "site": Kind(
        ("water.black_odorous", "air.open_burning", "water.sewage", "ecology.vegetation",
         "ecology.wildlife", "solid_waste.dumping", "soil.contamination", "ecology.other",
         "soil.other", "water.other"),
        20,
        (AREAS, _words("河段排污口 排洪沟 山林 荒地 湿地 水库库尾 沟渠")),
        rural=True,
        more=_words("上段 中段 下段 一段 二段 三段"),
    ),
    "transport": Kind(
        ("noise.traffic", "air.smoke_dust", "air.other"),
        8,
        (BRANDS, _words("物流园 公交停车场 货运站 渣土车停车场")),
    ),
}  # fmt: skip
HOT_TARGETS = 8  # targets that draw many complaints (repeats, 督办)
HOT_KINDS = ("chemical", "construction", "food", "waste", "quarry", "workshop")

# --- the words of the cases --------------------------------------------------------------------

PROBLEM = {
    "air.odour": "异味扰民问题", "air.cooking_fumes": "油烟扰民问题",
    "air.smoke_dust": "扬尘污染问题", "air.industrial_gas": "废气排放问题",
    "air.open_burning": "露天焚烧问题", "air.other": "大气污染问题",
    "noise.construction": "施工噪声扰民问题", "noise.social": "社会生活噪声扰民问题",
    "noise.industrial": "工业噪声扰民问题", "noise.traffic": "交通噪声扰民问题",
    "noise.other": "噪声扰民问题", "water.sewage": "生活污水直排问题",
    "water.industrial_wastewater": "工业废水排放问题", "water.black_odorous": "水体黑臭问题",
    "water.other": "水污染问题", "solid_waste.dumping": "固体废物乱堆乱倒问题",
    "solid_waste.hazardous": "危险废物处置不规范问题", "solid_waste.other": "固体废物污染问题",
    "soil.contamination": "土壤污染问题", "soil.other": "土壤环境问题",
    "ecology.vegetation": "破坏植被问题", "ecology.mining": "违规开采破坏生态问题",
    "ecology.wildlife": "伤害野生动物问题", "ecology.other": "生态破坏问题",
    "radiation.electromagnetic": "电磁辐射问题", "radiation.ionising": "电离辐射安全问题",
    "radiation.other": "辐射环境问题",
}  # fmt: skip
DETAIL = {
    "air.odour": ("散发刺鼻的化学异味", "排放明显臭味，气味久久不散", "飘出酸臭气味"),
    "air.cooking_fumes": ("油烟直排，楼上住户窗户全是油污", "排烟管道正对居民楼，油烟很大"),
    "air.smoke_dust": ("扬尘很大，路面和车辆上全是灰", "土方裸露未覆盖，刮风时尘土飞扬"),
    "air.industrial_gas": ("烟囱冒黄烟，有刺激性气味", "夜间偷排废气，闻着头晕"),
    "air.open_burning": ("有人露天焚烧垃圾和秸秆，浓烟很大", "经常焚烧废旧电线和塑料"),
    "air.other": ("排放不明气体，空气很差", "周边空气浑浊并有异味"),
    "noise.construction": ("夜间施工，机械轰鸣到凌晨", "早上六点前就开始打桩"),
    "noise.social": ("音响声音很大，持续到深夜", "营业到凌晨，喧哗声和音乐声扰民"),
    "noise.industrial": ("设备运转噪声很大，日夜不停", "风机和冷却塔噪声扰民"),
    "noise.traffic": ("重型货车夜间频繁通行并鸣笛", "车辆噪声很大，夜里无法入睡"),
    "noise.other": ("发出持续的低频噪声", "噪声时大时小，影响休息"),
    "water.sewage": ("生活污水直接排入河沟", "化粪池满溢，污水流到路面"),
    "water.industrial_wastewater": ("排污口排放有颜色的废水", "雨天偷排废水，河面有泡沫"),
    "water.black_odorous": ("河水发黑发臭，漂浮垃圾", "沟渠水体黑臭，蚊虫很多"),
    "water.other": ("水体颜色异常，有死鱼", "水面有油污"),
    "solid_waste.dumping": ("建筑垃圾和生活垃圾乱倒在路边", "在空地大量堆放废渣"),
    "solid_waste.hazardous": ("废机油和油漆桶随意堆放", "危险废物露天存放，无防渗措施"),
    "solid_waste.other": ("堆放的废料散发臭味", "固体废物长期堆积无人清运"),
    "soil.contamination": ("向地里倾倒不明液体，土壤变色", "废渣渗滤液污染周边农田"),
    "soil.other": ("堆放废料导致土地板结", "周边土壤有明显异味"),
    "ecology.vegetation": ("砍伐林木、毁坏山体植被", "在林地违规开挖"),
    "ecology.mining": ("越界开采，山体裸露", "无证开采砂石，破坏山体"),
    "ecology.wildlife": ("有人捕捉野生鸟类", "河道电鱼，鱼类大量死亡"),
    "ecology.other": ("填埋湿地，生态受损", "破坏河岸生态"),
    "radiation.electromagnetic": ("新建基站离住宅太近", "变电设备嗡嗡作响，担心辐射"),
    "radiation.ionising": ("放射设备防护措施不到位", "射线装置使用没有警示标识"),
    "radiation.other": ("设备可能存在辐射隐患", "附近安装了不明发射设备"),
}  # fmt: skip
WHEN = (
    "夜间尤为明显",
    "傍晚时分最严重",
    "一早就开始",
    "周末更加严重",
    "白天几乎不停",
    "雨天更加明显",
)
LASTING = ("已持续一周左右", "已持续一个多月", "断断续续有半年了", "最近几天尤其严重",
           "每天持续两三个小时", "反映多次仍未解决")  # fmt: skip
EFFECT = {
    "air": ("周边居民无法开窗通风", "老人孩子出现咳嗽等不适"),
    "noise": ("严重影响附近居民休息", "孩子无法正常学习和睡觉"),
    "water": ("影响下游水质和周边环境", "夏天臭味明显，蚊虫滋生"),
    "solid_waste": ("污染周边环境，存在安全隐患", "气味难闻，影响居民生活"),
    "soil": ("担心影响周边农田和地下水", "周边农作物长势异常"),
    "ecology": ("山体和植被遭到破坏", "周边生态环境受到影响"),
    "radiation": ("附近居民担心健康受影响", "周边住户很担心"),
}
WISHES = ("请尽快查处并公开处理结果", "希望督促整改，还居民安宁", "请在夜间到现场检查",
          "希望安装在线监测设备", "请依法处罚")  # fmt: skip
SPOTS = ("与{road2}交叉口附近", "北段", "南段", "东侧小区旁", "西侧桥下", "中段公交站附近")
IMPACT = ("影响周边居民。", "影响周边居民生活。", "影响附近居民休息。")
OUTCOME = {
    Finding.SUBSTANTIATED: (
        "经现场核查，反映问题属实。已责令{who}立即整改，并依法立案查处。",
        "经现场核查，反映问题属实。已责令{who}限期整改，将跟踪整改情况。",
    ),
    Finding.PARTLY: (
        "经现场核查，反映问题部分属实。已督促{who}落实防治措施，并将加强巡查。",
        "经现场核查及监测，反映问题部分属实，已要求{who}完善污染防治设施。",
    ),
    Finding.UNSUBSTANTIATED: (
        "经现场核查及监测，未发现反映的问题，监测结果符合相关标准。将持续关注。",
        "经多次现场检查，未发现反映的环境违法行为。将加强日常监管。",
    ),
}
REMEDIATION = {
    "air.cooking_fumes": "已加装油烟净化设施并定期清洗，油烟排放达标。",
    "noise.construction": "已调整施工时间，夜间停止高噪声作业。",
    "noise.social": "已调低音量并加装隔音设施，夜间按时停止营业。",
    "noise.industrial": "已加装隔音降噪设施，厂界噪声复测达标。",
    "air.smoke_dust": "已落实洒水降尘和裸土覆盖措施。",
    "air": "已完善废气收集处理设施，经复测达标。",
    "water": "已封堵排污口，污水接入市政管网。",
    "solid_waste": "已清运堆放的废物，并建立规范台账。",
    "soil": "已开展土壤调查并落实管控措施。",
    "ecology": "已责令停止违法行为并开展生态修复。",
    "radiation": "已完善防护措施，第三方监测结果低于国家限值。",
    "noise": "已落实降噪措施，噪声复测达标。",
}
UNIT_ZH = {
    "housing": "住建局",
    "urban_management": "城管局",
    "public_security": "公安交管部门",
    "market": "市场监管局",
    "water_affairs": "水务局",
    "natural_resources": "自然资源局",
}
UNIT_FOR = {"air.cooking_fumes": "urban_management", "noise.construction": "housing",
            "noise.social": "public_security", "noise.traffic": "public_security",
            "water.sewage": "water_affairs", "water.black_odorous": "water_affairs",
            "ecology.mining": "natural_resources", "ecology.vegetation": "natural_resources",
            "solid_waste.dumping": "urban_management"}  # fmt: skip
NOT_ACCEPTED_TEXT = {
    "outside_remit": (
        "您反映的问题不属于生态环境部门职责范围，请向有关主管部门或拨打12345热线反映。"
    ),
    "legal_channel": "您反映的事项已进入诉讼、仲裁或行政复议程序，请通过相应法定途径解决。",
    "same_facts": "您反映的问题与已办结案件事实相同，如对处理结果不满意，可申请复查或复核。",
}
ACCEPTED_TEXT = "您的举报已受理，我们将依法调查处理，并在规定期限内答复。"
SITE_NOTES = (
    "执法人员已到现场核查。",
    "已会同属地街道开展现场检查。",
    "已开展现场检查和采样监测。",
)
EXTENSION_TEXT = ("需开展连续监测取证，经批准延期办理。", "涉及多部门联合调查，经批准延期办理。")
RATING_COMMENTS = {
    Rating.SATISFIED: ("处理及时，谢谢！", ""),
    Rating.FAIRLY: ("有改善，希望持续监管。", ""),
    Rating.DISSATISFIED: ("处理后问题依旧存在。", "整改不彻底。"),
}
REVIEW_REQUEST = "对办理结果不满意，问题仍然存在，申请复查。"
REVIEW_ANSWER = ("经复查，原处理意见认定事实清楚，已再次督促整改，维持原办理意见。",
                 "经复查，部分问题仍然存在，已责令再次整改并加强巡查。")  # fmt: skip
RE_REVIEW_REQUEST = "对复查意见不服，问题仍未解决，申请复核。"
RE_REVIEW_ANSWER = "经复核，复查意见认定事实清楚、处理适当，予以维持，本案终结。"

# --- time ----------------------------------------------------------------------------------

EPOCH = date(1970, 1, 1).toordinal()
STAFF_HOURS = (8.5 * 3600, 17.5 * 3600)
REPORTER_HOURS = (7 * 3600, 23.5 * 3600)
FILING_HOURS = {  # web and WeChat around the clock (evenings most), the rest in office hours
    Channel.WEB: (1, 1, 1, 1, 1, 1, 2, 4, 6, 7, 7, 6, 5, 6, 6, 6, 6, 6, 7, 8, 9, 9, 8, 4),
    Channel.WECHAT: (1, 1, 1, 1, 1, 1, 2, 4, 6, 7, 7, 6, 5, 6, 6, 6, 6, 6, 7, 8, 9, 9, 8, 4),
    Channel.PHONE: (0,) * 8 + (5, 8, 8, 7, 4, 6, 7, 7, 6, 5, 4, 3, 2, 1, 0, 0),
    Channel.LETTER: (0,) * 9 + (1,) * 8 + (0,) * 7,
    Channel.VISIT: (0,) * 9 + (1, 1, 1, 0, 0, 1, 1, 1, 0) + (0,) * 6,
}


def _midnight(day: int) -> float:
    """Epoch seconds of 00:00 Beijing time on a proleptic ordinal day (no DST since 1991)."""
    return (day - EPOCH) * 86400.0 - 8 * 3600


@lru_cache(maxsize=1 << 16)
def _date(day: int) -> date:
    return date.fromordinal(day)


@lru_cache(maxsize=1 << 16)
def _workday(day: int) -> int:
    """The day itself when the official calendar says it is a working day, else the next one."""
    while not deadlines.working_day(_date(day))[0]:
        day += 1
    return day


def _due(deadline: deadlines.Deadline) -> tuple[int, bool]:
    return deadline.due.toordinal(), deadline.provisional


@lru_cache(maxsize=1 << 16)
def _acceptance_due(day: int) -> tuple[int, bool]:
    return _due(deadlines.acceptance_due(_date(day)))


@lru_cache(maxsize=1 << 16)
def _closure_due(day: int, extension: int = 0) -> tuple[int, bool]:
    return _due(deadlines.closure_due(_date(day), extension_days=extension))


@lru_cache(maxsize=1 << 16)
def _objection_due(day: int) -> tuple[int, bool]:
    return _due(deadlines.transfer_objection_due(_date(day)))


@lru_cache(maxsize=1 << 16)
def _review_request_due(day: int) -> tuple[int, bool]:
    return _due(deadlines.review_request_due(_date(day)))


@lru_cache(maxsize=1 << 16)
def _review_answer_due(day: int) -> tuple[int, bool]:
    return _due(deadlines.review_answer_due(_date(day)))


# --- drawing -------------------------------------------------------------------------------


def _cumulative(weights) -> list[float]:
    total = float(sum(weights))
    out, running = [], 0.0
    for w in weights:
        running += w / total
        out.append(running)
    out[-1] = 1.0
    return out


def _choose(u: float, keys: list, cumulative: list[float]):
    return keys[min(bisect.bisect_right(cumulative, u), len(keys) - 1)]


_DECISION = _cumulative(DECISION_WEIGHTS)
_NOT_ACCEPTED = _cumulative(NOT_ACCEPTED.values())
_FINDINGS = _cumulative(FINDINGS.values())
_RATINGS = _cumulative(RATINGS.values())


def _rows_choice(rng: np.random.Generator, weights: np.ndarray) -> np.ndarray:
    """One column index per row of `weights` (non-negative, each row with a positive sum)."""
    cumulative = np.cumsum(weights, axis=1)
    u = rng.random(len(weights)) * cumulative[:, -1]
    return np.minimum((cumulative <= u[:, None]).sum(axis=1), weights.shape[1] - 1)


def _summer(days: np.ndarray) -> np.ndarray:
    """+1 in mid-July, -1 in mid-January."""
    doy = np.array([_date(int(d)).timetuple().tm_yday for d in days])
    return np.cos(2 * math.pi * (doy - 196) / 365.25)


def _centre(key: str) -> tuple[float, float, float]:
    district = geography.district_by_key(key)
    if district is None or district.lat is None or district.lon is None:
        return (*GUIAN_CENTRE, 0.04)
    spread = min(0.08, math.sqrt(district.area_km2 or 300) / 111 / 4)
    return district.lat, district.lon, spread


def _inside(lat: float, lon: float) -> tuple[float, float]:
    """Kept inside the box intake accepts for a pin (Guiyang and Gui'an)."""
    return min(max(lat, 26.05), 27.45), min(max(lon, 106.05), 107.35)


@dataclass
class Target:
    name: str
    key: str
    kind: str
    district: str
    road: str
    address: str
    lat: float
    lon: float
    weight: float
    active_from: int
    active_to: int


def _targets(rng: np.random.Generator, start: int, until: int, cases: int) -> list[Target]:
    """About 400 targets (more for large sets, so repeats stay plausible), hot ones among them."""
    scale = max(1.0, math.sqrt(cases / 2_000))
    keys = list(DISTRICT_WEIGHTS)
    urban = _cumulative([DISTRICT_WEIGHTS[k] for k in keys])
    rural = _cumulative([DISTRICT_WEIGHTS[k] * RURAL[k] for k in keys])
    targets: list[Target] = []
    seen: set[str] = set()
    for kind_name, kind in KINDS.items():
        made, misses = 0, 0
        while made < round(kind.count * scale):
            name = kind.make(rng, more=misses > 100)
            key = normalise_target(name)
            if key in seen:
                misses += 1
                continue
            seen.add(key)
            made += 1
            district = _choose(float(rng.random()), keys, rural if kind.rural else urban)
            lat, lon, spread = _centre(district)
            lat, lon = _inside(lat + rng.normal(0, spread), lon + rng.normal(0, spread))
            road = _pick(rng, ROADS)
            name_zh = geography.district_by_key(district).name_zh
            active_from, active_to = start - 400, until + 1
            if kind.projects:  # a building site makes noise for months, not forever
                active_from = int(rng.integers(start - 300, until - 30))
                active_to = active_from + int(rng.integers(240, 900))
            targets.append(Target(
                name=name, key=key, kind=kind_name, district=district, road=road,
                address=f"{name_zh}{road}{int(rng.integers(1, 400))}号", lat=lat, lon=lon,
                weight=float(rng.lognormal(0, 0.7)), active_from=active_from,
                active_to=active_to,
            ))  # fmt: skip
    hot = rng.choice([i for i, t in enumerate(targets) if t.kind in HOT_KINDS],
                     size=HOT_TARGETS, replace=False)  # fmt: skip
    for i in hot.tolist():
        targets[i].weight *= 6.0
        targets[i].active_from, targets[i].active_to = start - 400, until + 1
    return targets


@dataclass
class Draws:
    """Everything about the cases that does not depend on the flow, in filing order."""

    day: list[int]
    at: list[float]  # filed, epoch seconds
    channel: list[str]
    identity: list[str]
    types: list[str]  # primary type code
    target: list[int]  # index into targets, -1 for none
    district: list[str]
    lat: list[float]
    lon: list[float]
    pin: list[bool]
    u: list[list[float]]  # uniforms for the flow
    w: list[list[float]]  # uniforms for the words


def _draw(rng: np.random.Generator, count: int, start: int, until: int,
          targets: list[Target]) -> Draws:  # fmt: skip
    days = np.arange(start, until + 1)
    years = (days - start) / 365.25
    weekday = (days + 6) % 7  # date.fromordinal(1) is a Monday: 0 Monday … 6 Sunday
    rate = (1 + 0.12 * years) * (1 + 0.15 * _summer(days)) * np.where(weekday >= 5, 0.85, 1.0)
    day = np.sort(rng.choice(days, size=count, p=rate / rate.sum()))

    channels = list(CHANNELS)
    channel = np.array(channels)[
        _rows_choice(rng, np.tile(np.array(list(CHANNELS.values())), (count, 1)))
    ]
    hour_weights = np.array([FILING_HOURS[Channel(c)] for c in channels], dtype=float)
    index = {c: i for i, c in enumerate(channels)}
    hours = _rows_choice(rng, hour_weights[[index[c] for c in channel]])
    at = np.array([_midnight(int(d)) for d in day]) + hours * 3600 + rng.random(count) * 3599
    order = np.argsort(at, kind="stable")
    day, channel, at = day[order], channel[order], at[order]

    identities = list(IDENTITIES)
    identity = np.array(identities)[
        _rows_choice(rng, np.tile(np.array(list(IDENTITIES.values())), (count, 1)))
    ]
    codes = list(TYPE_WEIGHTS)
    base = np.array([w for w, _ in TYPE_WEIGHTS.values()])
    season = np.array([s for _, s in TYPE_WEIGHTS.values()])
    primary = _rows_choice(rng, base * (1 + season * _summer(day)[:, None]))

    keys = list(DISTRICT_WEIGHTS)
    district = np.array(keys)[
        _rows_choice(rng, np.tile(np.array(list(DISTRICT_WEIGHTS.values())), (count, 1)))
    ]
    # a named target: one that fits the type, is active then, in the district if it has one
    target = np.full(count, -1)
    wants = rng.random(count) < P_TARGET
    for c, code in enumerate(codes):
        rows = np.flatnonzero(wants & (primary == c))
        candidates = [i for i, t in enumerate(targets) if code in KINDS[t.kind].types]
        if not len(rows) or not candidates:
            continue
        affinity = np.array([
            targets[i].weight * (1.0 if code in KINDS[targets[i].kind].types[:2] else 0.35)
            for i in candidates
        ])  # fmt: skip
        start_at = np.array([targets[i].active_from for i in candidates])
        end_at = np.array([targets[i].active_to for i in candidates])
        home = np.array([targets[i].district for i in candidates])
        active = (start_at[None, :] <= day[rows, None]) & (day[rows, None] < end_at[None, :])
        weights = np.where(active, affinity[None, :], 0.0)
        local = np.where(home[None, :] == district[rows, None], weights, 0.0)
        has_local = local.sum(axis=1) > 0
        weights[has_local] = local[has_local]
        idle = weights.sum(axis=1) == 0
        weights[idle] = affinity
        target[rows] = np.array(candidates)[_rows_choice(rng, weights)]

    noise = rng.normal(0, 1, size=(count, 2))
    lat, lon = np.empty(count), np.empty(count)
    for i in range(count):
        if target[i] >= 0:
            t = targets[target[i]]
            district[i], lat[i], lon[i] = t.district, t.lat, t.lon
        else:
            c_lat, c_lon, spread = _centre(str(district[i]))
            lat[i], lon[i] = _inside(c_lat + noise[i, 0] * spread, c_lon + noise[i, 1] * spread)
    return Draws(
        day=day.tolist(), at=at.tolist(), channel=channel.tolist(), identity=identity.tolist(),
        types=[codes[p] for p in primary.tolist()], target=target.tolist(),
        district=district.tolist(), lat=lat.tolist(), lon=lon.tolist(),
        pin=(rng.random(count) < P_PIN).tolist(), u=rng.random((count, 48)).tolist(),
        w=rng.random((count, 25)).tolist(),
    )  # fmt: skip


def _forced(rng: np.random.Generator, days: list[int], until: int) -> dict[int, str]:
    """Cases left in one state on purpose, chosen from those filed in each state's age window."""
    count = len(days)
    age = until - np.array(days)
    forced: dict[int, str] = {}
    for name, (share, low, high) in FORCED.items():
        wanted = max(2, round(count * share))
        distance = np.maximum(low - age, 0) + np.maximum(age - high, 0)
        distance = np.where(np.isin(np.arange(count), list(forced)), 10**6, distance)
        order = np.lexsort((rng.random(count), distance))  # in the window first, at random
        for i in order[:wanted].tolist():
            if distance[i] < 10**6:
                forced[i] = name
    return forced


# --- the flow of one case ------------------------------------------------------------------


class _Stop(Exception):
    """The next step has not happened yet (after `until`) or is held back on purpose."""


@dataclass
class Event:
    at: float
    actor: str
    action: str
    from_status: str
    to_status: str
    reason: str = ""
    note: str = ""
    public_note: str = ""
    to_reporter: str = ""


def _triangular(u: float, low: float, mode: float, high: float) -> float:
    split = (mode - low) / (high - low)
    if u < split:
        return low + math.sqrt(u * (high - low) * (mode - low))
    return high - math.sqrt((1 - u) * (high - low) * (high - mode))


class _Case:
    """One case moved along the workflow, step by step, until `until` or a forced stop."""

    def __init__(self, until: int, stop: str | None) -> None:
        self.until, self.stop = until, stop
        self.status = S.SUBMITTED
        self.events: list[Event] = []
        self.fields: dict[str, object] = {}
        self.provisional = False

    def step(self, day: int, hours: tuple[float, float], u: float, action: str, actor: str,
             **notes: str) -> int:  # fmt: skip
        """Record `action` on `day` (never before the previous step) and return the day."""
        last = self.events[-1].at
        day = max(day, int((last + 8 * 3600) // 86400) + EPOCH)
        if day > self.until or action == self.stop:
            raise _Stop
        allowed, target = TRANSITIONS[action]
        assert self.status in allowed, (action, self.status)
        base = _midnight(day)
        at = base + hours[0] + u * (hours[1] - hours[0])
        if at <= last:
            at = last + 60 + u * 1800
        at = max(min(at, base + 86399), last)
        before = self.status
        if target is not None:
            self.status = target
        self.events.append(Event(at, actor, action, before, self.status, **notes))
        return day


def _plan(i: int, d: Draws, targets: list[Target], until: int, forced: str | None) -> _Case:
    u = d.u[i]
    code = d.types[i]
    main = code.split(".")[0]
    filed = d.day[i]
    case = _Case(until, STOP_BEFORE.get(forced))
    f = case.fields
    acceptance, provisional = _acceptance_due(filed)
    f.update(acceptance_due=acceptance)
    case.provisional = provisional
    channel = d.channel[i]
    actor = "reporter" if channel == Channel.WEB else STAFF  # intake: staff enter other channels
    case.events.append(Event(d.at[i], actor, "file", "", S.SUBMITTED, reason=channel))
    target = targets[d.target[i]] if d.target[i] >= 0 else None
    who = target.name if target else "相关责任单位"
    try:
        # 待审核 → 待受理: the same or the next working day
        moderated = _workday(filed + (0 if u[0] < 0.6 else 1 if u[0] < 0.9 else 2))
        case.step(moderated, STAFF_HOURS, u[30], "moderate", STAFF)
        f["published"] = True

        # 受理 / 不予受理 / 重复
        outcome = "accept" if forced else (
            "not_accept" if u[1] < P_NOT_ACCEPTED else
            "mark_duplicate" if u[1] < P_NOT_ACCEPTED + P_DUPLICATE and i > 0 else "accept"
        )  # fmt: skip
        if not forced and u[3] < P_LATE_DECISION:
            decided = acceptance + 1 + int(u[4] * 10)
        else:
            decided = filed + _choose(u[2], DECISION_DAYS, _DECISION)
        decided = _workday(max(decided, moderated))
        if outcome == "not_accept":
            reason = _choose(u[5], list(NOT_ACCEPTED), _NOT_ACCEPTED)
            f["decided_on"] = case.step(
                decided,
                STAFF_HOURS,
                u[31],
                "not_accept",
                STAFF,
                reason=reason,
                to_reporter=NOT_ACCEPTED_TEXT[reason],
            )
            f["not_accepted_reason"] = reason
            return case
        if outcome == "mark_duplicate":
            f["decided_on"] = case.step(decided, STAFF_HOURS, u[31], "mark_duplicate", STAFF,
                                        reason="already_accepted")  # fmt: skip
            f["duplicate"] = True
            return case
        accepted = case.step(decided, STAFF_HOURS, u[31], "accept", STAFF,
                             to_reporter=ACCEPTED_TEXT)  # fmt: skip
        due, case.provisional = _closure_due(accepted)
        f.update(accepted_on=accepted, decided_on=accepted, closure_due=due)

        # 转办, then 办理中
        transfer = forced == "transferred" or (
            forced in (None, "handling_overdue") and u[6] < P_TRANSFER
        )
        if forced == "accepted":
            transfer = False
        taken = accepted
        if transfer:
            unit = d.district[i] if u[7] < P_TO_DISTRICT else UNIT_FOR.get(code, "market")
            assert unit in OTHER_UNITS or geography.district_by_key(unit) is not None
            name = UNIT_ZH.get(unit) or geography.district_by_key(unit).name_zh + "生态环境分局"
            moved = case.step(_workday(accepted + int(u[8] * 3)), STAFF_HOURS, u[32], "transfer",
                              STAFF, reason=unit, note=f"转{name}办理")  # fmt: skip
            f.update(transferred_to=unit, transfer_objection_due=_objection_due(moved)[0])
            taken = _workday(moved + 1 + int(u[9] * 6))
        else:
            taken = _workday(accepted + int(u[9] * 4))
        taken = case.step(taken, STAFF_HOURS, u[33], "take_up", STAFF)

        # 延期 (approved by a supervisor), then 办结
        extension = 0
        extended = not forced and u[12] < P_EXTENSION
        late = not forced and not extended and u[16] < P_LATE_CLOSURE
        if extended:
            extension = 10 + int(u[13] * 21)
            new_due = _closure_due(accepted, extension)[0]
            closed = int(due - 8 + u[15] * (new_due - due + 8))
        elif late:
            closed = due + 1 + int(u[17] * 20)
        else:
            closed = accepted + round(_triangular(u[15], *CLOSURE_DAYS))
        closed = _workday(closed)
        if late:
            closed = max(closed, due + 1)
        if u[10] < P_SITE_CHECK or forced:
            check = _workday(min(taken + 1 + int(u[11] * 7), closed))
            case.step(
                check,
                STAFF_HOURS,
                u[34],
                "site_check",
                STAFF,
                note="现场检查：" + DETAIL[code][0],
                public_note=_pick_u(u[40], SITE_NOTES),
            )
        if extension:
            asked = _workday(max(taken, due - 3 - int(u[14] * 18)))
            case.step(asked, STAFF_HOURS, u[35], "request_extension", STAFF,
                      reason=str(extension), note="需要连续监测取证")  # fmt: skip
            f["extension_requested_days"] = extension
            approved = _workday(asked + 1 + int(u[14] * 2))
            case.step(
                min(approved, due),
                STAFF_HOURS,
                u[36],
                "approve_extension",
                SUPERVISOR,
                reason=str(extension),
                to_reporter=_pick_u(u[41], EXTENSION_TEXT),
            )
            f.update(extension_days=extension, extension_requested_days=0,
                     closure_due=_closure_due(accepted, extension)[0])  # fmt: skip
            case.provisional = _closure_due(accepted, extension)[1]
        finding = _choose(u[18], list(FINDINGS), _FINDINGS)
        outcome_text = _pick_u(u[42], OUTCOME[finding]).format(who=who)
        reply = (
            f"您好！您反映的{PROBLEM[code]}已办结。{outcome_text}感谢您对生态环境保护工作的支持。"
        )
        closed = case.step(closed, STAFF_HOURS, u[37], "close", STAFF, reason=finding,
                           public_note=outcome_text, to_reporter=reply)  # fmt: skip
        f.update(finding=finding, reply=reply, public_outcome=outcome_text, closed_on=closed,
                 review_request_due=_review_request_due(closed)[0])  # fmt: skip
        if u[28] < P_REMEDIATION.get(finding, 0.0):
            remediation = REMEDIATION.get(code) or REMEDIATION[main]
            case.step(closed, STAFF_HOURS, u[38], "edit_public", STAFF)
            f["remediation"] = remediation

        # 评价, 复查, 复核
        review = forced in ("review", "re_review", "final") or (not forced and u[22] < P_REVIEW)
        re_review = forced in ("re_review", "final") or (review and not forced and u[25] < 0.2)
        asked = closed + 2 + int(u[23] * 24)
        if forced == "review":  # asked lately, so that the answer is still due
            asked = _lately(u[23], closed + 2, _review_request_due(closed)[0], until)
        if u[19] < P_RATED:
            if review:
                rating = Rating.DISSATISFIED if u[20] < 0.8 else Rating.FAIRLY
                rated = closed + int(u[21] * (asked - closed))
            else:
                rating = _choose(u[20], list(RATINGS), _RATINGS)
                rated = closed + int(u[21] * 10)
            comment = _pick_u(u[43], RATING_COMMENTS[rating])
            f["rated_on"] = case.step(rated, REPORTER_HOURS, u[39], "rate", "reporter",
                                      reason=rating)  # fmt: skip
            f.update(rating=rating, rating_comment=comment)
        if not review:
            return case
        asked = case.step(asked, REPORTER_HOURS, u[44], "request_review", "reporter",
                          note=REVIEW_REQUEST)  # fmt: skip
        f["review_due"], case.provisional = _review_answer_due(asked)
        answer = _pick_u(u[24], REVIEW_ANSWER)
        answered = case.step(
            _workday(asked + 7 + int(u[24] * 21)),
            STAFF_HOURS,
            u[45],
            "answer_review",
            STAFF,
            public_note=answer,
            to_reporter=answer,
        )
        f.update(reply=answer, review_request_due=_review_request_due(answered)[0])
        if not re_review:
            return case
        asked = answered + 2 + int(u[26] * 20)
        if forced == "re_review":
            asked = _lately(u[26], answered + 2, _review_request_due(answered)[0], until)
        asked = case.step(
            asked,
            REPORTER_HOURS,
            u[46],
            "request_re_review",
            "reporter",
            note=RE_REVIEW_REQUEST,
        )
        f["review_due"], case.provisional = _review_answer_due(asked)
        answered = case.step(_workday(asked + 7 + int(u[27] * 21)), STAFF_HOURS, u[47],
                             "answer_re_review", STAFF, public_note=RE_REVIEW_ANSWER,
                             to_reporter=RE_REVIEW_ANSWER)  # fmt: skip
        f.update(reply=RE_REVIEW_ANSWER, review_request_due=_review_request_due(answered)[0])
    except _Stop:
        pass
    return case


def _lately(u: float, earliest: int, latest: int, until: int) -> int:
    """A day in the last three weeks before `until`, within [earliest, latest] if possible."""
    return max(earliest, min(latest, until - int(u * 20)))


def _pick_u(u: float, words):
    return words[min(int(u * len(words)), len(words) - 1)]


def _status_at(case: _Case, moment: float) -> str:
    status = S.SUBMITTED
    for event in case.events:
        if event.at > moment:
            break
        status = event.to_status
    return status


def _link(cases: list[_Case], d: Draws, targets: list[Target]) -> None:
    """Repeats (复投) and 督办 as intake links them at filing, and the originals of duplicates."""
    ends = []
    for case in cases:
        end = next(
            (e.at for e in case.events if e.action in ("close", "not_accept", "mark_duplicate")),
            math.inf,
        )
        ends.append(end)
    open_by_target: dict[int, list[int]] = {}
    last_by_target: dict[int, int] = {}
    last_by_place: dict[tuple[str, str], int] = {}
    for i, case in enumerate(cases):
        f, moment, target = case.fields, d.at[i], d.target[i]
        place = (d.district[i], d.types[i].split(".")[0])
        earlier: list[int] = []
        if target >= 0:
            since = d.day[i] - REPEAT_WINDOW_DAYS
            earlier = [j for j in open_by_target.get(target, [])
                       if ends[j] > moment and d.day[j] >= since]  # fmt: skip
            open_by_target[target] = [*earlier, i]
            if earlier:
                first = earlier[0]
                f["repeat_of"] = cases[first].fields.get("repeat_of", first)
            if len(earlier) + 1 >= ESCALATE_AT:
                for j in [*earlier, i]:
                    other = cases[j]
                    if other.fields.get("escalated"):
                        continue
                    other.fields["escalated"] = True
                    status = _status_at(other, moment)
                    other.events.append(Event(moment, "system", "escalate", status, status,
                                              reason="repeat"))  # fmt: skip
        if f.get("duplicate"):
            original = earlier[-1] if earlier else last_by_target.get(target)
            if original is None:
                original = last_by_place.get(place, i - 1)
            f["duplicate_of"] = original
        if target >= 0:
            last_by_target[target] = i
        last_by_place[place] = i
    for case in cases:
        case.events.sort(key=lambda e: e.at)  # stable: escalations after steps at the same time


# --- rows ----------------------------------------------------------------------------------


def _texts(i: int, d: Draws, targets: list[Target]) -> dict[str, str]:
    w, code = d.w[i], d.types[i]
    main = code.split(".")[0]
    target = targets[d.target[i]] if d.target[i] >= 0 else None
    district = geography.district_by_key(d.district[i]).name_zh
    road = target.road if target else _pick_u(w[0], ROADS)
    if target:
        location = f"{target.address}附近" if w[1] < 0.5 else f"{district}{road}{target.name}周边"
        subject, summary_subject = target.name, target.name
    else:
        location = district + road + _pick_u(w[2], SPOTS).format(road2=_pick_u(w[3], ROADS))
        subject, summary_subject = f"{road}附近", f"{road}一带"
    description = (
        f"{subject}{_pick_u(w[4], DETAIL[code])}，{_pick_u(w[5], WHEN)}，"
        f"{_pick_u(w[6], LASTING)}，{_pick_u(w[7], EFFECT[main])}。"
    )
    impact = IMPACT[2] if main == "noise" else _pick_u(w[8], IMPACT[:2])
    second = code
    if w[11] < P_TWO_TYPES:
        pool = [c for c in TYPE_CODES if c.startswith(main + ".") and c != code]
        pool = [c for c in pool if not c.endswith(".other")] or pool
        if target is not None:
            pool = [c for c in KINDS[target.kind].types if c != code] or pool
        second = _pick_u(w[12], pool)
    return {
        "types": code if second == code else f"{code},{second}",
        "location_text": location[:200],
        "description": description,
        "wishes": _pick_u(w[10], WISHES) if w[9] < 0.5 else "",
        "public_summary": f"反映{district}{summary_subject}{PROBLEM[code]}，{impact}",
        "public_location": f"{district}{road}一带",
    }


def _fake_identity(case_id: int, mode: str, w: list[float]) -> dict[str, object]:
    """Plainly fake: 示例用户…, a 1380000xxxx number, example.com, ID region 000000 (none)."""
    identity: dict[str, object] = {
        "name": f"示例用户{case_id:04d}",
        "phone": f"1380000{int(w[13] * 10_000):04d}",
        "email": f"demo{case_id:04d}@example.com" if w[14] < 0.4 else "",
        "id_number": "",
        "home_address": f"示例小区{1 + int(w[16] * 30)}栋" if w[15] < 0.5 else "",
    }
    if mode == IdentityMode.REWARD:
        born = f"{1960 + int(w[17] * 40)}{1 + int(w[18] * 12):02d}{1 + int(w[19] * 28):02d}"
        body = f"000000{born}{case_id % 1000:03d}"
        weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
        total = sum(int(c) * k for c, k in zip(body, weights, strict=True))
        identity["id_number"] = body + "10X98765432"[total % 11]
    return identity


def _open_due(case: _Case) -> tuple[int | None, bool]:
    """workflow._due_of_open_step: the deadline of the step the case waits on."""
    f, status = case.fields, Status(case.status)
    if status in AWAITING_ACCEPTANCE:
        return f["acceptance_due"], case.provisional
    if status in BEING_HANDLED:
        return f["closure_due"], case.provisional
    if status in UNDER_REVIEW:
        return f["review_due"], case.provisional
    return None, False


class _Clock:
    """Epoch seconds to aware UTC datetimes; the last day squeezed to end at `cutoff`."""

    def __init__(self, until: int, cutoff: datetime | None) -> None:
        self.last = _midnight(until)
        end = self.last + 86400
        if cutoff is not None:
            end = min(end, max(cutoff.timestamp(), self.last + 60))
        self.squeeze = (end - 1 - self.last) / 86399

    def __call__(self, moment: float) -> datetime:
        if moment > self.last:
            moment = self.last + (moment - self.last) * self.squeeze
        return datetime.fromtimestamp(int(moment), UTC)


def _day_or_none(day: object) -> date | None:
    return _date(day) if isinstance(day, int) else None


def _case_row(case_id: int, i: int, case: _Case, d: Draws, targets: list[Target], ids: list[int],
              clock: _Clock) -> dict[str, object]:  # fmt: skip
    f = case.fields
    target = targets[d.target[i]] if d.target[i] >= 0 else None
    published = bool(f.get("published"))
    words = _texts(i, d, targets)
    due, provisional = _open_due(case)
    filed = d.day[i]
    w = d.w[i]
    observed = filed - (0 if w[20] < 0.5 else 1 if w[20] < 0.8 else 2 + int(w[21] * 6))
    lat, lon, pin = d.lat[i], d.lon[i], d.pin[i]
    pin_lat, pin_lon = _inside(lat + (w[22] - 0.5) * 0.004, lon + (w[23] - 0.5) * 0.004)
    return {
        "id": case_id,
        "number": f"GY-{_date(filed).year}-{case_id:06d}",
        "receipt_key": None,  # nobody holds a demo receipt
        "status": case.status.value,
        "version": 1,
        "channel": d.channel[i],
        "identity_mode": d.identity[i],
        "is_demo": True,
        "types": words["types"],
        "district_code": d.district[i],
        "target_name": target.name if target else "",
        "target_key": target.key if target else "",
        "target_address": target.address if target else "",
        "location_text": words["location_text"],
        "pin_lat": round(pin_lat, 5) if pin else None,
        "pin_lon": round(pin_lon, 5) if pin else None,
        "observed_on": _date(observed),
        "ongoing": w[24] < 0.65,
        "description": words["description"],
        "wishes": words["wishes"],
        "published": published,
        "public_summary": words["public_summary"] if published else "",
        "public_location": words["public_location"] if published else "",
        "public_lat": round(lat, 2) if published else None,
        "public_lon": round(lon, 2) if published else None,
        "public_outcome": f.get("public_outcome", ""),
        "remediation": f.get("remediation", ""),
        "filed_at": clock(d.at[i]),
        "filed_on": _date(filed),
        "acceptance_due": _date(f["acceptance_due"]),
        "accepted_on": _day_or_none(f.get("accepted_on")),
        "decided_on": _day_or_none(f.get("decided_on")),
        "closure_due": _day_or_none(f.get("closure_due")),
        "extension_days": f.get("extension_days", 0),
        "extension_requested_days": f.get("extension_requested_days", 0),
        "transferred_to": f.get("transferred_to", ""),
        "transfer_objection_due": _day_or_none(f.get("transfer_objection_due")),
        "closed_on": _day_or_none(f.get("closed_on")),
        "review_request_due": _day_or_none(f.get("review_request_due")),
        "review_due": _day_or_none(f.get("review_due")),
        "current_due": _day_or_none(due),
        "provisional_due": provisional,
        "finding": f.get("finding", ""),
        "reply": f.get("reply", ""),
        "not_accepted_reason": f.get("not_accepted_reason", ""),
        "duplicate_of_id": ids[f["duplicate_of"]] if "duplicate_of" in f else None,
        "repeat_of_id": ids[f["repeat_of"]] if "repeat_of" in f else None,
        "escalated": bool(f.get("escalated")),
        "rating": f.get("rating", ""),
        "rating_comment": f.get("rating_comment", ""),
        "rated_on": _day_or_none(f.get("rated_on")),
        "updated_at": clock(max(e.at for e in case.events)),
    }


def generate_cases(
    engine: Engine,
    *,
    count: int,
    seed: int,
    until: date,
    progress: Progress | None = None,
    cutoff: datetime | None = None,
) -> int:
    """File `count` sample cases over the 3 years up to `until` (a Beijing day) and move each
    along the workflow as far as it would be by then. Returns the rows written (cases, events
    and sealed identities). `cutoff` (optional, aware) squeezes the events of `until` itself into
    the hours before that moment, so nothing is later than it.
    """
    if count <= 0:
        return 0
    report = progress or (lambda _part, _done, _total: None)
    rng = np.random.default_rng([seed, 12369])
    last = until.toordinal()
    first = last - YEARS * 365 + 1
    targets = _targets(rng, first, last, count)
    draws = _draw(rng, count, first, last, targets)
    forced = _forced(rng, draws.day, last)
    cases = [_plan(i, draws, targets, last, forced.get(i)) for i in range(count)]
    _link(cases, draws, targets)

    with engine.connect() as conn:
        start = conn.execute(select(func.max(ComplaintCase.id))).scalar() or 0
    ids = list(range(start + 1, start + count + 1))
    sealed = [i for i in range(count) if draws.identity[i] != IdentityMode.ANONYMOUS]
    total = count + sum(len(c.events) for c in cases) + len(sealed)
    clock = _Clock(last, cutoff)
    done = 0
    report("complaints", 0, total)
    for chunk in range(0, count, CHUNK_CASES):
        span = range(chunk, min(chunk + CHUNK_CASES, count))
        case_rows = [_case_row(ids[i], i, cases[i], draws, targets, ids, clock) for i in span]
        identity_rows = [
            {"case_id": ids[i], "sealed": vault.seal_json(
                _fake_identity(ids[i], draws.identity[i], draws.w[i]))}
            for i in span if draws.identity[i] != IdentityMode.ANONYMOUS
        ]  # fmt: skip
        event_rows = [
            {"case_id": ids[i], "at": clock(e.at), "actor": e.actor, "action": e.action,
             "from_status": e.from_status, "to_status": e.to_status, "reason": e.reason,
             "note": e.note, "public_note": e.public_note, "to_reporter": e.to_reporter}
            for i in span for e in cases[i].events
        ]  # fmt: skip
        with engine.begin() as conn:
            conn.execute(insert(ComplaintCase.__table__), case_rows)
            if identity_rows:
                conn.execute(insert(ComplaintIdentity.__table__), identity_rows)
            conn.execute(insert(ComplaintEvent.__table__), event_rows)
        done += len(case_rows) + len(identity_rows) + len(event_rows)
        report("complaints", done, total)
    return done


def generate(context: DemoContext) -> int:
    """The demo part: cases up to the Beijing day of the last whole hour, events before it."""
    return generate_cases(context.engine, count=CASES[context.size], seed=context.seed,
                          until=context.last_day, progress=context.progress,
                          cutoff=context.until)  # fmt: skip


def expected_rows(size: str) -> int:
    """Cases, events and sealed identities: an estimate; the part reports its exact total."""
    return round(CASES[size] * ROWS_PER_CASE)


def has_rows(session: Session) -> bool:
    return session.exec(select(ComplaintCase.id).limit(1)).first() is not None
