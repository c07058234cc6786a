"""Sample complaints, the targets: enterprises and sites, every name containing 示例."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from services.complaints.demo.chance import choose, cumulative
from services.complaints.demo.params import (
    DISTRICT_WEIGHTS,
    GUIAN_CENTRE,
    HOT_KINDS,
    HOT_TARGETS,
    RURAL,
)
from services.complaints.demo.texts import AREAS, BRANDS, ROADS, VILLAGES, words
from services.complaints.intake import normalise_target
from services.core import geography


@dataclass(frozen=True)
class Kind:
    types: tuple[str, ...]  # the first two are what this kind of target is known for
    count: int
    parts: tuple[tuple[str, ...], ...]  # a name: "示例" and one word of each part
    rural: bool = False
    projects: bool = False  # active for a limited time (building sites)
    more: tuple[str, ...] = words("二厂 三厂 新厂")  # a last part once plain names run short

    def make(self, rng: np.random.Generator, *, more: bool = False) -> str:
        name = "示例" + "".join(pick(rng, part) for part in self.parts)
        return name + pick(rng, self.more) if more else name


def pick(rng: np.random.Generator, choices) -> str:
    return choices[int(rng.integers(len(choices)))]


KINDS: dict[str, Kind] = {
    "chemical": Kind(
        ("air.industrial_gas", "air.odour", "water.industrial_wastewater",
         "solid_waste.hazardous", "noise.industrial", "soil.contamination", "air.other",
         "water.other"),
        45,
        (BRANDS, words("化工 制药 橡胶制品 涂料 铝业 磷化工 建材 水泥 玻璃 电子材料 生物科技 "
                        "新材料 食品加工 酿酒 皮革 电镀"), ("有限公司",)),
    ),
    "construction": Kind(
        ("noise.construction", "air.smoke_dust", "noise.traffic", "solid_waste.dumping",
         "noise.other"),
        70,
        (BRANDS, words("城建 花园二期 商业广场 安置房 道路改造 学校扩建 医院新区 综合体 棚改 "
                        "产业园"), words("一 二 三 四 五"), ("标段工地",)),
        projects=True,
    ),
    "food": Kind(
        ("air.cooking_fumes", "noise.social", "air.odour", "water.sewage"),
        85,
        (words("老街 河畔 巷口 夜市 街角 阿婆 王记 李记 张记 老刘 小黔 胖哥 山城 筑城 老地方 "
                "好再来"),
         words("烧烤店 火锅店 酸汤鱼馆 肠旺面馆 小吃城 烤鱼店 丝娃娃店 牛肉粉店 烙锅店 "
                "豆腐圆子店")),
        more=tuple(f"（{a}店）" for a in AREAS),
    ),
    "entertainment": Kind(
        ("noise.social", "noise.other"),
        35,
        (BRANDS, words("KTV 酒吧 量贩式KTV 音乐餐吧 健身会所 婚庆礼堂 棋牌室")),
        more=tuple(f"（{a}店）" for a in AREAS),
    ),
    "workshop": Kind(
        ("air.odour", "air.industrial_gas", "noise.industrial", "solid_waste.hazardous",
         "air.other"),
        45,
        (BRANDS, words("汽车修理厂 喷漆车间 家具厂 印刷厂 木材加工厂 洗车场 钢结构加工厂 "
                        "石材加工厂")),
    ),
    "farm": Kind(
        ("air.odour", "water.sewage", "water.black_odorous", "solid_waste.dumping", "soil.other"),
        20,
        (VILLAGES, words("生猪 蛋鸡 肉牛 肉鸭"), ("养殖场",)),
        rural=True,
        more=words("一场 二场 三场 四场"),
    ),
    "quarry": Kind(
        ("air.smoke_dust", "noise.industrial", "ecology.mining", "ecology.vegetation",
         "water.industrial_wastewater", "ecology.other"),
        25,
        (BRANDS, words("采石场 砂石厂 混凝土搅拌站 页岩砖厂 煤矿 石膏矿")),
        rural=True,
    ),
    "waste": Kind(
        ("air.odour", "solid_waste.dumping", "solid_waste.other", "water.black_odorous",
         "air.open_burning", "water.other"),
        25,
        (AREAS, words("垃圾中转站 废品回收站 建筑垃圾消纳场 污水处理厂 餐厨垃圾处理站")),
        more=words("一号 二号 三号 四号 五号"),
    ),
    "telecom": Kind(
        ("radiation.electromagnetic", "noise.industrial", "radiation.other"),
        12,
        (AREAS, words("通信基站 变电站 广播发射塔")),
        more=words("1号 2号 3号 4号 5号 6号 7号 8号 9号"),
    ),
    "medical": Kind(
        ("radiation.ionising", "solid_waste.hazardous", "water.sewage", "radiation.other"),
        10,
        (BRANDS, words("医院 口腔诊所 检测实验室 放射诊疗中心 宠物医院")),
    ),
    "site": Kind(
        ("water.black_odorous", "air.open_burning", "water.sewage", "ecology.vegetation",
         "ecology.wildlife", "solid_waste.dumping", "soil.contamination", "ecology.other",
         "soil.other", "water.other"),
        20,
        (AREAS, words("河段排污口 排洪沟 山林 荒地 湿地 水库库尾 沟渠")),
        rural=True,
        more=words("上段 中段 下段 一段 二段 三段"),
    ),
    "transport": Kind(
        ("noise.traffic", "air.smoke_dust", "air.other"),
        8,
        (BRANDS, words("物流园 公交停车场 货运站 渣土车停车场")),
    ),
}  # fmt: skip


def centre(key: str) -> tuple[float, float, float]:
    """A district's point and a spread (degrees) for scattering places around it."""
    district = geography.district_by_key(key)
    if district is None or district.lat is None or district.lon is None:
        return (*GUIAN_CENTRE, 0.04)
    spread = min(0.08, math.sqrt(district.area_km2 or 300) / 111 / 4)
    return district.lat, district.lon, spread


