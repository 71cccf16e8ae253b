"""Names for the demo city. Every place and person is invented.

Department names follow how Chinese county departments are actually called; place names are
made up (uncommon character pairs) so that no real county is impersonated. People's names are
drawn by a seeded generator from common surnames and given-name characters.
"""

from __future__ import annotations

CITY = ("清河市", "991100")
# The first county is built in full; the others get a handful of core departments so that
# "another county" exists for every scope check.
COUNTIES = [
    ("禾川县", "hechuan"),
    ("澄岭县", "chengling"),
    ("桐溪县", "tongxi"),
    ("苇川县", "weichuan"),
    ("柘湖县", "zhehu"),
    ("岚桥县", "lanqiao"),
    ("杉坪县", "shanping"),
    ("芦屿县", "luyu"),
    ("榆塘县", "yutang"),
    ("蒲湾县", "puwan"),
    ("青禾区", "qinghe"),
]
OTHER_COUNTY_UNITS = ["县委办公室", "县政府办公室", "发展和改革局", "商务局", "统计局"]

# (name, short name, slug for usernames, leader index) — 52 departments of the demo county.
# Leader index: 0 县委书记, 1 县长, 2 常务副县长, 3..7 副县长.
DEPARTMENTS: list[tuple[str, str, str, int]] = [
    ("县委办公室", "县委办", "xwb", 0),
    ("县政府办公室", "县政府办", "zfb", 1),
    ("县委县政府督查室", "督查室", "dcs", 2),
    ("县委组织部", "组织部", "zzb", 0),
    ("县委宣传部", "宣传部", "xcb", 0),
    ("县委统战部", "统战部", "tzb", 0),
    ("县委政法委员会", "政法委", "zfw", 0),
    ("县纪委监委", "纪委监委", "jwjw", 0),
    ("县委机构编制委员会办公室", "编办", "bb", 0),
    ("发展和改革局", "发改局", "fgj", 2),
    ("教育局", "教育局", "jyj", 3),
    ("科学技术局", "科技局", "kjj", 4),
    ("工业和信息化局", "工信局", "gxj", 4),
    ("公安局", "公安局", "gaj", 5),
    ("民政局", "民政局", "mzj", 3),
    ("司法局", "司法局", "sfj", 5),
    ("财政局", "财政局", "czj", 2),
    ("人力资源和社会保障局", "人社局", "rsj", 3),
    ("自然资源和规划局", "自然资源局", "zrj", 6),
    ("生态环境分局", "环境分局", "hjj", 6),
    ("住房和城乡建设局", "住建局", "zjj", 6),
    ("交通运输局", "交通局", "jtj", 6),
    ("水利局", "水利局", "slj", 7),
    ("农业农村局", "农业农村局", "nyj", 7),
    ("商务局", "商务局", "swj", 4),
    ("文化和旅游局", "文旅局", "wlj", 3),
    ("卫生健康局", "卫健局", "wjj", 3),
    ("退役军人事务局", "退役军人局", "tyjrj", 5),
    ("应急管理局", "应急局", "yjj", 5),
    ("审计局", "审计局", "sjj", 2),
    ("市场监督管理局", "市场监管局", "scjgj", 4),
    ("统计局", "统计局", "tjj", 2),
    ("医疗保障局", "医保局", "ybj", 3),
    ("城市管理局", "城管局", "cgj", 6),
    ("林业局", "林业局", "lyj", 7),
    ("行政审批服务局", "审批局", "spj", 2),
    ("乡村振兴局", "乡村振兴局", "xczxj", 7),
    ("信访局", "信访局", "xfj", 5),
    ("税务局", "税务局", "swuj", 2),
    ("供电公司", "供电公司", "gdgs", 4),
    ("投资促进中心", "投促中心", "tczx", 4),
    ("融媒体中心", "融媒体中心", "rmt", 0),
    ("大数据中心", "大数据中心", "dsj", 2),
    ("住房公积金管理中心", "公积金中心", "gjj", 6),
    ("机关事务服务中心", "机关事务中心", "jgsw", 1),
    ("县总工会", "总工会", "zgh", 0),
    ("共青团县委", "团县委", "tw", 0),
    ("县妇女联合会", "妇联", "fl", 0),
    ("县科学技术协会", "科协", "kx", 4),
    ("县工商业联合会", "工商联", "gsl", 4),
    ("消防救援大队", "消防大队", "xfdd", 5),
    ("气象局", "气象局", "qxj", 7),
]

