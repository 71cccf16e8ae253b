"""The demo catalogue: about 40 indicators typical of a county's annual assessment.

(code, name, group, unit of measure, kind, direction, frequency, cumulative, owner slug,
weight, 2026 annual target)
"""

M, Q, H, A = "monthly", "quarterly", "half_year", "annual"
ABS, RATE, RATIO = "absolute", "growth_rate", "ratio"

INDICATORS = [
    ("GDP_ZS", "地区生产总值增速", "growth", "%", RATE, "higher", Q, False, "fgj", 8, "6.5"),
    ("GDP_ZL", "地区生产总值", "growth", "亿元", ABS, "higher", Q, True, "fgj", 4, "420"),
    ("GDTZ_ZS", "固定资产投资增速", "investment", "%", RATE, "higher", M, False, "fgj", 6, "8"),
    ("ZDXM_TZ", "重点项目完成投资", "investment", "亿元", ABS, "higher", M, True, "fgj", 4, "120"),
    ("GYTZ_ZS", "工业投资增速", "investment", "%", RATE, "higher", M, False, "gxj", 4, "10"),
    ("MJTZ_ZS", "民间投资增速", "investment", "%", RATE, "higher", M, False, "fgj", 3, "6"),
    ("YBYS", "一般公共预算收入", "fiscal", "亿元", ABS, "higher", M, True, "czj", 6, "32"),
    ("YBYS_ZS", "一般公共预算收入增速", "fiscal", "%", RATE, "higher", M, False, "czj", 4, "5.5"),
    ("SSZB", "税收收入占一般公共预算收入比重", "fiscal", "%", RATIO, "higher", M, False, "czj", 3, "72"),
    ("SSSR", "税收收入", "fiscal", "亿元", ABS, "higher", M, True, "czj", 2, "23"),
    ("GSGY_ZS", "规上工业增加值增速", "industry", "%", RATE, "higher", M, False, "gxj", 6, "7"),
    ("XZGS", "新增规上工业企业", "industry", "个", ABS, "higher", M, True, "gxj", 3, "25"),
    ("GXCZ_ZB", "高新技术产业产值占规上工业比重", "industry", "%", RATIO, "higher", Q, False, "kjj", 3, "48"),
    ("GYYD_ZS", "工业用电量增速", "industry", "%", RATE, "higher", M, False, "gxj", 2, "6"),
    ("SXLS_ZS", "社会消费品零售总额增速", "consumption", "%", RATE, "higher", M, False, "swj", 5, "6"),
    ("SXLS", "社会消费品零售总额", "consumption", "亿元", ABS, "higher", M, True, "swj", 3, "160"),
    ("XSLS_ZS", "限额以上单位零售额增速", "consumption", "%", RATE, "higher", M, False, "swj", 2, "8"),
    ("WLLS_ZS", "网络零售额增速", "consumption", "%", RATE, "higher", Q, False, "swj", 2, "15"),
    ("SJWZ", "实际利用外资", "opening", "万美元", ABS, "higher", Q, True, "swj", 4, "5000"),
    ("WMJCK_ZS", "外贸进出口总额增速", "opening", "%", RATE, "higher", M, False, "swj", 4, "7"),
    ("ZSDW", "招商引资到位资金", "opening", "亿元", ABS, "higher", M, True, "tczx", 5, "80"),
    ("YYXM", "新签约亿元以上项目", "opening", "个", ABS, "higher", Q, True, "tczx", 3, "30"),
    ("CZSR_ZS", "城镇居民人均可支配收入增速", "livelihood", "%", RATE, "higher", Q, False, "rsj", 4, "5.5"),
    ("NCSR_ZS", "农村居民人均可支配收入增速", "livelihood", "%", RATE, "higher", Q, False, "nyj", 4, "7"),
    ("CZJY", "城镇新增就业", "livelihood", "人", ABS, "higher", M, True, "rsj", 3, "6500"),
    ("SYL", "城镇调查失业率", "livelihood", "%", RATIO, "lower", Q, False, "rsj", 2, "5.5"),
    ("YLCB", "城乡居民养老保险参保率", "livelihood", "%", RATIO, "higher", H, False, "rsj", 2, "96"),
    ("NLMY_ZS", "农林牧渔业增加值增速", "livelihood", "%", RATE, "higher", Q, False, "nyj", 3, "3.5"),
    ("LSCL", "粮食总产量", "livelihood", "万吨", ABS, "higher", A, False, "nyj", 3, "52"),
    ("GBZNT", "高标准农田建设面积", "livelihood", "万亩", ABS, "higher", H, True, "nyj", 2, "6"),
    ("BZFKG", "保障性住房开工", "livelihood", "套", ABS, "higher", Q, True, "zjj", 2, "800"),
    ("JZY_ZS", "建筑业总产值增速", "growth", "%", RATE, "higher", Q, False, "zjj", 3, "8"),
    ("FDC_ZS", "房地产开发投资增速", "investment", "%", RATE, "higher", M, False, "zjj", 2, "2"),
    ("TDGY", "国有建设用地供应面积", "investment", "公顷", ABS, "higher", Q, True, "zrj", 2, "300"),
    ("PM25", "PM2.5平均浓度", "ecology", "微克/立方米", ABS, "lower", M, False, "hjj", 4, "38"),
    ("YLTS", "空气质量优良天数比例", "ecology", "%", RATIO, "higher", M, False, "hjj", 3, "80"),
    ("NHJD", "单位地区生产总值能耗降低率", "ecology", "%", RATIO, "higher", Q, False, "fgj", 3, "3"),
    ("SZYL", "地表水优良水体比例", "ecology", "%", RATIO, "higher", M, False, "hjj", 3, "85"),
    ("SLFG", "森林覆盖率", "ecology", "%", RATIO, "higher", A, False, "zrj", 2, "36"),
    ("YFQD", "研发经费投入强度", "industry", "%", RATIO, "higher", A, False, "kjj", 3, "2.3"),
]
# The demo county lags on these (ranked near the bottom of the city).
LAGGING = ["GSGY_ZS", "SXLS_ZS", "WMJCK_ZS", "CZSR_ZS", "PM25"]
# Owners of the catalogue that the org demo gives no accounts yet: head and liaison are added.
EXTRA_ACCOUNT_UNITS = ["czj", "gxj", "kjj", "rsj", "hjj", "tczx"]