def inside(lat: float, lon: float) -> tuple[float, float]:
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


def make_targets(rng: np.random.Generator, start: int, until: int, cases: int) -> list[Target]:
    """About 400 targets (more for large sets, so repeats stay plausible), hot ones among them."""
    scale = max(1.0, math.sqrt(cases / 2_000))
    targets: list[Target] = []
    seen: set[str] = set()
    for kind_name, kind in KINDS.items():
        for name, key in _names(rng, kind, round(kind.count * scale), seen):
            targets.append(_target(rng, name, key, kind_name, start, until))
    hot = rng.choice([i for i, t in enumerate(targets) if t.kind in HOT_KINDS],
                     size=HOT_TARGETS, replace=False)  # fmt: skip
    for i in hot.tolist():
        targets[i].weight *= 6.0
        targets[i].active_from, targets[i].active_to = start - 400, until + 1
    return targets


def _names(rng: np.random.Generator, kind: Kind, wanted: int, seen: set[str]):
    """`wanted` new names of a kind with their keys, one at a time (each drawn before the next)."""
    made, misses = 0, 0
    while made < wanted:
        name = kind.make(rng, more=misses > 100)
        key = normalise_target(name)
        if key in seen:
            misses += 1
            continue
        seen.add(key)
        made += 1
        yield name, key


_KEYS = list(DISTRICT_WEIGHTS)
_URBAN = cumulative([DISTRICT_WEIGHTS[k] for k in _KEYS])
_RURAL = cumulative([DISTRICT_WEIGHTS[k] * RURAL[k] for k in _KEYS])


def _target(rng: np.random.Generator, name: str, key: str, kind_name: str, start: int,
            until: int) -> Target:  # fmt: skip
    """A target's district, place, street address, weight and active days."""
    kind = KINDS[kind_name]
    district = choose(float(rng.random()), _KEYS, _RURAL if kind.rural else _URBAN)
    lat, lon, spread = centre(district)
    lat, lon = inside(lat + rng.normal(0, spread), lon + rng.normal(0, spread))
    road = pick(rng, ROADS)
    name_zh = geography.district_by_key(district).name_zh
    active_from, active_to = start - 400, until + 1
    if kind.projects:  # a building site makes noise for months, not forever
        active_from = int(rng.integers(start - 300, until - 30))
        active_to = active_from + int(rng.integers(240, 900))
    return Target(
        name=name, key=key, kind=kind_name, district=district, road=road,
        address=f"{name_zh}{road}{int(rng.integers(1, 400))}号", lat=lat, lon=lon,
        weight=float(rng.lognormal(0, 0.7)), active_from=active_from, active_to=active_to,
    )  # fmt: skip
