#!/usr/bin/env python3
"""Writes seed/programmes.json: the reports' sets as programmes, with the items they need.

    python3 seed/generate_programmes.py && python3 seed/check_seed.py

Deterministic (a fixed random seed), so the file only changes when this script does. What it makes up is listed in
seed/README.md ("programmes.json"): the projects' names, enterprises, amounts and monthly figures are invented; the
counts and totals are the reports' own (80 projects over 300亿 with 72 in strategic emerging industries and all started;
28 projects of which 11 new starts all started and 11 completed and producing; 6 + 11 tasks; 5 kindergartens giving
1,170 places, one of them 360).
"""
import json
import os
import random
from decimal import Decimal, ROUND_HALF_UP

HERE = os.path.dirname(os.path.abspath(__file__))
rng = random.Random(2020)

YI = 100_000_000  # 亿元 in yuan


def contact(name, title, phone, email):
    return {"name": name, "title": title, "phone": phone, "email": email}


def pct(x):
    return int(Decimal(x).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def yuan(x):
    """An amount rounded to 10,000 yuan (万元), as the sheets keep it."""
    return int(Decimal(x / 10_000).quantize(Decimal(1), rounding=ROUND_HALF_UP)) * 10_000


# Day offsets of the monthly reports (each a month apart, so each falls in its own month), the latest a few days ago.
def report_days(start, last):
    days = [last]
    while days[-1] + 30 < -start:
        days.append(days[-1] + 30)
    return sorted(days, reverse=True)


def key_project(code, title, jurisdiction, department, leader, person, parent, facts, start, deadline, share, phase,
                status="InProgress", colour="Green", narrative="", problems=None, last=3):
    """A key project reporting 形象进度 (%) and the month's completed investment; `share` is its progress today."""
    days = report_days(start, last)
    completed = facts["completedInvestment"]
    facts = {k: v for k, v in facts.items() if k != "completedInvestment"}
    n = len(days)
    reports = []
    # An S-shaped share of the year's work month by month: slow start, fast middle, the remainder last.
    weights = [1 + (i if i < n * 0.7 else n - i) for i in range(n)]
    total_w = sum(weights)
    done = 0
    for i, d in enumerate(days):
        p = share * (i + 1) / n
        month_amount = yuan(completed * weights[i] / total_w) if i < n - 1 else completed - done
        done += month_amount
        reports.append({
            "daysAgo": d, "by": person["name"], "phase": phase if i == n - 1 else ("Started" if phase != "Preparation" else "Preparation"),
            "narrative": narrative if i == n - 1 and narrative else f"形象进度{pct(p * 100)}%，本月完成投资{month_amount / 10_000:.0f}万元。",
            "problems": problems if i == n - 1 else None, "nextSteps": None,
            "values": {"形象进度": pct(p * 100)}, "investment": month_amount,
        })
    return {
        "code": code, "title": title, "description": f"{facts['ownerEnterprise']}投资建设，{facts['industry']}。",
        "kind": "KeyProject", "jurisdiction": jurisdiction, "leadDepartment": department, "coDepartments": [],
        "leaderInCharge": leader, "responsiblePerson": person, "budget": facts["totalInvestment"],
        "plannedStart": start, "deadline": deadline, "reportingInterval": "Weekly", "status": status, "phase": phase,
        "targets": [{"metric": "形象进度", "unit": "%", "baseline": 0, "target": 100, "weight": 1}],
        "milestones": [], "reports": reports, "expectedColour": colour,
        "parent": parent, "weight": None, "keyProject": facts,
    }


def expected(start, deadline):
    return min(max(-start / (deadline - start), 0), 1)


# ---------------------------------------------------------------------------------------------------------------
# 唐山高新区: 2020年80个重点项目 — total investment over 300亿, 90% (72) strategic emerging, start rate 100%.
TS_LEADERS = [
    contact("高志强", "管委会副主任", "0315-0000001", "gaozhiqiang@example.gov.cn"),
    contact("韩立新", "管委会副主任", "0315-0000002", "hanlixin@example.gov.cn"),
    contact("吕振国", "党工委委员", "0315-0000003", "lvzhenguo@example.gov.cn"),
]
TS_DEPARTMENTS = ["TSGX-XMB", "TSGX-JFJ", "TSGX-TCJ", "TSGX-KJJ", "TSGX-JSJ"]
STRATEGIC = [
    ("机器人", ["焊接机器人", "特种机器人", "协作机器人", "智能巡检机器人", "机器人减速器"]),
    ("新材料", ["石墨烯导热膜", "高性能陶瓷", "特种焊材", "高端铝合金型材", "碳纤维复合材料"]),
    ("应急装备", ["应急救援装备", "矿山安全装备", "消防装备", "应急电源"]),
    ("高端装备制造", ["智能焊接装备", "精密数控机床", "轨道交通部件", "液压元件"]),
    ("新能源汽车零部件", ["电机电控", "动力电池结构件", "充电设施", "轻量化车身部件"]),
    ("新一代信息技术", ["工业互联网平台", "大数据中心", "智能传感器", "5G应用示范"]),
    ("节能环保", ["余热利用", "固废资源化", "节能变压器"]),
    ("生物医药", ["医疗器械", "生物制剂", "中药配方颗粒"]),
]
ORDINARY = [("现代物流", ["智慧物流园", "冷链仓储中心"]), ("商贸服务", ["商业综合体", "总部楼宇"]),
            ("建材", ["装配式建筑构件", "新型墙体材料"]), ("食品加工", ["食品加工", "中央厨房"])]
SYLLABLES = "华瑞博恒鑫达科泰宏远盛源联创启航智诚信中凯隆丰德新峰海天宇润辰"
KINDS = ["建设", "产业化", "扩能", "研发生产基地", "智能化改造"]
PEOPLE = list("王李张刘陈杨赵黄周吴徐孙马朱胡郭何林罗梁宋郑谢唐许邓冯韩曹曾彭萧蔡潘田董袁于余叶蒋杜苏魏程吕丁沈任姚卢")
GIVEN = ["建国", "海涛", "立伟", "振华", "晓明", "志刚", "春雨", "国庆", "红梅", "丽娟", "永强", "静怡", "文博", "凯", "雪峰", "思远"]


def person(i, title, area):
    name = PEOPLE[i % len(PEOPLE)] + GIVEN[(i * 7) % len(GIVEN)]
    return contact(name, title, f"1380000{area}{i:03d}", f"zd{area}{i:03d}@example.gov.cn")


def enterprise(i, city, industry):
    a, b = SYLLABLES[i % len(SYLLABLES)], SYLLABLES[(i * 5 + 3) % len(SYLLABLES)]
    suffix = "科技有限公司" if industry in ("新一代信息技术", "机器人", "生物医药") else "股份有限公司"
    return f"{city}{a}{b}{suffix}"


def ts_projects():
    industries = []
    for i in range(72):
        industry, products = STRATEGIC[i % len(STRATEGIC)]
        industries.append((industry, products[(i // len(STRATEGIC)) % len(products)], True))
    for i in range(8):
        industry, products = ORDINARY[i % len(ORDINARY)]
        industries.append((industry, products[(i // len(ORDINARY)) % len(products)], False))
    rng.shuffle(industries)

    # Totals: 305.6亿 over the 80; this year's plan 120亿 (the programme item's target); the rest invented.
    raw = [rng.uniform(1.2, 8.0) for _ in range(80)]
    scale = 305.6 * YI / sum(raw)
    totals = [yuan(r * scale) for r in raw]
    totals[-1] += int(305.6 * YI) - sum(totals)
    plan_raw = [t * rng.uniform(0.28, 0.45) for t in totals]
    plan_scale = 120 * YI / sum(plan_raw)
    plans = [yuan(p * plan_scale) for p in plan_raw]
    plans[-1] += 120 * YI - sum(plans)

    # Construction types: 48 new starts, 22 continuing, 10 completing and going into production this year.
    construction = ["NewStart"] * 48 + ["Continued"] * 22 + ["CompletingProduction"] * 10
    rng.shuffle(construction)
    reds = {7, 23, 41, 66}       # badly lagging (形象进度 far behind the line)
    ambers = {3, 12, 19, 30, 52, 58, 71, 77}
    over = 15                     # plan 2亿, 2.52亿 done: 126%
    # The lagging ones are well under way (so their lag shows) and not yet finished.
    for i in reds | ambers:
        if construction[i - 1] == "CompletingProduction":
            j = next(j for j in range(80) if construction[j] == "Continued" and j + 1 not in reds | ambers)
            construction[i - 1], construction[j] = construction[j], construction[i - 1]
    plans[over - 1], totals[over - 1] = 2 * YI, max(totals[over - 1], 6 * YI)
    largest = max((n for n in range(80) if n != over - 1), key=lambda n: totals[n])
    plans[largest] += 120 * YI - sum(plans)
    totals[largest] += int(305.6 * YI) - sum(totals)

    rows = []
    for i in range(1, 81):
        industry, product, strategic = industries[i - 1]
        kind = KINDS[i % len(KINDS)]
        company = enterprise(i, "唐山", industry)
        title = f"{company[2:4]}{product}{kind}项目"
        c = construction[i - 1]
        start = -rng.randint(120, 160) if c != "NewStart" or i in reds | ambers else -rng.randint(40, 140)
        deadline = 199 if c != "CompletingProduction" else rng.randint(-20, 60)
        e = expected(start, deadline)
        if i in reds:
            share, colour = max(e - 0.33, 0.05), "Red"
        elif i in ambers:
            share, colour = max(e - 0.17, 0.05), "Amber"
        else:
            share, colour = min(e + rng.uniform(0.0, 0.08), 1.0), "Green"
        status, phase = "InProgress", "Started"
        if c == "CompletingProduction" and deadline < 0:
            share, status, phase, colour = 1.0, "Completed", "InOperation", "Green"
        elif share >= 0.6:
            phase = "MainStructureDone"
        plan = plans[i - 1]
        # Done so far: the plan's expected share, less for the lagging; all of it for the finished; 126% for one.
        factor = 0.5 if colour == "Red" else 0.8 if colour == "Amber" else rng.uniform(0.95, 1.1)
        completed = 2.52 * YI if i == over else plan if status == "Completed" else plan * e * factor
        rows.append((i, industry, company, title, c, start, deadline, share, phase, status, colour, plan, completed, strategic))

    # The programme item (TSGX-XM-01) last reported 58亿 of the year's 120亿 done: the projects' figures add up to it.
    kept = [r[0] == over or r[9] == "Completed" for r in rows]
    fixed = sum(r[12] for r, k in zip(rows, kept) if k)
    scale = (58 * YI - fixed) / sum(r[12] for r, k in zip(rows, kept) if not k)
    amounts = [yuan(r[12] if k else r[12] * scale) for r, k in zip(rows, kept)]
    amounts[next(n for n, k in enumerate(kept) if not k)] += 58 * YI - sum(amounts)
    items = []
    for (i, industry, company, title, c, start, deadline, share, phase, status, colour, plan, _, strategic), completed in zip(rows, amounts):
        facts = {
            "level": "Provincial" if i <= 12 else "Municipal" if i <= 40 else "County",
            "construction": c, "industry": industry, "strategicEmerging": strategic, "ownerEnterprise": company,
            "totalInvestment": totals[i - 1], "plannedInvestment": plan,
            "plannedProduction": deadline if c == "CompletingProduction" else None, "completedInvestment": completed,
        }
        problems = {"Red": "设备到货滞后，环评批复待办，施工进度明显落后。", "Amber": "部分手续尚在办理，进度略有滞后。"}.get(colour)
        items.append(key_project(
            f"TSGX-ZD-{i:02d}", title, "TS-GXQ", TS_DEPARTMENTS[i % len(TS_DEPARTMENTS)], TS_LEADERS[i % 3],
            person(i, "项目专班联络员", "5"), "TSGX-XM-01", facts, start, deadline, share, phase, status, colour,
            problems=problems))
    return items


# ---------------------------------------------------------------------------------------------------------------
# 平顶山高新区: 28个省市重点项目 — 11 planned new starts all started, 11 completed and in production, 6 continuing.
# Four are already in initiatives.json (PDGX-XM-02..05); 24 more are made here.
PD_LEADERS = [contact("冯立军", "管委会副主任", "0375-0000001", "fenglijun@example.gov.cn"),
              contact("宋晓东", "管委会副主任", "0375-0000002", "songxiaodong@example.gov.cn")]
PD_DEPARTMENTS = ["PDGX-XMB", "PDGX-DQYQ", "PDGX-KCJ", "PDGX-CJJ", "PDGX-JFJ"]
PD_PRODUCTS = [("电气装备", "智能电网设备"), ("电气装备", "高压开关"), ("电气装备", "输变电装备"), ("新材料", "尼龙改性材料"),
               ("新材料", "尼龙工程塑料"), ("新材料", "碳化硅材料"), ("节能环保", "储能电池"), ("高端装备制造", "智能制造装备"),
               ("新一代信息技术", "智能传感器"), ("生物医药", "医用防护材料"), ("现代物流", "物流园"), ("节能环保", "光伏组件")]


def pd_projects():
    # With PDGX-XM-02 and -03 (new starts) and -04 and -05 (continuing): 9 + 11 + 4 new here.
    construction = ["NewStart"] * 9 + ["CompletingProduction"] * 11 + ["Continued"] * 4
    items = []
    for i, c in enumerate(construction, start=1):
        industry, product = PD_PRODUCTS[i % len(PD_PRODUCTS)]
        company = enterprise(i + 40, "平顶山", industry)
        title = f"{company[3:5]}{product}{KINDS[i % len(KINDS)]}项目"
        total = yuan(rng.uniform(1.0, 12.0) * YI)
        plan = yuan(total * rng.uniform(0.3, 0.5))
        if c == "CompletingProduction":
            start, deadline, share, status, phase, colour = -rng.randint(200, 330), -rng.randint(5, 60), 1.0, "Completed", "InOperation", "Green"
        else:
            start = -rng.randint(60, 300) if c == "NewStart" else -rng.randint(250, 340)
            deadline = rng.randint(30, 200)
            e = expected(start, deadline)
            colour = "Red" if i in (5,) else "Amber" if i in (2, 22) else "Green"
            share = max(e - 0.33, 0.05) if colour == "Red" else max(e - 0.17, 0.05) if colour == "Amber" else min(e + 0.03, 1.0)
            status, phase = "InProgress", "MainStructureDone" if share >= 0.6 else "Started"
        completed = yuan(plan * (1.0 if status == "Completed" else e * (0.6 if colour == "Red" else 0.85 if colour == "Amber" else 1.0)))
        facts = {
            "level": "Provincial" if i % 3 == 0 else "Municipal", "construction": c, "industry": industry,
            "strategicEmerging": industry not in ("现代物流",), "ownerEnterprise": company, "totalInvestment": total,
            "plannedInvestment": plan, "plannedProduction": deadline if c == "CompletingProduction" else None,
            "completedInvestment": completed,
        }
        items.append(key_project(
            f"PDGX-ZD-{i:02d}", title, "PDS-GXQ", PD_DEPARTMENTS[i % len(PD_DEPARTMENTS)], PD_LEADERS[i % 2],
            person(i, "项目负责人", "7"), "PDGX-XM-01", facts, start, deadline, share, phase, status, colour,
            problems="项目用地手续未办结，施工单位进场推迟。" if colour == "Red" else None, last=1))
    return items


# ---------------------------------------------------------------------------------------------------------------
# 廊坊开发区: 11项重点民生工程 — LFKF-MS-01..05 in initiatives.json, six more here; the kindergarten item's five
# kindergartens (1,170 places, 第九幼儿园 360 of them) as its parts, 第九幼儿园 with two parts of its own.
LF_LEADER = contact("孔德利", "工委委员", "0316-0000003", "kongdeli@example.gov.cn")


def livelihood(code, title, department, start, deadline, metric, unit, target, values, phase, colour, person, parent=None,
               weight=None, description="", kind="Livelihood", status="InProgress"):
    reports = [{"daysAgo": d, "by": person["name"], "phase": phase, "narrative": n, "problems": None, "nextSteps": None,
                "values": {metric: v}} for d, v, n in values]
    return {
        "code": code, "title": title, "description": description, "kind": kind, "jurisdiction": "LF-KFQ",
        "leadDepartment": department, "coDepartments": [], "leaderInCharge": LF_LEADER, "responsiblePerson": person,
        "budget": None, "plannedStart": start, "deadline": deadline, "reportingInterval": "Weekly", "status": status,
        "phase": phase, "targets": [{"metric": metric, "unit": unit, "baseline": 0, "target": target, "weight": 1}],
        "milestones": [], "reports": reports, "expectedColour": colour, "parent": parent, "weight": weight, "keyProject": None,
    }


def lf_items():
    wj = contact("姜文静", "学前教育科科长", "13800000406", "jiangwenjing@example.gov.cn")
    kindergartens = [
        # code, name, places (its weight in the roll-up), work done (%), phase, colour — 1,170 places; the three
        # ready ones give the 660 places LFKF-MS-01 last reported.
        ("LFKF-YE-01", "第九幼儿园", 360, 100, "InOperation", "Green"),
        ("LFKF-YE-02", "第十幼儿园", 150, 100, "InOperation", "Green"),
        ("LFKF-YE-03", "第十一幼儿园", 150, 100, "InOperation", "Green"),
        ("LFKF-YE-04", "云鹏道幼儿园", 270, 80, "MainStructureDone", "Green"),
        ("LFKF-YE-05", "华祥路幼儿园", 240, 60, "MainStructureDone", "Amber"),
    ]
    items = []
    for code, name, places, done, phase, colour in kindergartens:
        narrative = "已具备开园条件，完成招生。" if done == 100 else f"主体完工，室内外配套推进中，完成工程量{done}%。"
        values = [(40, done * 3 // 5, "主体施工。"), (4, done, narrative)]
        items.append(livelihood(code, f"{name}建设（{places}个学位）", "LFKF-WJW", -200, 60, "完成工程量", "%", 100,
                                values, phase, colour, wj, parent="LFKF-MS-01", weight=places,
                                description=f"公办幼儿园，设计学位{places}个。"))
    # 第九幼儿园's own parts: a third level.
    items.append(livelihood("LFKF-YE-01-1", "第九幼儿园教学楼及装修", "LFKF-WJW", -200, -35, "完成工程量", "%", 100,
                            [(60, 70, "教学楼主体完工。"), (36, 100, "装修完成，通过验收。")], "Completed", "Green", wj,
                            parent="LFKF-YE-01", weight=3, status="Completed", description="教学楼主体、内装修及水电暖。"))
    items.append(livelihood("LFKF-YE-01-2", "第九幼儿园室外活动场地及配套", "LFKF-WJW", -120, -32, "完成工程量", "%", 100,
                            [(50, 60, "活动场地铺装。"), (33, 100, "室外场地和围墙完工。")], "Completed", "Green", wj,
                            parent="LFKF-YE-01", weight=1, status="Completed", description="室外活动场地、围墙及绿化。"))

    more = [
        ("LFKF-MS-06", "老旧小区改造", "LFKF-ZJJ", "改造小区", "个", 13, 9, "Started", "Green", -150, 100),
        ("LFKF-MS-07", "背街小巷硬化亮化", "LFKF-ZJJ", "完成街巷", "条", 30, 12, "Started", "Amber", -150, 100),
        ("LFKF-MS-08", "社区养老服务驿站建设", "LFKF-WJW", "建成驿站", "个", 8, 5, "Started", "Green", -150, 100),
        ("LFKF-MS-09", "公共卫生间新建改建", "LFKF-ZHZF", "完成公厕", "座", 20, 4, "Started", "Red", -150, 60),
        ("LFKF-MS-10", "城市绿道建设", "LFKF-ZJJ", "建成绿道", "公里", 12, 7, "Started", "Green", -120, 100),
        ("LFKF-MS-11", "农贸市场标准化改造", "LFKF-SCJG", "改造市场", "个", 6, 4, "Started", "Green", -120, 80),
    ]
    for i, (code, title, department, metric, unit, target, done, phase, colour, start, deadline) in enumerate(more):
        person = contact(PEOPLE[i + 20] + GIVEN[i + 3], "项目负责人", f"1380000{4200 + i}", f"lfms{i + 6:02d}@example.gov.cn")
        items.append(livelihood(code, title, department, start, deadline, metric, unit, target,
                                [(35, done // 2, "按计划推进。"), (5, done, f"已完成{done}{unit}。")], phase, colour, person,
                                description=f"年度重点民生工程，计划{title}{target}{unit}。"))
    return items


def main():
    ts, pd, lf = ts_projects(), pd_projects(), lf_items()
    programmes = [
        {"code": "TSGX-ZD", "jurisdiction": "TS-GXQ", "name": "80个重点项目", "owner": "TSGX-XMB",
         "description": "全区年度重点项目清单：省、市、区三级重点项目，实行“五个一”推进机制。", "members": [i["code"] for i in ts]},
        {"code": "PDGX-ZD", "jurisdiction": "PDS-GXQ", "name": "28个省市重点项目", "owner": "PDGX-XMB",
         "description": "省市重点项目，专班推进，日报告、周调度、月观摩排名。",
         "members": ["PDGX-XM-02", "PDGX-XM-03", "PDGX-XM-04", "PDGX-XM-05"] + [i["code"] for i in pd]},
        {"code": "LFKF-WM", "jurisdiction": "LF-KFQ", "name": "6项创城重点任务", "owner": "LFKF-CCB",
         "description": "创建全国文明城市重点任务，定部门、定任务、定进度、定责任。", "members": [f"LFKF-WM-{i:02d}" for i in range(1, 7)]},
        {"code": "LFKF-MS", "jurisdiction": "LF-KFQ", "name": "11项重点民生工程", "owner": None,
         "description": "年度重点民生工程。", "members": [f"LFKF-MS-{i:02d}" for i in range(1, 12)]},
        {"code": "HS-MS", "jurisdiction": "HS", "name": "市级民生实事项目（代表票决）", "owner": None,
         "description": "人大代表票决产生的市级民生实事。", "members": [f"HS-MS-{i:02d}" for i in range(1, 8)]},
    ]
    with open(os.path.join(HERE, "programmes.json"), "w", encoding="utf-8") as f:
        json.dump({"programmes": programmes, "items": ts + pd + lf}, f, ensure_ascii=False, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
