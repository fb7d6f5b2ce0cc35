"""Realistic, deterministic demo data: organizations of Xinjiang incubation centers with their
whole history (lifecycle, funds and payment schedules, projects, talent support, space
allocations, evaluations).

``generate(db, orgs, seed)`` writes everything in one transaction through the import's bulk
writer (``incubator.bulk``: about 200 organizations with their history per second here), and
every record passes the services' own checks on its way: ``registry.check_new`` and
``build_new`` for the registration, ``lifecycle.advance`` for each step of the lifecycle, the
fund, payment, project, talent, evaluation, contact and space cleaners, ``funds.build_fund``
for the payment schedule. Each row is audited by "demo" as a form's save would be, at the time
it says it was made. What the generator itself sees to: unique names and credit codes, legal
forms matching the code, allocations that never overlap on a space, dates never after
``today``. The same seed gives the same data.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal
from typing import Any, NamedTuple

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from stdnum.cn import uscc

from incubator import demo_compliance
from incubator.bulk import BulkWriter, batches_of
from incubator.db import Database
from incubator.domain import (
    AllocationStatus,
    AuditAction,
    EvaluationKind,
    FundKind,
    FundSource,
    FundStatus,
    LegalForm,
    PaymentStatus,
    ProjectStatus,
    ServiceField,
    SpaceKind,
    Stage,
    TalentKind,
)
from incubator.errors import IncubatorError, ValidationError
from incubator.models import (
    AuditEntry,
    Evaluation,
    Fund,
    Organization,
    OrganizationContact,
    Project,
    Space,
    SpaceAllocation,
    TalentRecord,
    utcnow,
)
from incubator.services import (
    contacts,
    evaluations,
    funds,
    lifecycle,
    projects,
    registry,
    spaces,
    talent,
)
from incubator.services.audit_trail import about

MIN_ORGS = 1
MAX_ORGS = 200_000
ACTOR = "demo"
YEARS = 3  # the history spans the last three years before ``today`` by default
MIN_YEARS, MAX_YEARS = 3, 30  # three at least: the longest incubations take that long
CENT = Decimal("0.01")


class Cancelled(IncubatorError):
    """The user stopped the generation; nothing was saved."""

    key = "Cancelled"


class RealDataPresent(IncubatorError):
    """Demo organizations would mix with real ones: refused unless forced."""

    key = (
        "The registry already holds {count} organizations that staff entered or imported: "
        "demo data would mix with them (use --force to add it anyway)"
    )


@dataclass(frozen=True)
class DemoSummary:
    organizations: int
    transitions: int
    funds: int
    payments: int
    projects: int
    talent_records: int
    spaces: int
    allocations: int
    evaluations: int
    annual_reports: int = 0
    ratings: int = 0
    listings: int = 0
    documents: int = 0


# --- places -------------------------------------------------------------------------------


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


class Area(NamedTuple):
    code: str  # county-level administrative division code (credit code chars 3-8)
    pref_code: str  # prefecture-level code, where foundations register
    county: str  # area_county as stored
    short: str  # prefix of organization names
    city: str  # city for foundations' names and city-level offices
    prefecture: str  # prefecture-level government
    partner: str | None  # province giving pairing assistance (对口援疆)
    uyghur: float  # share of Uyghur names among the people of this area
    ug_city: str  # the city's name in Uyghur script
    weight: int
    townships: tuple[str, ...]


# fmt: off
AREAS: tuple[Area, ...] = (
    Area(
        "650102", "650100", "乌鲁木齐市天山区", "天山区", "乌鲁木齐市", "乌鲁木齐市", None,
        0.4, "ئۈرۈمچى", 14,
        _words("""
            燕儿窝街道 胜利路街道 团结路街道 解放南路街道 新华南路街道 和平路街道 解放北路街道
            幸福路街道 东门街道 碱泉街街道 延安路街道
        """),
    ),
    Area(
        "650103", "650100", "乌鲁木齐市沙依巴克区", "沙依巴克区", "乌鲁木齐市", "乌鲁木齐市", None,
        0.3, "ئۈرۈمچى", 12,
        _words("""
            友好南路街道 友好北路街道 炉院街街道 西北路街道 雅玛里克山街道 长江路街道 和田街街道
            扬子江路街道 平顶山街道 红庙子街道
        """),
    ),
    Area(
        "650104", "650100", "乌鲁木齐市新市区", "新市区", "乌鲁木齐市", "乌鲁木齐市", None,
        0.25, "ئۈرۈمچى", 10,
        _words("""
            北京路街道 二工街道 三工街道 石油新村街道 迎宾路街道 喀什东路街道 北站西路街道
            杭州路街道 安宁渠镇 青格达湖乡
        """),
    ),
    Area(
        "650105", "650100", "乌鲁木齐市水磨沟区", "水磨沟区", "乌鲁木齐市", "乌鲁木齐市", None,
        0.3, "ئۈرۈمچى", 7,
        _words("""
            水磨沟街道 六道湾街道 苇湖梁街道 八道湾街道 新民路街道 南湖南路街道 南湖北路街道
            七道湾街道
        """),
    ),
    Area(
        "653101", "653100", "喀什市", "喀什市", "喀什市", "喀什地区", "广东省",
        0.85, "قەشقەر", 12,
        _words("""
            恰萨街道 亚瓦格街道 吾斯塘博依街道 库木代尔瓦扎街道 西域大道街道 乃则尔巴格镇
            夏马勒巴格镇 浩罕乡 色满乡 多来特巴格乡 伯什克然木乡 荒地乡
        """),
    ),
    Area(
        "653201", "653200", "和田市", "和田市", "和田市", "和田地区", "北京市",
        0.85, "خوتەن", 8,
        _words("""
            努尔瓦克街道 古江巴格街道 古勒巴格街道 纳尔巴格街道 拉斯奎镇 玉龙喀什镇 吉亚乡
            肖尔巴格乡 伊里其乡
        """),
    ),
    Area(
        "652901", "652900", "阿克苏市", "阿克苏市", "阿克苏市", "阿克苏地区", "浙江省",
        0.6, "ئاقسۇ", 9,
        _words("""
            栏杆街道 英巴扎街道 新城街道 南城街道 红桥街道 多浪街道 喀拉塔勒镇 阿依库勒镇 依干其镇
            拜什吐格曼乡 托普鲁克乡
        """),
    ),
    Area(
        "654002", "654000", "伊宁市", "伊宁市", "伊宁市", "伊犁哈萨克自治州", "江苏省",
        0.55, "غۇلجا", 9,
        _words("""
            萨依布依街道 墩买里街道 伊力曼不拉克街道 艾兰木巴格街道 喀赞其街道 琼库尔干街道
            解放路街道 都来提巴格街道 巴彦岱镇 潘津镇 英也尔镇 汉宾乡
        """),
    ),
    Area(
        "650402", "650400", "吐鲁番市高昌区", "高昌区", "吐鲁番市", "吐鲁番市", "湖南省",
        0.75, "تۇرپان", 6,
        _words("""
            老城路街道 高昌路街道 葡萄沟街道 七泉湖镇 大河沿镇 亚尔镇 葡萄镇 三堡乡 胜金乡 艾丁湖镇
            恰特喀勒乡 二堡乡
        """),
    ),
    Area(
        "652301", "652300", "昌吉市", "昌吉市", "昌吉市", "昌吉回族自治州", "福建省",
        0.15, "سانجى", 7,
        _words("""
            宁边路街道 延安北路街道 北京南路街道 建国路街道 中山路街道 绿洲路街道 榆树沟镇 硫磺沟镇
            三工镇 六工镇 大西渠镇 佃坝镇 滨湖镇
        """),
    ),
    Area(
        "652801", "652800", "库尔勒市", "库尔勒市", "库尔勒市", "巴音郭楞蒙古自治州", "河北省",
        0.3, "كورلا", 6,
        _words("""
            团结街道 萨依巴格街道 天山街道 新城街道 建设街道 朝阳街道 梨香街道 塔什店镇 上户镇
            英下乡 恰尔巴格乡 兰干乡 和什力克乡 铁克其乡
        """),
    ),
)
# fmt: on

COMMUNITIES = _words(
    """
    幸福社区 和谐社区 团结社区 光明社区 友好社区 东风社区 文化社区 新华社区 阳光社区 花园社区
    胜利社区 明珠社区 石榴籽社区 育才社区 建设社区 红旗社区 朝阳社区 春晖社区 锦绣社区 丝路社区
    """
)
VILLAGES = _words(
    """
    阿克塔什村 托万克村 库木巴格村 英阿瓦提村 喀拉墩村 巴格其村 其兰巴格村 布拉克村 阿热勒村
    塔什布拉克村 园艺村 新建村 红星村 团结村 幸福村 英买里村 博斯坦村 喀拉亚尕奇村
    """
)

# --- people -------------------------------------------------------------------------------

UYGHUR_MALE = _words(
    """
    阿不都热合曼 艾尔肯 买买提江 吐尔洪 艾力 阿迪力 帕尔哈提 阿力木江 麦麦提 依明江 艾合买提江
    卡哈尔 努尔买买提 亚森江 阿布来提 热合木江
    """
)
UYGHUR_FEMALE = _words(
    """
    古丽娜尔 热依拉 帕提古丽 迪丽拜尔 阿依努尔 努尔古丽 祖丽菲亚 米热古丽 古丽米拉 热孜宛古丽
    阿依古丽 再努尔 玛依拉 阿曼古丽 古再丽努尔
    """
)
UYGHUR_FATHER = _words(
    """
    艾买提 买买提 吐尔逊 阿不力孜 依明 吾斯曼 艾则孜 阿不都拉 卡德尔 热合曼 托合提 艾山 吐尔地
    如孜 斯拉木 亚森 尼亚孜 沙吾提 肉孜 阿不都热西提 买买提明 艾合买提
    """
)
# Uyghur names in Uyghur script (given name, then father's name).
UG_GIVEN = _words(
    """
    ئابدۇراخمان ئەركىن مەمەتجان تۇرغۇن ئەلى ئادىل پەرھات ئالىمجان گۈلنار رەيلا پاتىگۈل دىلبەر
    ئاينۇر نۇرگۈل مىھرىگۈل گۈلمىرا
    """
)
UG_FATHER = _words(
    """
    ئەخمەت مەمەت تۇرسۇن ئابلىز ئىمىن ئوسمان ئەزىز ئابدۇللا قادىر ھەسەن
    """
)
HAN_SURNAMES = _words(
    """
    王 李 张 刘 陈 杨 马 赵 黄 周 吴 徐 孙 胡 朱 高 林 何 郭 罗 郑 梁 谢 宋 韩 唐 冯 于 董 曹
    """
)
HAN_GIVEN = _words(
    """
    建国 新民 志强 海燕 秀英 丽华 晓东 红梅 文军 建华 玉兰 春燕 国庆 卫东 晓燕 金凤 淑珍 疆生
    永刚 桂芳 振华 雪梅 立新 慧敏 伟 军 敏 静 磊 娟 强 霞 涛 芳 斌 婷 峰 燕 杰 琳
    """
)
MOBILE_PREFIXES = _words(
    """
    130 131 132 133 134 135 136 137 138 139 150 151 152 153 155 156 157 158 159 180 181 182 183
    185 186 187 188 189 191 193 195 198 199
    """
)

# --- names of organizations ---------------------------------------------------------------

SG, SSO, FD, COMM = (
    LegalForm.SOCIAL_GROUP,
    LegalForm.SOCIAL_SERVICE_ORG,
    LegalForm.FOUNDATION,
    LegalForm.COMMUNITY_UNREGISTERED,
)
F = ServiceField
# Second character of a civil-affairs credit code: the kind of organization.
TYPE_DIGIT = {SG: "1", SSO: "2", FD: "3"}
FORM_WEIGHTS = ((SSO, 52), (SG, 36), (FD, 4), (COMM, 8))


class Tail(NamedTuple):
    text: str
    field: ServiceField
    form: LegalForm
    short: str | None
    extra: tuple[ServiceField, ...] = ()


TAILS: tuple[Tail, ...] = (
    Tail("居家养老服务中心", F.ELDERLY, SSO, "养老服务中心", (F.HEALTH, F.COMMUNITY)),
    Tail("老年人日间照料中心", F.ELDERLY, SSO, "日间照料中心", (F.HEALTH,)),
    Tail("助老服务社", F.ELDERLY, SSO, "助老服务社", (F.COMMUNITY,)),
    Tail("银龄互助协会", F.ELDERLY, SG, "银龄协会", (F.COMMUNITY,)),
    Tail("老年人协会", F.ELDERLY, SG, "老年协会", (F.CULTURE,)),
    Tail("敬老志愿服务队", F.ELDERLY, COMM, None, (F.COMMUNITY,)),
    Tail("青少年成长服务中心", F.YOUTH, SSO, "青少年中心", (F.EDUCATION, F.CHILDREN)),
    Tail("青年志愿者协会", F.YOUTH, SG, "青年志愿者协会", (F.COMMUNITY,)),
    Tail("青少年足球协会", F.YOUTH, SG, "足球协会", (F.CULTURE,)),
    Tail("大学生志愿服务队", F.YOUTH, COMM, None, (F.EDUCATION,)),
    Tail("儿童之家服务中心", F.CHILDREN, SSO, "儿童之家", (F.EDUCATION,)),
    Tail("四点半课堂服务社", F.CHILDREN, SSO, "四点半课堂", (F.EDUCATION,)),
    Tail("儿童发展服务中心", F.CHILDREN, SSO, "儿童发展中心", (F.HEALTH, F.EDUCATION)),
    Tail("留守儿童关爱协会", F.CHILDREN, SG, "关爱协会", (F.RURAL,)),
    Tail("亲子阅读会", F.CHILDREN, COMM, None, (F.EDUCATION, F.CULTURE)),
    Tail("残疾人康复服务中心", F.DISABILITY, SSO, "康复服务中心", (F.HEALTH,)),
    Tail("特殊儿童康复中心", F.DISABILITY, SSO, "康复中心", (F.CHILDREN, F.HEALTH)),
    Tail("助残志愿者协会", F.DISABILITY, SG, "助残协会", (F.COMMUNITY,)),
    Tail("残疾人就业服务社", F.DISABILITY, SSO, "助残就业服务社", (F.EMPLOYMENT,)),
    Tail("社区服务中心", F.COMMUNITY, SSO, "社区服务中心", (F.ELDERLY, F.MEDIATION)),
    Tail("社区发展服务中心", F.COMMUNITY, SSO, "社区发展中心", (F.CULTURE,)),
    Tail("邻里互助服务中心", F.COMMUNITY, SSO, "邻里中心", (F.ELDERLY,)),
    Tail("睦邻服务社", F.COMMUNITY, SSO, "睦邻服务社", (F.MEDIATION,)),
    Tail("社区志愿者协会", F.COMMUNITY, SG, "志愿者协会", (F.ENVIRONMENT,)),
    Tail("楼栋长互助会", F.COMMUNITY, COMM, None, (F.MEDIATION,)),
    Tail("邻里守望志愿服务队", F.COMMUNITY, COMM, None, (F.ELDERLY,)),
    Tail("邻里调解工作室", F.MEDIATION, SSO, "调解工作室", (F.COMMUNITY,)),
    Tail("矛盾纠纷调解服务中心", F.MEDIATION, SSO, "调解中心", (F.LEGAL_AID,)),
    Tail("人民调解员协会", F.MEDIATION, SG, "调解员协会", (F.LEGAL_AID,)),
    Tail("家事调解工作室", F.MEDIATION, SSO, "家事调解室", (F.WOMEN,)),
    Tail("调解志愿服务队", F.MEDIATION, COMM, None, (F.COMMUNITY,)),
    Tail("巾帼家政就业服务社", F.EMPLOYMENT, SSO, "巾帼家政", (F.WOMEN,)),
    Tail("就业创业服务中心", F.EMPLOYMENT, SSO, "就业创业中心", (F.YOUTH,)),
    Tail("职业技能培训学校", F.EMPLOYMENT, SSO, "技能培训学校", (F.EDUCATION,)),
    Tail("家政服务协会", F.EMPLOYMENT, SG, "家政协会", (F.WOMEN,)),
    Tail("电商创业协会", F.EMPLOYMENT, SG, "电商协会", (F.RURAL, F.YOUTH)),
    Tail("家庭教育指导服务中心", F.EDUCATION, SSO, "家庭教育中心", (F.CHILDREN, F.WOMEN)),
    Tail("课后托管服务中心", F.EDUCATION, SSO, "托管中心", (F.CHILDREN,)),
    Tail("家庭教育促进会", F.EDUCATION, SG, "家教促进会", (F.CHILDREN,)),
    Tail("科普志愿者协会", F.EDUCATION, SG, "科普协会", (F.YOUTH,)),
    Tail("书香读书会", F.EDUCATION, COMM, None, (F.CULTURE,)),
    Tail("心理健康服务中心", F.HEALTH, SSO, "心理健康中心", (F.YOUTH,)),
    Tail("健康促进服务中心", F.HEALTH, SSO, "健康促进中心", (F.ELDERLY,)),
    Tail("心理咨询师协会", F.HEALTH, SG, "心理咨询师协会", (F.EDUCATION,)),
    Tail("健康科普志愿服务队", F.HEALTH, COMM, None, (F.COMMUNITY,)),
    Tail("慢病管理互助小组", F.HEALTH, COMM, None, (F.ELDERLY,)),
    Tail("妇女儿童发展服务中心", F.WOMEN, SSO, "妇女儿童中心", (F.CHILDREN,)),
    Tail("巾帼志愿者协会", F.WOMEN, SG, "巾帼志愿者协会", (F.COMMUNITY,)),
    Tail("巾帼手工艺合作社", F.WOMEN, COMM, None, (F.EMPLOYMENT,)),
    Tail("女性创业促进会", F.WOMEN, SG, "女性创业促进会", (F.EMPLOYMENT,)),
    Tail("姐妹互助会", F.WOMEN, COMM, None, (F.COMMUNITY,)),
    Tail("民族团结志愿者协会", F.CULTURE, SG, "民族团结协会", (F.COMMUNITY,)),
    Tail("文化艺术团", F.CULTURE, COMM, None, ()),
    Tail("广场舞协会", F.CULTURE, SG, "广场舞协会", (F.HEALTH,)),
    Tail("书画协会", F.CULTURE, SG, "书画协会", (F.EDUCATION,)),
    Tail("摄影协会", F.CULTURE, SG, "摄影协会", ()),
    Tail("刺绣非遗传承工作室", F.CULTURE, SSO, "刺绣工作室", (F.EMPLOYMENT, F.WOMEN)),
    Tail("木卡姆艺术传承中心", F.CULTURE, SSO, "木卡姆传承中心", (F.EDUCATION,)),
    Tail("文体服务中心", F.CULTURE, SSO, "文体中心", (F.YOUTH,)),
    Tail("合唱团", F.CULTURE, COMM, None, (F.ELDERLY,)),
    Tail("环保志愿者协会", F.ENVIRONMENT, SG, "环保协会", (F.COMMUNITY,)),
    Tail("生态环境保护服务中心", F.ENVIRONMENT, SSO, "生态环保中心", (F.RURAL,)),
    Tail("垃圾分类宣传服务社", F.ENVIRONMENT, SSO, "垃圾分类服务社", (F.COMMUNITY,)),
    Tail("绿色家园志愿服务队", F.ENVIRONMENT, COMM, None, (F.COMMUNITY,)),
    Tail("乡村振兴服务中心", F.RURAL, SSO, "乡村振兴中心", (F.EMPLOYMENT,)),
    Tail("林果技术协会", F.RURAL, SG, "林果协会", (F.EMPLOYMENT,)),
    Tail("农民专业技术协会", F.RURAL, SG, "农技协会", (F.EDUCATION,)),
    Tail("庭院经济发展服务中心", F.RURAL, SSO, "庭院经济中心", (F.EMPLOYMENT, F.WOMEN)),
    Tail("养殖技术互助组", F.RURAL, COMM, None, (F.EMPLOYMENT,)),
    Tail("法律援助志愿者协会", F.LEGAL_AID, SG, "法援志愿者协会", (F.MEDIATION,)),
    Tail("法律服务工作室", F.LEGAL_AID, SSO, "法律服务工作室", (F.MEDIATION,)),
    Tail("公益法律服务中心", F.LEGAL_AID, SSO, "公益法律中心", (F.DISABILITY,)),
    Tail("普法志愿服务队", F.LEGAL_AID, COMM, None, (F.COMMUNITY,)),
    Tail("公益基金会", F.COMMUNITY, FD, "公益基金会", (F.ELDERLY, F.CHILDREN)),
    Tail("慈善基金会", F.DISABILITY, FD, "慈善基金会", (F.ELDERLY, F.HEALTH)),
    Tail("教育基金会", F.EDUCATION, FD, "教育基金会", (F.CHILDREN, F.YOUTH)),
    Tail("助学基金会", F.EDUCATION, FD, "助学基金会", (F.YOUTH,)),
    Tail("青少年发展基金会", F.YOUTH, FD, "青基会", (F.EDUCATION,)),
    Tail("乡村振兴基金会", F.RURAL, FD, "乡村振兴基金会", (F.EMPLOYMENT,)),
)
TAILS_BY_FORM: dict[LegalForm, tuple[Tail, ...]] = {
    form: tuple(t for t in TAILS if t.form is form) for form in LegalForm
}
# Workshops and cooperatives named after the person who runs them.
PERSON_TAILS: tuple[Tail, ...] = (
    Tail("调解工作室", F.MEDIATION, SSO, None, (F.COMMUNITY,)),
    Tail("巾帼手工艺合作社", F.WOMEN, COMM, None, (F.EMPLOYMENT,)),
    Tail("爱心志愿服务队", F.COMMUNITY, COMM, None, (F.ELDERLY,)),
    Tail("刺绣工作室", F.CULTURE, SSO, None, (F.EMPLOYMENT, F.WOMEN)),
    Tail("家政服务工作室", F.EMPLOYMENT, SSO, None, (F.WOMEN,)),
    Tail("法律服务工作室", F.LEGAL_AID, SSO, None, (F.MEDIATION,)),
)
BRANDS = _words(
    """
    阳光 幸福 石榴籽 同心 暖心 爱心 善行 启航 向日葵 雪莲 丝路 胡杨 彩虹 春雨 红柳 沙枣花 馨家
    睦邻 微光 益路同行
    """
)
# Names written in Uyghur script: <brand> <group> <institution>.
UG_BRANDS = _words(
    """
    ئۈمىد بەخت نۇر باھار دوستلۇق قۇياش گۈلباغ يۇلتۇز ئالتۇن شادلىق
    """
)
UG_TAILS: tuple[Tail, ...] = (
    Tail("ياشلار مۇلازىمەت مەركىزى", F.YOUTH, SSO, None, (F.EDUCATION,)),
    Tail("ياشلار جەمئىيىتى", F.YOUTH, SG, None, (F.CULTURE,)),
    Tail("مەھەللە ياشانغانلار جەمئىيىتى", F.ELDERLY, SG, None, (F.COMMUNITY,)),
    Tail("ياشانغانلار مۇلازىمەت مەركىزى", F.ELDERLY, SSO, None, (F.HEALTH,)),
    Tail("ئاياللار قول ھۈنەر كوپىراتىپى", F.WOMEN, COMM, None, (F.EMPLOYMENT,)),
    Tail("بالىلار مۇلازىمەت مەركىزى", F.CHILDREN, SSO, None, (F.EDUCATION,)),
    Tail("مەھەللە مۇلازىمەت مەركىزى", F.COMMUNITY, SSO, None, (F.MEDIATION,)),
)

ORG_NOTES = _words(
    """
    由社区推荐入驻 由街道办事处推荐入驻 负责人曾获优秀社会工作者称号 已完成规范化建设自评
    服务对象以辖区独居老人和困难家庭为主 与辖区学校建立了长期合作关系
    志愿者队伍稳定，服务记录完整
    """
)

# --- lifecycle ----------------------------------------------------------------------------

REASONS: dict[tuple[Stage | None, Stage], tuple[str, ...]] = {
    (None, Stage.APPLIED): (
        "提交入驻申请",
        "社区推荐，提交入驻申请",
        "街道推荐申请入驻孵化",
        "通过线上平台提交入驻申请",
    ),
    (Stage.APPLIED, Stage.ADMITTED): (
        "评审委员会审议通过",
        "入驻评审通过",
        "专家评审通过，同意入驻",
    ),
    (Stage.APPLIED, Stage.EXITED): (
        "未通过入驻评审",
        "申请材料不全，申请人撤回申请",
        "自愿退出",
    ),
    (Stage.ADMITTED, Stage.INCUBATING): ("签订孵化协议", "签订孵化协议，正式入驻孵化"),
    (Stage.ADMITTED, Stage.EXITED): ("未按期签订孵化协议", "自愿退出"),
    (Stage.INCUBATING, Stage.MID_TERM): ("中期评估合格", "中期评估合格，继续孵化"),
    (Stage.INCUBATING, Stage.GRADUATED): ("提前达到出壳标准", "达到出壳标准"),
    (Stage.INCUBATING, Stage.EXITED): (
        "自愿退出",
        "负责人变动，自愿退出孵化",
        "迁出本辖区，终止孵化协议",
    ),
    (Stage.MID_TERM, Stage.GRADUATED): (
        "达到出壳标准",
        "达到出壳标准，顺利出壳",
        "完成孵化目标，准予出壳",
    ),
    (Stage.MID_TERM, Stage.EXITED): (
        "自愿退出",
        "连续两次评估不合格，终止孵化",
        "负责人变动，自愿退出孵化",
    ),
}
STAGE_WEIGHTS = (
    (Stage.APPLIED, 8),
    (Stage.ADMITTED, 7),
    (Stage.INCUBATING, 25),
    (Stage.MID_TERM, 17),
    (Stage.GRADUATED, 28),
    (Stage.EXITED, 15),
)
EXIT_FROM_WEIGHTS = (
    (Stage.APPLIED, 25),
    (Stage.ADMITTED, 10),
    (Stage.INCUBATING, 40),
    (Stage.MID_TERM, 25),
)
AGREEMENT_DAYS = (365, 365, 365, 548, 730)


@dataclass(slots=True)
class Plan:
    """One organization's lifecycle, decided before anything else about it."""

    stage: Stage
    flavor: str  # "normal", "overdue" (planned end passed) or "due_soon" (ends within 30 days)
    style: str = "normal"  # "normal", "person" (named after a person) or "uyghur" (Uyghur script)
    form: LegalForm | None = None  # forced legal form, else drawn
    steps: list[tuple[Stage, dt.date]] = field(default_factory=list)
    agreement_start: dt.date | None = None
    planned_end: dt.date | None = None

    @property
    def applied_on(self) -> dt.date:
        return self.steps[0][1]

    @property
    def stage_since(self) -> dt.date:
        return self.steps[-1][1]

    def reached(self, stage: Stage) -> dt.date | None:
        for s, d in self.steps:
            if s is stage:
                return d
        return None


def _weighted(rng: random.Random, pairs: Sequence[tuple[Any, int]]) -> Any:
    total = sum(w for _, w in pairs)
    x = rng.random() * total
    for item, w in pairs:
        x -= w
        if x < 0:
            return item
    return pairs[-1][0]


def _lay_out(rng: random.Random, plan: Plan, today: dt.date, window_days: int) -> None:
    """Dates of every step, laid out backwards from today so none is in the future."""
    final = plan.stage
    ag = rng.choice(AGREEMENT_DAYS)
    if final in (Stage.INCUBATING, Stage.MID_TERM) and plan.flavor != "normal":
        ag = rng.choice((365, 365, 548))
    t_admit = rng.randint(10, 60)
    t_inc = t_admit + rng.randint(5, 40)
    rel: list[tuple[Stage, int]] = [(Stage.APPLIED, 0)]
    last = final
    if final is Stage.EXITED:
        last = _weighted(rng, EXIT_FROM_WEIGHTS)
    order = (Stage.APPLIED, Stage.ADMITTED, Stage.INCUBATING, Stage.MID_TERM)
    depth = order.index(last) if last in order else 3
    early = final is Stage.GRADUATED and rng.random() < 0.1
    if depth >= 1 or final is Stage.GRADUATED:
        rel.append((Stage.ADMITTED, t_admit))
    if depth >= 2 or final is Stage.GRADUATED:
        rel.append((Stage.INCUBATING, t_inc))
    mid = t_inc + ag // 2 + rng.randint(-20, 20)
    if last is Stage.MID_TERM or (final is Stage.GRADUATED and not early and rng.random() < 0.85):
        rel.append((Stage.MID_TERM, mid))
    if final is Stage.GRADUATED:
        if early:
            rel.append((Stage.GRADUATED, t_inc + rng.randint(ag // 3, ag * 2 // 3)))
        else:
            rel.append((Stage.GRADUATED, t_inc + ag + rng.randint(-45, 20)))
    elif final is Stage.EXITED:
        base = rel[-1][1]
        if last is Stage.APPLIED:
            gap = rng.randint(10, 60)
        elif last is Stage.ADMITTED:
            gap = rng.randint(10, 90)
        elif last is Stage.INCUBATING:
            gap = rng.randint(30, ag // 2 - 25)
        else:
            gap = rng.randint(20, max(21, t_inc + ag - base))
        rel.append((Stage.EXITED, base + gap))
    last_rel = rel[-1][1]

    if final is Stage.APPLIED:
        applied = today - dt.timedelta(days=rng.randint(0, 45))
    elif final is Stage.ADMITTED:
        applied = today - dt.timedelta(days=rng.randint(0, 35) + last_rel)
    elif final in (Stage.INCUBATING, Stage.MID_TERM):
        if plan.flavor == "overdue":
            end = today - dt.timedelta(days=rng.randint(1, 120))
            start = end - dt.timedelta(days=ag)
        elif plan.flavor == "due_soon":
            end = today + dt.timedelta(days=rng.randint(0, 30))
            start = end - dt.timedelta(days=ag)
        elif final is Stage.INCUBATING:
            start = today - dt.timedelta(days=rng.randint(0, ag // 2 - 21))
        else:
            start = today - dt.timedelta(days=rng.randint(mid - t_inc, ag - 31))
        applied = start - dt.timedelta(days=t_inc)
    else:
        applied = today - dt.timedelta(days=last_rel + rng.randint(0, window_days - last_rel))
    plan.steps = [(s, applied + dt.timedelta(days=r)) for s, r in rel]
    started = plan.reached(Stage.INCUBATING)
    if started is not None:
        plan.agreement_start = started
        plan.planned_end = started + dt.timedelta(days=ag)


def _plans(rng: random.Random, n: int, today: dt.date, window_days: int) -> list[Plan]:
    # The first few cover every stage, overdue and soon-due agreements, a person-named and an
    # Uyghur-script organization and an unregistered one, so even a small demo shows them all.
    guaranteed = [
        Plan(Stage.APPLIED, "normal", form=COMM),
        Plan(Stage.ADMITTED, "normal"),
        Plan(Stage.INCUBATING, "normal", style="uyghur"),
        Plan(Stage.MID_TERM, "normal", style="person"),
        Plan(Stage.GRADUATED, "normal"),
        Plan(Stage.EXITED, "normal"),
        Plan(Stage.INCUBATING, "overdue"),
        Plan(Stage.MID_TERM, "overdue"),
        Plan(Stage.INCUBATING, "due_soon"),
        Plan(Stage.MID_TERM, "due_soon"),
    ][:n]
    plans = guaranteed
    for _ in range(n - len(guaranteed)):
        stage = _weighted(rng, STAGE_WEIGHTS)
        flavor = "normal"
        if stage in (Stage.INCUBATING, Stage.MID_TERM):
            flavor = _weighted(rng, (("normal", 75), ("overdue", 12), ("due_soon", 13)))
        r = rng.random()
        style = "uyghur" if r < 0.03 else "person" if r < 0.07 else "normal"
        plans.append(Plan(stage, flavor, style=style))
    for plan in plans:
        _lay_out(rng, plan, today, window_days)
    # Numbers are given in order of application, as a registry that grew over time would have.
    order = sorted(range(n), key=lambda i: (plans[i].applied_on, i))
    return [plans[i] for i in order]


# --- support ------------------------------------------------------------------------------

SERVICE_PHRASE = {
    F.ELDERLY: "社区居家养老",
    F.YOUTH: "青少年社会工作",
    F.CHILDREN: "儿童关爱",
    F.DISABILITY: "残疾人康复",
    F.COMMUNITY: "社区治理",
    F.MEDIATION: "矛盾纠纷调解",
    F.EMPLOYMENT: "就业技能培训",
    F.EDUCATION: "家庭教育指导",
    F.HEALTH: "心理健康",
    F.WOMEN: "妇女儿童关爱",
    F.CULTURE: "社区文化",
    F.ENVIRONMENT: "垃圾分类宣传",
    F.RURAL: "乡村振兴技术培训",
    F.LEGAL_AID: "公共法律",
}
# Government departments that buy services of each field ("{local}" is the district or city).
DEPARTMENT = {
    F.MEDIATION: "{local}司法局",
    F.LEGAL_AID: "{local}司法局",
    F.EMPLOYMENT: "{local}人力资源和社会保障局",
    F.WOMEN: "{local}妇女联合会",
    F.CHILDREN: "{local}妇女联合会",
    F.DISABILITY: "{local}残疾人联合会",
    F.YOUTH: "共青团{local}委员会",
    F.HEALTH: "{local}卫生健康委员会",
    F.RURAL: "{local}农业农村局",
}
FOUNDATIONS = _words(
    """
    阿里巴巴公益基金会 腾讯公益慈善基金会 中国乡村发展基金会 中国妇女发展基金会
    中国青少年发展基金会 中华少年儿童慈善救助基金会 南都公益基金会 爱德基金会
    """
)
ENTERPRISES = _words(
    """
    国网新疆电力有限公司 中国移动通信集团新疆有限公司 中国石油天然气股份有限公司新疆油田分公司
    新疆天山水泥股份有限公司 新疆广汇实业投资（集团）有限责任公司
    中国工商银行股份有限公司新疆维吾尔自治区分行
    """
)
OTHER_FUNDERS = ("新疆维吾尔自治区慈善总会", "中华慈善总会", "{city}慈善总会", "{city}红十字会")
SOURCE_WEIGHTS = (
    (FundSource.GOVERNMENT, 55),
    (FundSource.FOUNDATION, 15),
    (FundSource.ENTERPRISE, 10),
    (FundSource.PARTNER_PROVINCE, 12),
    (FundSource.OTHER, 8),
)
SHARES = {
    1: ((1.0,),),
    2: ((0.5, 0.5), (0.6, 0.4), (0.7, 0.3)),
    3: ((0.4, 0.3, 0.3), (0.3, 0.4, 0.3), (0.5, 0.3, 0.2)),
    4: ((0.25, 0.25, 0.25, 0.25), (0.3, 0.3, 0.3, 0.1), (0.4, 0.2, 0.2, 0.2)),
}

PROJECT_THEMES = {
    F.ELDERLY: ("居家养老助餐服务项目", "老年人日间照料服务项目", "独居老人关爱探访项目"),
    F.YOUTH: ("青少年成长护航项目", "青少年暑期托管服务项目", "青年志愿服务能力提升项目"),
    F.CHILDREN: ("留守儿童关爱项目", "四点半课堂托管项目", "儿童安全教育项目"),
    F.DISABILITY: ("残疾人居家康复服务项目", "特殊儿童康复训练项目", "残疾人辅助就业项目"),
    F.COMMUNITY: ("社区邻里互助项目", "社区议事协商能力建设项目", "楼栋自治示范项目"),
    F.MEDIATION: ("邻里纠纷调解服务项目", "家事纠纷调解项目", "矛盾纠纷排查化解项目"),
    F.EMPLOYMENT: ("巾帼家政技能培训项目", "青年就业创业辅导项目", "手工艺品电商销售帮扶项目"),
    F.EDUCATION: ("家庭教育讲堂项目", "社区科普进万家项目", "亲子共读推广项目"),
    F.HEALTH: ("慢性病健康管理项目", "心理健康关爱项目", "社区健康义诊项目"),
    F.WOMEN: ("妇女儿童权益保护项目", "巾帼巧手增收项目", "妇女健康关爱项目"),
    F.CULTURE: ("社区文化活动项目", "非遗刺绣技艺传承项目", "全民健身进社区项目"),
    F.ENVIRONMENT: ("垃圾分类宣传引导项目", "绿色社区共建项目", "义务植树护绿项目"),
    F.RURAL: ("林果种植技术培训项目", "庭院经济帮扶项目", "乡村人才培育项目"),
    F.LEGAL_AID: ("法律援助进社区项目", "普法宣传服务项目", "公益法律咨询项目"),
}
PROJECT_BRANDS = _words(
    """
    银龄同行 石榴花开 邻里守望 七彩课堂 巾帼巧手 法润万家 绿色家园 暖心陪伴 健康同行 手拉手
    同心圆 点亮微光 春风行动 快乐成长 携手同行 情暖夕阳 阳光助残 和美社区
    """
)
# Output statements per field; {a} {b} {c} are filled with counts.
OUTPUTS = {
    F.ELDERLY: "开展助餐服务{a}人次，上门探访{b}户次，组织健康讲座{c}场",
    F.YOUTH: "开展成长小组活动{c}期，服务青少年{a}人次，培育青年志愿者{b}名",
    F.CHILDREN: "开展课后托管{a}人次，组织亲子活动{c}场，建立儿童关爱档案{b}份",
    F.DISABILITY: "提供居家康复训练{a}人次，适配辅助器具{b}件，开展助残活动{c}场",
    F.COMMUNITY: "组织邻里活动{c}场，参与居民{a}人次，解决居民诉求{b}件",
    F.MEDIATION: "受理纠纷{b}件，调解成功率{p}%，开展法治宣传{c}场，覆盖居民{a}人次",
    F.EMPLOYMENT: "开展技能培训{c}期，培训{a}人次，帮助{b}人实现就业",
    F.EDUCATION: "举办家庭教育讲座{c}场，服务家庭{b}户，参与{a}人次",
    F.HEALTH: "开展健康筛查{a}人次，建立健康档案{b}份，举办健康讲座{c}场",
    F.WOMEN: "培训妇女{a}人次，帮助{b}名妇女增收，开展权益保护宣传{c}场",
    F.CULTURE: "组织文化活动{c}场，参与群众{a}人次，培育文艺骨干{b}名",
    F.ENVIRONMENT: "开展垃圾分类宣传{c}场，入户指导{b}户，参与居民{a}人次",
    F.RURAL: "开展技术培训{c}场，培训农户{a}人次，示范户{b}户",
    F.LEGAL_AID: "提供法律咨询{a}人次，代写法律文书{b}份，开展普法讲座{c}场",
}
TRAININGS = _words(
    """
    社会组织财务管理培训 项目设计与申报能力提升培训班 社会工作实务培训 社会组织党建工作培训
    志愿者招募与管理培训 公益项目评估与结项培训 社会组织等级评估辅导 新媒体宣传技能培训
    社会组织登记与年检政策解读 消防安全与应急处置培训 公益项目路演训练营 社会组织内部治理培训
    """
)
MENTOR_TITLES = ("孵化导师结对辅导", "财务管理导师辅导", "项目管理导师辅导", "品牌传播导师辅导")
SOCIAL_WORKER_TITLES = ("驻点社会工作者服务", "社会工作督导服务")
EVALUATORS = ("孵化基地评估专家组", "{city}社会组织评估专家委员会", "第三方评估机构")
WEAKNESS = {
    "governance": "建议完善理事会议事规则和内部管理制度",
    "finance": "建议规范财务票据管理，建立项目资金台账",
    "services": "建议扩大服务覆盖面，做好服务记录",
    "team": "建议加强专职人员队伍建设，稳定志愿者队伍",
}

# --- the center's spaces ------------------------------------------------------------------


def _space_rows() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for floor in (1, 2):
        for n in range(1, 7):
            number = f"{floor}{n:02d}"
            rows.append(
                {
                    "code": f"R{number}",
                    "name": f"孵化室{number}",
                    "kind": SpaceKind.ROOM,
                    "area_m2": Decimal(("18.50", "24.00", "32.60")[n % 3]),
                    "capacity": (4, 6, 8)[n % 3],
                    "notes": "一楼" if floor == 1 else "二楼",
                }
            )
    for row_letter in "AB":
        for n in range(1, 16):
            rows.append(
                {
                    "code": f"{row_letter}{n:02d}",
                    "name": f"共享工位{row_letter}{n:02d}",
                    "kind": SpaceKind.DESK,
                    "area_m2": Decimal("4.50"),
                    "capacity": 1,
                    "notes": "开放办公区",
                }
            )
    for i, (name, area, capacity) in enumerate(
        (
            ("多功能会议室", "120.00", 60),
            ("培训教室", "85.00", 40),
            ("路演厅", "150.00", 80),
            ("洽谈室", "25.00", 8),
        ),
        start=1,
    ):
        rows.append(
            {
                "code": f"S{i:02d}",
                "name": name,
                "kind": SpaceKind.SHARED,
                "area_m2": Decimal(area),
                "capacity": capacity,
                "notes": "共享设施，需提前预约",
            }
        )
    return rows


# --- helpers ------------------------------------------------------------------------------

ORG_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100 leaves out I O S V Z
_ORG_CODE_SPACE = 31**6


def _org_code_check(body: str) -> str:
    """Check character of a GB 11714 organization code (the 9th character)."""
    weights = (3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(int(ch, 36) * w for ch, w in zip(body, weights, strict=True))
    c = 11 - total % 11
    return "X" if c == 10 else "0" if c == 11 else str(c)


def _credit_code(form: LegalForm, area_code: str, n: int) -> str:
    """Code number n: 5 (civil affairs), kind, area, 'MJ' + six characters + check, check."""
    chars = []
    for _ in range(6):
        n, r = divmod(n, 31)
        chars.append(ORG_CODE_ALPHABET[r])
    body = "MJ" + "".join(reversed(chars))
    org_code = body + _org_code_check(body)
    code = "5" + TYPE_DIGIT[form] + area_code + org_code
    return code + uscc.calc_check_digit(code)


def _days(d: int) -> dt.timedelta:
    return dt.timedelta(days=d)


def _between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    if end <= start:
        return start
    return start + _days(rng.randint(0, (end - start).days))


class _Clock:
    """Timestamps of office hours (Beijing time) on given days, stored in UTC, never in the
    future."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.now = utcnow()
        self._opening: dict[dt.date, dt.datetime] = {}

    def at(self, day: dt.date) -> dt.datetime:
        opening = self._opening.get(day)
        if opening is None:  # 09:30 in Beijing is 01:30 UTC
            opening = dt.datetime(day.year, day.month, day.day, 1, 30, tzinfo=dt.UTC)
            self._opening[day] = opening
        stamp = opening + dt.timedelta(minutes=int(self.rng.random() * 480))
        return stamp if stamp <= self.now else self.now


def _money(rng: random.Random, low: int, high: int, odd: bool = False) -> Decimal:
    value = math.exp(rng.uniform(math.log(low), math.log(high)))
    step = 100 if value < 20_000 else 500 if value < 60_000 else 1000
    amount = Decimal(max(low, round(value / step) * step))
    if odd:  # contract prices are often not round
        amount += Decimal(rng.randint(1, 99_999)) / 100
    return amount.quantize(CENT)


def _score(rng: random.Random, centre: float, spread: float = 8.0) -> Decimal:
    value = min(100.0, max(0.0, rng.gauss(centre, spread)))
    return (Decimal(round(value * 2)) / 2).quantize(CENT)


# --- the generator ------------------------------------------------------------------------


class _Generator:
    def __init__(
        self,
        session: Session,
        writer: BulkWriter,
        rng: random.Random,
        today: dt.date,
        window_days: int,
    ) -> None:
        self.s = session
        self.w = writer
        self.rng = rng
        self.today = today
        self.window_days = window_days
        self.clock = _Clock(rng)
        self.names: set[str] = set()
        self.codes: set[str] = set(
            session.scalars(
                select(Organization.credit_code).where(Organization.credit_code.is_not(None))
            )
        )
        self.code_base = rng.randrange(_ORG_CODE_SPACE)
        self.code_n = 0
        self.mentors = [self.person(0.4) for _ in range(30)]
        self.social_workers = [self.person(0.5) for _ in range(24)]
        self.counts = dict.fromkeys(
            _words(
                """
                organizations transitions funds payments projects talent_records spaces
                allocations evaluations
                """
            ),
            0,
        )
        self.area_weights = [(a, a.weight) for a in AREAS]
        # Uyghur-script and person-named organizations are most common where most people are
        # Uyghur (Kashgar, Hotan, Turpan ...).
        self.ug_weights = [(a, a.weight * a.uyghur) for a in AREAS]
        self.compliance = demo_compliance.ComplianceDemo(session, writer, today, ACTOR)
        # Organizations that may get a space: (start, end, id, wants a room).
        self.space_wishes: list[tuple[dt.date, dt.date, int, bool]] = []

    # people

    def person(self, uyghur_share: float) -> str:
        rng = self.rng
        if rng.random() < uyghur_share:
            given = rng.choice(UYGHUR_FEMALE if rng.random() < 0.5 else UYGHUR_MALE)
            return f"{given}·{rng.choice(UYGHUR_FATHER)}"
        return rng.choice(HAN_SURNAMES) + rng.choice(HAN_GIVEN)

    def uyghur_script_person(self) -> str:
        return f"{self.rng.choice(UG_GIVEN)} {self.rng.choice(UG_FATHER)}"

    def phone(self) -> str:
        return self.phone_from(self.rng)

    @staticmethod
    def phone_from(rng: random.Random) -> str:
        return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"

    # identity

    def unique(self, name: str) -> str:
        if name not in self.names:
            self.names.add(name)
            return name
        n = 2
        while f"{name}({n})" in self.names:
            n += 1
        name = f"{name}({n})"
        self.names.add(name)
        return name

    def new_code(self, form: LegalForm, area_code: str) -> str:
        while True:
            n = (self.code_base + self.code_n * 7_919) % _ORG_CODE_SPACE
            self.code_n += 1
            code = _credit_code(form, area_code, n)
            if code not in self.codes:
                self.codes.add(code)
                return code

    def name(
        self, plan: Plan, area: Area, township: str, community: str
    ) -> tuple[str, str | None, LegalForm, Tail]:
        rng = self.rng
        name = ""
        if plan.style == "uyghur":
            for attempt in range(10):
                tail = rng.choice(UG_TAILS)
                prefix = f"{area.ug_city} " if attempt > 5 or rng.random() < 0.5 else ""
                name = f"{prefix}{rng.choice(UG_BRANDS)} {tail.text}"
                if name not in self.names:
                    break
            return self.unique(name), None, tail.form, tail
        if plan.style == "person":
            for attempt in range(10):
                tail = rng.choice(PERSON_TAILS)
                prefix = area.short if attempt > 5 or rng.random() < 0.4 else ""
                name = f"{prefix}{self.person(1.0)}{tail.text}"
                if name not in self.names:
                    break
            return self.unique(name), None, tail.form, tail
        form = plan.form or _weighted(rng, FORM_WEIGHTS)
        tails = TAILS_BY_FORM[form]
        name = ""
        for attempt in range(10):
            tail = rng.choice(tails)
            brand = rng.choice(BRANDS)
            r = rng.random()
            if form is FD:  # foundations register with the city or the autonomous region
                name = f"{area.city if r < 0.7 else '新疆'}{brand}{tail.text}"
            elif form is COMM:
                if r < 0.4:
                    name = f"{area.short}{community}{tail.text}"
                elif r < 0.7 or attempt > 3:
                    name = f"{township}{community}{tail.text}"
                else:
                    name = f"{community}{tail.text}"
            elif attempt > 4:
                name = f"{area.short}{township}{brand}{tail.text}"
            elif r < 0.55:
                name = f"{area.short}{brand}{tail.text}"
            elif r < 0.8:
                place = community
                if tail.text.startswith("社区"):  # 幸福社区 + 社区志愿者协会: 幸福社区志愿者协会
                    place = community.removesuffix("社区")
                name = f"{area.short}{place}{tail.text}"
            elif r < 0.95:
                name = f"{area.short}{tail.text}"
            else:
                name = f"{area.short}{township}{tail.text}"
            if name not in self.names:
                break
        short = None
        if tail.short and rng.random() < 0.4:
            short = (brand if brand in name else area.short[:-1]) + tail.short  # 天山区: 天山
        return self.unique(name), short, form, tail

    # one organization and everything about it

    def organization(self, plan: Plan) -> None:
        rng, today = self.rng, self.today
        org_id = self.w.new_id(Organization)
        area = _weighted(rng, self.area_weights if plan.style == "normal" else self.ug_weights)
        township = rng.choice(area.townships)
        if township.endswith("街道") or rng.random() < 0.2:
            community = rng.choice(COMMUNITIES)
        else:
            community = rng.choice(VILLAGES)
        name, short, form, tail = self.name(plan, area, township, community)
        fields = [tail.field]
        for extra in tail.extra:
            if len(fields) < 3 and rng.random() < 0.45:
                fields.append(extra)
        uyghur_share = 0.9 if plan.style != "normal" else area.uyghur

        applied = plan.applied_on
        founded = applied - _days(rng.randint(0, 900) if form is not COMM else rng.randint(0, 700))
        code = registered = None
        if form is not COMM:
            if form is FD:  # registered by the prefecture's or the region's civil affairs
                area_code = "650000" if name.startswith("新疆") else area.pref_code
            else:
                area_code = area.code
            code = self.new_code(form, area_code)
            registered = min(founded + _days(rng.randint(20, 400)), today)

        if plan.style == "uyghur" and rng.random() < 0.7:
            representative = self.uyghur_script_person()
        else:
            representative = self.person(uyghur_share)
        contact = representative if rng.random() < 0.35 else self.person(uyghur_share)
        if form is COMM:
            representative = None  # unregistered groups have no legal representative
        if form is SSO:
            staff, volunteers = rng.randint(2, 25), int(rng.paretovariate(1.6) * 12)
        elif form is SG:
            staff, volunteers = rng.randint(0, 8), int(rng.paretovariate(1.4) * 25)
        elif form is FD:
            staff, volunteers = rng.randint(2, 10), int(rng.paretovariate(1.8) * 10)
        else:
            staff, volunteers = rng.randint(0, 2), rng.randint(5, 60)
        volunteers = min(volunteers, 3000)

        exited = plan.reached(Stage.EXITED)
        archived = bool(exited and exited < today - _days(365) and rng.random() < 0.5)
        created = self.clock.at(applied)
        updated = max(created, self.clock.at(plan.stage_since))
        phone = self.phone()  # drawn where it always was: the same seed, the same registry
        # Contacts and address draw from their own generator, leaving the rest unchanged.
        extra = random.Random(f"contacts-{org_id}")
        address = f"{area.county}{township}{community}{extra.randint(1, 300)}号"
        notes = rng.choice(ORG_NOTES) if rng.random() < 0.15 else None
        people = [(contact, extra.choice(CONTACT_ROLES), phone, True)]
        if representative and representative != contact and extra.random() < 0.5:
            people.append((representative, "法定代表人", self.phone_from(extra), False))
        steps, previous = [], None
        for stage, day in plan.steps:
            steps.append((stage, day, rng.choice(REASONS[(previous, stage)]), self.clock.at(day)))
            previous = stage

        # Through the rules a registration form obeys, then along the lifecycle's table.
        new = registry.check_new(
            {
                "name": name,
                "short_name": short,
                "credit_code": code,
                "legal_form": form,
                "service_fields": fields,
                "area_county": area.county,
                "area_township": township,
                "area_community": community,
                "founded_on": founded,
                "registered_on": registered,
                "legal_representative": representative,
                "address": address,
                "staff_count": staff,
                "volunteer_count": volunteers,
                "notes": notes,
                "applied_on": plan.applied_on,
                "reason": steps[0][2],
            }
        )
        org = registry.build_new(new, ACTOR)
        org.id = org_id
        for stage, day, reason, _at in steps[1:]:
            incubating = stage is Stage.INCUBATING
            lifecycle.advance(
                org,
                stage,
                day,
                reason,
                ACTOR,
                plan.agreement_start if incubating else None,
                plan.planned_end if incubating else None,
            )
        for step, (*_, at) in zip(org.transitions, steps, strict=True):
            step.created_at = at
        org.archived, org.created_at, org.updated_at = archived, created, updated
        org.supervising_unit = demo_compliance.supervising_unit(org_id, form, fields, area.county)
        for person, role, number, main in people:
            clean = contacts.clean_contact(
                {"name": person, "role": role, "phone": number, "is_main": main}
            )
            org.contacts.append(
                OrganizationContact(**clean, created_at=created, updated_at=created)
            )
        self.w.add(org)
        self.counts["organizations"] += 1
        self.counts["transitions"] += len(plan.steps)
        self.compliance.organization(org, area.city, plan.reached(Stage.EXITED))

        ctx = _OrgContext(org_id, plan, area, fields, form, staff)
        self.support(ctx)
        self.talent(ctx)
        self.evaluations(ctx)
        started = plan.reached(Stage.INCUBATING)
        if started is not None and plan.stage is not Stage.EXITED:
            end = plan.reached(Stage.GRADUATED) or plan.planned_end
            assert end is not None
            start = min(started + _days(rng.randint(0, 10)), end)
            wants_room = form is not COMM and staff >= 6
            self.space_wishes.append((start, end, org_id, wants_room))

    # funds and projects

    def support(self, ctx: _OrgContext) -> None:
        rng, today, plan = self.rng, self.today, ctx.plan
        admitted = plan.reached(Stage.ADMITTED)
        if admitted is None:
            return
        until = plan.reached(Stage.EXITED) or today
        span = (until - admitted).days
        n = min(4, int(span / 240 + rng.random() * 1.6))
        if plan.stage in (Stage.INCUBATING, Stage.MID_TERM) and n == 0 and rng.random() < 0.8:
            n = 1
        for _ in range(n):
            fund = self.fund(ctx, admitted, until)
            if fund.kind in (FundKind.GRANT, FundKind.PURCHASED_SERVICE) or rng.random() < 0.2:
                self.project(ctx, fund)
        if rng.random() < 0.25:
            self.project(ctx, None, admitted, until)

    def fund(
        self,
        ctx: _OrgContext,
        first: dt.date,
        until: dt.date,
    ) -> Fund:
        rng, today, area = self.rng, self.today, ctx.area
        committed_on = _between(rng, first, until)
        year = committed_on.year
        field_ = rng.choice(ctx.fields)
        local = area.short
        source = _weighted(rng, SOURCE_WEIGHTS)
        if source is FundSource.PARTNER_PROVINCE and area.partner is None:
            source = FundSource.GOVERNMENT
        if source is FundSource.GOVERNMENT:
            kind = _weighted(
                rng,
                (
                    (FundKind.PURCHASED_SERVICE, 45),
                    (FundKind.GRANT, 25),
                    (FundKind.SUBSIDY, 20),
                    (FundKind.AWARD, 10),
                ),
            )
            if kind is FundKind.PURCHASED_SERVICE:
                title = f"{year}年政府购买{SERVICE_PHRASE[field_]}服务合同"
                dept = DEPARTMENT.get(field_, "{local}民政局")
                source_name = dept.format(local=rng.choice((local, area.city)))
            elif kind is FundKind.GRANT:
                title = rng.choice(
                    (f"{year}年度公益创投项目资助", f"{year}年{area.city}社会组织公益创投大赛资助")
                )
                source_name = rng.choice((f"{area.city}民政局", f"{local}民政局"))
            elif kind is FundKind.SUBSIDY:
                title = rng.choice(
                    (
                        f"{year}年度社会组织孵化培育补贴",
                        "新成立社会组织开办经费补贴",
                        f"{year}年社会组织房租补贴",
                        f"{year}年社区社会组织培育扶持资金",
                    )
                )
                source_name = rng.choice(
                    (f"{local}民政局", f"{local}财政局", f"{area.prefecture}民政局")
                )
            else:
                title = rng.choice(
                    (f"{year}年度社会组织等级评估奖励", f"{year}年度优秀社会组织奖励")
                )
                source_name = rng.choice((f"{area.prefecture}民政局", "新疆维吾尔自治区民政厅"))
        elif source is FundSource.PARTNER_PROVINCE:
            kind = rng.choice((FundKind.GRANT, FundKind.SUBSIDY))
            title = rng.choice(
                (
                    "对口援疆省市社会组织扶持资金",
                    f"{year}年{area.partner}援疆社会组织能力建设资助",
                )
            )
            source_name = f"{area.partner}对口援疆工作前方指挥部"
        elif source is FundSource.FOUNDATION:
            kind = FundKind.AWARD if rng.random() < 0.15 else FundKind.GRANT
            theme = SERVICE_PHRASE[field_]
            title = (
                f"{year}年公益项目大赛优秀项目奖"
                if kind is FundKind.AWARD
                else f"{year}年度{theme}公益项目资助"
            )
            source_name = rng.choice(FOUNDATIONS)
        elif source is FundSource.ENTERPRISE:
            kind = FundKind.GRANT
            title = rng.choice(
                (f"{year}年企业社会责任公益捐赠", f"{year}年“爱心企业进社区”定向捐赠")
            )
            source_name = rng.choice(ENTERPRISES)
        else:
            kind = FundKind.GRANT
            title = f"{year}年{SERVICE_PHRASE[field_]}慈善项目资助"
            source_name = rng.choice(OTHER_FUNDERS).format(city=area.city)

        if kind is FundKind.PURCHASED_SERVICE:
            amount = _money(rng, 30_000, 500_000, odd=rng.random() < 0.2)
            parts = rng.choice((2, 3, 3, 4))
        elif kind is FundKind.GRANT:
            amount = _money(rng, 10_000, 300_000)
            parts = rng.choice((1, 2, 2, 3))
        elif kind is FundKind.SUBSIDY:
            amount = _money(rng, 5_000, 50_000)
            parts = rng.choice((1, 1, 2))
        else:
            amount = _money(rng, 5_000, 30_000)
            parts = 1
        start_on = committed_on + _days(rng.randint(0, 30))
        if kind in (FundKind.PURCHASED_SERVICE, FundKind.GRANT):
            end_on: dt.date | None = start_on + _days(rng.choice((180, 270, 364)))
        elif kind is FundKind.SUBSIDY:
            end_on = dt.date(start_on.year, 12, 31)
        else:
            end_on = None
        cancelled = rng.random() < 0.02
        exited = ctx.plan.reached(Stage.EXITED)
        created = self.clock.at(committed_on)

        # The payment schedule: all of the committed amount, or a part when the balance is
        # still to be scheduled; the last instalment takes the rounding remainder.
        planned = amount
        if parts > 1 and rng.random() < 0.15:
            planned = (amount * Decimal(rng.choice(("0.8", "0.9", "0.95")))).quantize(CENT)
        shares = rng.choice(SHARES[parts])
        amounts = [
            (planned * Decimal(str(share))).quantize(CENT, rounding=ROUND_DOWN)
            for share in shares[:-1]
        ]
        amounts.append(planned - sum(amounts, Decimal(0)))
        span = ((end_on or start_on) - start_on).days
        paid_total = Decimal(0)
        live_unpaid = 0
        payments: list[dict[str, Any]] = []
        stamps: list[dt.datetime] = []
        for i, part in enumerate(amounts):
            if parts > 1 and i == parts - 1:
                due = (end_on or start_on) + _days(rng.randint(0, 30))  # after the final check
            else:
                due = start_on + _days(span * i // max(1, parts - 1))
            status, paid_on, note, reason = PaymentStatus.SCHEDULED, None, None, None
            if cancelled or (exited is not None and due > exited):
                status = PaymentStatus.CANCELLED
                reason = "资助取消" if cancelled else "组织退出孵化，剩余款项取消"
            elif due <= today and rng.random() < (0.995 if (today - due).days > 90 else 0.85):
                # Long past instalments were nearly all paid; a few recent ones are late.
                status = PaymentStatus.PAID
                paid_on = min(due + _days(rng.randint(0, 25)), today)
                paid_total += part
            else:
                live_unpaid += 1
            if note is None and parts > 1:
                note = "首期款" if i == 0 else "尾款" if i == parts - 1 else f"第{i + 1}期"
            payments.append(
                {
                    "due_on": due,
                    "amount": part,
                    "status": status,
                    "paid_on": paid_on,
                    "notes": note,
                    "cancel_reason": reason,
                }
            )
            stamps.append(max(created, self.clock.at(paid_on)) if paid_on else created)
        fund_reason = None
        if cancelled or (exited is not None and paid_total == 0 and live_unpaid == 0):
            status = FundStatus.CANCELLED
            fund_reason = "资助方撤回资助" if cancelled else "组织退出孵化，资助未拨付"
        elif start_on > today:
            status = FundStatus.PLANNED
        elif live_unpaid == 0 and (planned == amount or exited is not None):
            status = FundStatus.COMPLETED
        else:
            status = FundStatus.ACTIVE
        clean = funds.clean_fund(
            {
                "title": title,
                "source": source,
                "source_name": source_name,
                "kind": kind,
                "amount_committed": amount,
                "committed_on": committed_on,
                "start_on": start_on,
                "end_on": end_on,
                "status": status,
                "notes": "按合同约定分期拨付" if parts > 2 and rng.random() < 0.3 else None,
                "cancel_reason": fund_reason,
            }
        )
        fund = funds.build_fund(ctx.org_id, clean, [funds.clean_payment(p) for p in payments])
        fund.created_at = fund.updated_at = created
        for payment, stamp in zip(fund.payments, stamps, strict=True):
            payment.created_at, payment.updated_at = created, stamp
        self.w.add(fund)
        self.counts["funds"] += 1
        self.counts["payments"] += parts
        return fund

    def project(
        self,
        ctx: _OrgContext,
        fund: Fund | None,
        first: dt.date | None = None,
        until: dt.date | None = None,
    ) -> None:
        rng, today = self.rng, self.today
        field_ = rng.choice(ctx.fields)
        theme = rng.choice(PROJECT_THEMES[field_])
        if fund is not None:
            assert fund.start_on is not None
            start, end = fund.start_on, fund.end_on or fund.start_on + _days(364)
            budget = fund.amount_committed
            funder = fund.source_name
            cancelled = fund.status is FundStatus.CANCELLED
        else:
            assert first is not None and until is not None
            start = _between(rng, first, until)
            end = start + _days(rng.choice((90, 180, 364)))
            budget = _money(rng, 2_000, 30_000)
            funder = "自筹"
            cancelled = rng.random() < 0.03
        if fund is not None and fund.kind is FundKind.PURCHASED_SERVICE:
            name = f"{start.year}年{theme}"
        else:
            name = f"“{rng.choice(PROJECT_BRANDS)}”{theme}"
        exited = ctx.plan.reached(Stage.EXITED)
        if exited is not None and end > exited:
            end = max(start, exited)
        if cancelled:
            status = ProjectStatus.CANCELLED
        elif start > today:
            status = ProjectStatus.PLANNED
        elif end >= today:
            status = ProjectStatus.ONGOING
        else:
            status = ProjectStatus.COMPLETED
        people, outputs = 0, None
        if status in (ProjectStatus.ONGOING, ProjectStatus.COMPLETED):
            done = (
                1.0
                if status is ProjectStatus.COMPLETED
                else max(0.1, (today - start).days / max(1, (end - start).days))
            )
            scale = float(budget) / 1000
            people = max(10, int(rng.uniform(3, 9) * scale * done))
            outputs = OUTPUTS[field_].format(
                a=people,
                b=max(5, int(people * rng.uniform(0.05, 0.3))),
                c=max(2, int(rng.uniform(0.5, 2.0) * scale**0.5 * done)),
                p=rng.randint(85, 98),
            )
            if status is ProjectStatus.ONGOING:
                outputs = "截至目前，" + outputs
        created = self.clock.at(min(start, today))
        clean = projects.clean(
            {
                "name": name,
                "funder": funder,
                "budget": budget,
                "start_on": start,
                "end_on": end,
                "status": status,
                "beneficiaries": people,
                "outputs": outputs,
            }
        )
        updated = max(created, self.clock.at(min(end, today)))
        self.w.add(
            Project(organization_id=ctx.org_id, **clean, created_at=created, updated_at=updated)
        )
        self.counts["projects"] += 1

    # talent

    def talent(self, ctx: _OrgContext) -> None:
        rng, today, plan, area = self.rng, self.today, ctx.plan, ctx.area
        first = plan.reached(Stage.ADMITTED) or plan.applied_on
        until = plan.reached(Stage.EXITED) or today
        span = (until - first).days
        n = min(6, int(span / 150 + rng.random() * 2))
        if plan.stage is Stage.APPLIED:
            n = 1 if rng.random() < 0.3 else 0
        providers = (
            "孵化基地",
            f"{area.short}民政局",
            f"{area.city}社会工作协会",
            "新疆师范大学",
            "新疆大学",
            f"{area.city}社会组织服务中心",
        )
        for _ in range(n):
            start = _between(rng, first, until)
            days = rng.choice((1, 1, 1, 2, 3))
            end = min(start + _days(days - 1), today)
            hours = Decimal(rng.choice(("3.0", "3.5", "6.0", "7.5"))) * days
            self.w.add(
                self._talent(
                    ctx.org_id,
                    TalentKind.TRAINING,
                    rng.choice(TRAININGS),
                    None,
                    rng.choice(providers),
                    start,
                    end,
                    rng.randint(1, 4),
                    hours,
                )
            )
        started = plan.reached(Stage.INCUBATING)
        if started is not None:
            end = plan.reached(Stage.GRADUATED) or plan.reached(Stage.EXITED) or plan.planned_end
            assert end is not None
            weeks = max(1, (min(end, today) - started).days // 7)
            if rng.random() < 0.85:
                self.w.add(
                    self._talent(
                        ctx.org_id,
                        TalentKind.MENTOR,
                        rng.choice(MENTOR_TITLES),
                        rng.choice(self.mentors),
                        "孵化基地导师库",
                        started,
                        end,
                        1,
                        Decimal(min(120, weeks * rng.choice((1, 2)))),
                    )
                )
            if rng.random() < 0.5:
                self.w.add(
                    self._talent(
                        ctx.org_id,
                        TalentKind.SOCIAL_WORKER,
                        rng.choice(SOCIAL_WORKER_TITLES),
                        rng.choice(self.social_workers),
                        f"{area.city}社会工作协会",
                        started,
                        end,
                        1,
                        Decimal(min(400, weeks * rng.choice((2, 4, 8)))),
                    )
                )

    def _talent(
        self,
        org_id: int,
        kind: TalentKind,
        title: str,
        person: str | None,
        provider: str,
        start: dt.date,
        end: dt.date,
        people: int,
        hours: Decimal,
    ) -> TalentRecord:
        self.counts["talent_records"] += 1
        created = self.clock.at(min(start, self.today))
        clean = talent.clean(
            {
                "kind": kind,
                "title": title,
                "person_name": person,
                "provider": provider,
                "start_on": start,
                "end_on": end,
                "people_count": people,
                "hours": hours.quantize(Decimal("0.1")),
            }
        )
        return TalentRecord(organization_id=org_id, **clean, created_at=created, updated_at=created)

    # evaluations

    def evaluations(self, ctx: _OrgContext) -> None:
        rng, today, plan = self.rng, self.today, ctx.plan
        quality = rng.gauss(80, 7)  # how good this organization is overall
        events: list[tuple[EvaluationKind, dt.date, float]] = []
        admitted = plan.reached(Stage.ADMITTED)
        if admitted is not None:
            events.append((EvaluationKind.ADMISSION, admitted, quality - 4))
        elif plan.stage is Stage.EXITED and rng.random() < 0.6:
            events.append((EvaluationKind.ADMISSION, plan.stage_since, 55))
        started = plan.reached(Stage.INCUBATING)
        mid = plan.reached(Stage.MID_TERM)
        if mid is not None:
            events.append((EvaluationKind.MID_TERM, mid, quality))
        if started is not None:
            end = plan.reached(Stage.GRADUATED) or plan.reached(Stage.EXITED) or today
            for year in range(started.year, min(end, today).year + 1):
                day = dt.date(year, 12, rng.randint(10, 28))
                if started + _days(120) < day <= min(end, today):
                    events.append((EvaluationKind.ANNUAL, day, quality + 1))
        graduated = plan.reached(Stage.GRADUATED)
        if graduated is not None:
            events.append((EvaluationKind.GRADUATION, graduated, max(quality, 80) + 4))
        city = ctx.area.city
        for kind, day, centre in events:
            scores = {name: _score(rng, centre) for name in WEAKNESS}
            total = sum(scores.values()) / 4
            weakest = min(scores, key=lambda k: scores[k])
            conclusion = self.conclusion(kind, total) + "；" + WEAKNESS[weakest]
            created = self.clock.at(day)
            clean = evaluations.clean(
                {
                    "kind": kind,
                    "evaluated_on": day,
                    "evaluator": rng.choice(EVALUATORS).format(city=city),
                    **scores,
                    "conclusion": conclusion,
                }
            )
            self.w.add(
                Evaluation(
                    organization_id=ctx.org_id, **clean, created_at=created, updated_at=created
                )
            )
        self.counts["evaluations"] += len(events)

    @staticmethod
    def conclusion(kind: EvaluationKind, total: Decimal) -> str:
        if kind is EvaluationKind.ADMISSION:
            if total >= 70:
                return "同意入驻孵化：组织定位清晰，负责人服务意愿强"
            if total >= 60:
                return "同意入驻孵化，需在孵化期内补齐制度短板"
            return "暂不同意入驻：组织架构尚不健全，建议完善后再申请"
        if kind is EvaluationKind.GRADUATION:
            if total >= 90:
                return "评估优秀，达到出壳标准，同意出壳"
            return "评估良好，达到出壳标准，同意出壳"
        label = "中期评估" if kind is EvaluationKind.MID_TERM else "年度评估"
        if total >= 90:
            return f"{label}优秀，孵化进展良好"
        if total >= 75:
            return f"{label}良好"
        if total >= 60:
            return f"{label}合格"
        return f"{label}基本合格，需在三个月内完成整改"

    # spaces

    def spaces(self) -> list[tuple[int, bool]]:
        """The center's room and desk spaces as (id, is a room); created when there are none."""
        existing = list(self.s.execute(select(Space.id, Space.kind, Space.active)).all())
        if not existing:
            created = self.clock.at(self.today - _days(self.window_days + 30))
            for row in _space_rows():
                space = Space(**spaces.clean_space(row), created_at=created, updated_at=created)
                existing.append((self.w.add(space), space.kind, True))
            self.counts["spaces"] = len(existing)
        return [
            (space_id, kind is SpaceKind.ROOM)
            for space_id, kind, active in existing
            if active and kind in (SpaceKind.ROOM, SpaceKind.DESK)
        ]

    def allocations(self) -> None:
        """Allocations in order of start: a space goes to the next organization only after the
        last one on it has left, so no two active allocations of a space overlap."""
        rng = self.rng
        spaces = self.spaces()
        taken: dict[int, list[tuple[dt.date, dt.date]]] = {sid: [] for sid, _ in spaces}
        for sid, start, end in self.s.execute(
            select(
                SpaceAllocation.space_id, SpaceAllocation.start_on, SpaceAllocation.end_on
            ).where(SpaceAllocation.status == AllocationStatus.ACTIVE)
        ):
            if sid in taken:
                taken[sid].append((start, end))
        last_end: dict[int, dt.date] = {sid: dt.date.min for sid, _ in spaces}
        rooms = [sid for sid, is_room in spaces if is_room]
        desks = [sid for sid, is_room in spaces if not is_room]
        for start, end, org_id, wants_room in sorted(self.space_wishes):
            choices = rooms + desks if wants_room else desks
            for sid in choices:
                if start <= last_end[sid] or any(
                    start <= t_end and end >= t_start for t_start, t_end in taken[sid]
                ):
                    continue
                cancelled = rng.random() < 0.03
                created = self.clock.at(min(start, self.today))
                if not cancelled:
                    last_end[sid] = end
                self.w.add(
                    SpaceAllocation(
                        space_id=sid,
                        organization_id=org_id,
                        start_on=start,
                        end_on=end,
                        status=AllocationStatus.CANCELLED if cancelled else AllocationStatus.ACTIVE,
                        notes="孵化协议配套办公场地" if rng.random() < 0.2 else None,
                        created_at=created,
                        updated_at=created,
                    )
                )
                self.counts["allocations"] += 1
                break


@dataclass(frozen=True, slots=True)
class _OrgContext:
    org_id: int
    plan: Plan
    area: Area
    fields: list[ServiceField]
    form: LegalForm
    staff: int


CONTACT_ROLES = ("负责人", "秘书长", "项目主管", "办公室主任", "社工")


def generate(
    db: Database,
    orgs: int = 60,
    seed: int = 2026,
    today: dt.date | None = None,
    progress: Callable[[int, int], bool] | None = None,
    force: bool = False,
    years: int = YEARS,
) -> DemoSummary:
    """Add ``orgs`` demo organizations with ``years`` years of history before ``today``
    (organizations that graduated or left are spread over them; the others are recent).

    Refused (``RealDataPresent``) when the registry holds organizations that anyone but the
    demo created, unless ``force``: fake organizations must not slip into a real registry.

    ``progress(done, total)`` is called after each batch of organizations; when it returns
    False the generation stops, everything is rolled back and ``Cancelled`` is raised.
    """
    if isinstance(orgs, bool) or not isinstance(orgs, int) or not MIN_ORGS <= orgs <= MAX_ORGS:
        raise ValidationError.single(
            "orgs", "Must be between {min} and {max}", min=MIN_ORGS, max=MAX_ORGS
        )
    if isinstance(years, bool) or not isinstance(years, int) or not MIN_YEARS <= years <= MAX_YEARS:
        raise ValidationError.single(
            "years", "Must be between {min} and {max}", min=MIN_YEARS, max=MAX_YEARS
        )
    today = today or dt.date.today()
    rng = random.Random(seed)
    batch = max(50, min(1000, orgs // 20))

    def report(done: int) -> None:
        if progress is not None and progress(done, orgs) is False:
            raise Cancelled()

    with db.transaction(actor=ACTOR) as session:
        created_here = (  # by the demo: its batches' entries (or each row's, before 0011)
            select(AuditEntry.id)
            .where(about(Organization.id), batches_of("demo") | (AuditEntry.actor == ACTOR))
            .where(AuditEntry.action == AuditAction.CREATE)
        )
        real = session.scalar(
            select(func.count()).select_from(Organization).where(~created_here.exists())
        )
        if real and not force:
            raise RealDataPresent(count=real)
        report(0)
        writer = BulkWriter(session, "demo")
        window_days = years * 365
        gen = _Generator(session, writer, rng, today, window_days)
        for done, plan in enumerate(_plans(rng, orgs, today, window_days), start=1):
            gen.organization(plan)
            if done % batch == 0 and done < orgs:
                report(done)
        gen.allocations()
        writer.finish()
        report(orgs)
        return DemoSummary(**gen.counts, **gen.compliance.counts)