# (name, slug, is sub-district): 9 towns and 4 sub-districts.
TOWNS: list[tuple[str, str, bool]] = [
    ("城关镇", "chengguan", False),
    ("石桥镇", "shiqiao", False),
    ("柳林镇", "liulin", False),
    ("杏花镇", "xinghua", False),
    ("双河镇", "shuanghe", False),
    ("白沙镇", "baisha", False),
    ("青山镇", "qingshan", False),
    ("马坊镇", "mafang", False),
    ("龙泉镇", "longquan", False),
    ("东城街道", "dongcheng", True),
    ("西城街道", "xicheng", True),
    ("南湖街道", "nanhu", True),
    ("禾川街道", "hechuanjd", True),
]
# Leader index in charge of each town / park (rotating over the deputies).
PARKS: list[tuple[str, str, str]] = [
    ("禾川经济开发区管委会", "经开区", "kfq"),
    ("禾川高新技术产业园区管委会", "高新区", "gxq"),
]
LEADERSHIP_BODY = ("禾川县县级领导", "县领导")

# (username, title) of the eight county leaders, in leader-index order.
LEADERS: list[tuple[str, str]] = [
    ("leader_shuji", "县委书记"),
    ("leader_xianzhang", "县委副书记、县长"),
    ("leader_changwu", "县委常委、常务副县长"),
    ("leader_fu1", "副县长"),
    ("leader_fu2", "副县长"),
    ("leader_fu3", "副县长"),
    ("leader_fu4", "副县长"),
    ("leader_fu5", "副县长"),
]

# Units that get a head and a liaison account: department slugs, then town and park slugs.
ACCOUNT_DEPARTMENTS = ["fgj", "swj", "tjj", "zjj", "zrj", "nyj"]
ACCOUNT_TOWNS = ["chengguan", "dongcheng"]
ACCOUNT_PARKS = ["kfq"]
OFFICE_ACCOUNTS = 3
INSPECTORS = 3

HEAD_TITLES = {"department": "局长", "town": "镇长", "subdistrict": "街道办事处主任", "park": "管委会主任"}
LIAISON_TITLES = ["办公室主任", "综合股股长", "科员", "办公室副主任"]

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红玲建国志文海波宇辉鹏斌飞宁颖琳晨浩凯健亮俊峰雪梅晓东红兵瑞祥振兴德华永庆春燕立新卫东淑珍桂兰"

VILLAGE_STEMS = "张李王刘陈杨赵周吴孙马朱胡郭何高林罗梁宋韩冯曹彭董袁潘杜程苏魏丁沈姚卢崔谭陆范金石贾夏方白邹孟秦江段侯史顾毛邵万钱武"
VILLAGE_SUFFIXES = [
    "庄村",
    "家村",
    "营村",
    "屯村",
    "洼村",
    "店村",
    "寨村",
    "集村",
    "岗村",
    "楼村",
    "湾村",
    "坡村",
]
COMMUNITY_NAMES = [
    "和平社区",
    "幸福社区",
    "新华社区",
    "建设社区",
    "文化社区",
    "团结社区",
    "光明社区",
    "胜利社区",
    "东关社区",
    "西关社区",
    "南关社区",
    "北关社区",
    "育才社区",
    "春晖社区",
    "滨河社区",
    "康乐社区",
]
