"""Sample complaints, the words: names of targets and roads, and what reporters and staff write."""

from __future__ import annotations

from services.complaints.catalog import Finding, Rating


def words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


BRANDS = words(
    "兴达 宏远 金阳 筑城 黔源 鑫盛 华丰 恒通 龙腾 永固 瑞丰 天成 明珠 长青 福顺 顺发 荣昌 新创 "
    "博源 泰和 安泰 众鑫 广源 利民 高原 山城 林城 云峰 黔丰 嘉禾 汇通 正大 宏泰 德润 诚信 万象 "
    "金桥 绿洲 远航 聚源"
)
AREAS = words("城东 城西 城北 河滨 新村 北郊 南郊 工业园 高新 老城 坝区 湖畔")
VILLAGES = words("青山村 河坝村 新寨村 杨柳村 石板村 龙井村 坪上村 高坡村 大湾村 水田村")
ROADS = words(
    "建设路 和平路 文化路 新华路 人民路 兴业路 滨河路 公园路 工业园路 东风路 复兴路 环城路 "
    "青年路 学院路 翠柳路 春晖路 桂花路 枫林路 松柏路 育才路 振兴路 望湖路 幸福路 光明路 "
    "富源路 朝阳路 湖滨路 迎宾路 科技路 创业路"
)


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
