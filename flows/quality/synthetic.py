"""A synthetic corpus for benchmarks and tests: news-style articles of about 5,000 characters with
randomised facts (trials, phases, sizes, dates, durations, scores, doses, cell types, conditions),
half of them converted to Traditional script with OpenCC. Deterministic for a given seed.
"""

from __future__ import annotations

import random
from pathlib import Path

import opencc

from stemwire.extractors.cells import cell_entries
from stemwire.extractors.conditions import condition_entries

TARGET_CHARS = 5000

_TITLES = [
    "{cell}治疗{condition}：{phase}期试验公布{months}个月结果",
    "{condition}新疗法：{cell}移植后评分改善{score}分",
    "研究快讯｜{cell}用于{condition}的临床进展",
]
_DATELINES = ["发布时间：{y}-{m:02d}-{d:02d} 09:30 来源：健康报道", "{y}年{m}月{d}日　医学新闻编辑部"]
_FACT_PARAGRAPHS = [
    "一项{phase}期临床试验（{reg}）于{y0}年{m0}月启动，共纳入{n}名{condition}患者，每人接受约{dose}万个{cell}，随访{months}个月。",
    "结果显示，治疗组的{measure}平均提升{score}分，对照组仅提升{score2}分；{resp}人达到主要终点，比例为{pct}%。",
    "研究团队在{y0}年{m1}月的年会上报告，移植后第{day}天起患者的症状持续减轻，不良事件发生率为{ae}%。",
    "另一项在{y1}年{m2}月登记的研究（{reg2}）计划招募{n2}例患者，观察期为{years}年，目前仍在进行中。",
    "在动物实验中，{cell}移植后{weeks}周，模型小鼠的运动评分提高了{fold}倍，存活细胞比例约为{pct2}%。",
]
_FILLER = [
    "专家指出，细胞治疗仍处于探索阶段，疗效与安全性需要更大规模、更长时间的研究来确认。",
    "患者在选择治疗前，应与主治医生充分沟通，了解可能的获益与风险，切勿轻信未经批准的商业疗程。",
    "从实验室到病床，一种细胞产品需要经过严格的质量控制，包括细胞来源、扩增条件和放行检测。",
    "业内人士认为，监管路径的清晰化将推动更多研究进入临床，但价格与可及性仍是现实难题。",
    "研究者强调，本次结果来自单一中心，入组人群较为特定，推广到更广泛人群前还需谨慎。",
    "细胞在体内的存活、迁移与分化过程十分复杂，影像学随访有助于理解其作用机制。",
    "与传统药物相比，活细胞产品的生产批次差异较大，标准化是整个领域共同面对的挑战。",
    "对于病程较长的患者，康复训练与细胞治疗的配合可能同样重要，相关研究正在设计之中。",
]
_REFERENCE = "参考文献\n[1] Author A, et al. A study of cell therapy. J Regen Med. {y0};{vol}({issue}):{p1}-{p2}. doi:10.1000/jrm.{y0}.{doi}. PMID: {pmid}.\n"
_MEASURES = ["Fugl-Meyer评分", "NIHSS评分", "Barthel指数", "WOMAC评分", "ALSFRS-R评分", "EDSS评分", "VAS疼痛评分"]
_REGISTRY_IDS = ["NCT{:08d}", "ChiCTR{:010d}", "ISRCTN{:08d}", "jRCT{:010d}", "UMIN{:09d}", "DRKS{:08d}"]


def _names(rng: random.Random) -> tuple[list[str], list[str]]:
    cells = [e.zh_hans[0] for e in cell_entries().values() if e.zh_hans and not e.generic]
    conditions = [e.zh_hans[0] for e in condition_entries().values() if e.zh_hans]
    return cells, conditions


def article_text(rng: random.Random) -> str:
    cells, conditions = _names(rng)
    y = rng.randint(2019, 2026)
    slots = {
        "cell": rng.choice(cells),
        "condition": rng.choice(conditions),
        "phase": rng.choice(["I", "II", "III", "1/2", "2a", "Ⅱ", "1/2a"]),
        "reg": rng.choice(_REGISTRY_IDS).format(rng.randint(1, 10**8 - 1)),
        "reg2": rng.choice(_REGISTRY_IDS).format(rng.randint(1, 10**8 - 1)),
        "n": rng.randint(8, 400),
        "n2": rng.randint(20, 600),
        "dose": rng.choice([100, 500, 1000, 2000, 5000]),
        "months": rng.choice([3, 6, 12, 18, 24, 36]),
        "years": rng.randint(1, 5),
        "weeks": rng.randint(2, 12),
        "day": rng.choice([7, 14, 28, 90, 180]),
        "measure": rng.choice(_MEASURES),
        "score": round(rng.uniform(0.5, 20), 1),
        "score2": round(rng.uniform(0.1, 5), 1),
        "resp": rng.randint(1, 30),
        "pct": round(rng.uniform(5, 95), 1),
        "pct2": rng.randint(10, 90),
        "ae": round(rng.uniform(1, 30), 1),
        "fold": rng.randint(2, 8),
        "y": y,
        "m": rng.randint(1, 12),
        "d": rng.randint(1, 28),
        "y0": y - 1,
        "y1": y - 2,
        "m0": rng.randint(1, 12),
        "m1": rng.randint(1, 12),
        "m2": rng.randint(1, 12),
        "vol": rng.randint(1, 60),
        "issue": rng.randint(1, 12),
        "p1": rng.randint(100, 900),
        "p2": rng.randint(901, 999),
        "doi": rng.randint(1000, 9999),
        "pmid": rng.randint(30000000, 41000000),
    }
    parts = [rng.choice(_TITLES).format(**slots), rng.choice(_DATELINES).format(**slots), ""]
    body: list[str] = []
    length = 0
    while length < TARGET_CHARS - 400:
        paragraph = rng.choice(_FACT_PARAGRAPHS).format(**slots) if rng.random() < 0.45 else ""
        paragraph += "".join(rng.sample(_FILLER, 3))
        body.append(paragraph)
        length += len(paragraph) + 2
    return "\n".join(parts) + "\n\n".join(body) + "\n\n" + _REFERENCE.format(**slots)


def write_corpus(folder: Path, count: int, seed: int = 7, start: int = 0) -> list[Path]:
    """`count` articles named synthetic-00000.txt, ...; odd-numbered ones in Traditional script."""
    folder.mkdir(parents=True, exist_ok=True)
    to_traditional = opencc.OpenCC("s2t")
    paths = []
    for i in range(start, start + count):
        rng = random.Random(seed * 1_000_003 + i)
        text = article_text(rng)
        if i % 2:
            text = to_traditional.convert(text)
        path = folder / f"synthetic-{i:05d}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths
