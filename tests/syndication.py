"""A syndication corpus made from our own fixture stories: each story and 3-10 copies of it.

Copies are made the way portals make them: another template (a caption, an end mark, a share
line), another 来源 line, an editor line, paragraphs rewrapped, 0.5% of the characters edited,
a Traditional copy, a first half; several at once. Each copy has its own outlet and URL, a time
after the original's (some earlier, crediting the original), and usually credits the original.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

Record = dict[str, Any]
STORIES = Path(__file__).parent / "fixtures" / "zh-syndicated-stories.jsonl"
PORTALS = [
    "北岸新闻网",
    "东川在线",
    "南屏资讯",
    "西岭网",
    "长河门户",
    "星湾新闻",
    "松原热线",
    "白沙网",
    "Riverside Wire",
    "Northgate News",
]
_SENTENCE_END = re.compile(r"(?<=[。！？!?.])")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def stories() -> list[Record]:
    """The fixture stories, one record each (the originals)."""
    with STORIES.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _template(text: str, rng: random.Random) -> str:
    head = rng.choice(["", "（图片来自网络）\n", "点击查看大图\n"])
    tail = rng.choice(["\n（完）", "\n分享到：微信 微博 QQ空间", "\n【纠错】", "\n(End)"])
    return head + text + tail


def _source_line(text: str, rng: random.Random) -> str:
    return f"来源：{rng.choice(PORTALS)}\n{text}"


def _editor(text: str, rng: random.Random) -> str:
    name = rng.choice(["王晓明", "刘颖", "陈思远", "Jane Doe"])
    return text + rng.choice([f"\n责任编辑：{name}", f"\n（编辑：{name}）", f"\n编辑 {name}"])


def _rewrap(text: str, rng: random.Random) -> str:
    sentences = [s for s in _SENTENCE_END.split(text.replace("\n", "")) if s]
    lines, current = [], ""
    for sentence in sentences:
        current += sentence
        if rng.random() < 0.35:
            lines.append(current)
            current = ""
    return "\n".join([*lines, current] if current else lines)


def _edit(text: str, rng: random.Random) -> str:
    chars = list(text)
    letters = [i for i, c in enumerate(chars) if c.isalnum()]
    pool = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严"
    for index in rng.sample(letters, max(1, round(len(letters) * 0.005))):
        if _CJK.match(chars[index]):
            chars[index] = rng.choice(pool)
        else:
            chars[index] = rng.choice("abcdefghijklmnopqrstuvwxyz")
    return "".join(chars)


def _traditional(text: str, rng: random.Random) -> str:
    from newskit import convert

    return convert(text, rng.choice(["s2t", "s2tw", "s2hk"]))


def _first_half(text: str, rng: random.Random) -> str:
    sentences = [s for s in _SENTENCE_END.split(text) if s]
    half, kept = len(text) / 2, ""
    for sentence in sentences:
        if len(kept) >= half:
            break
        kept += sentence
    return kept.strip()


CHANGES: dict[str, Callable[[str, random.Random], str]] = {
    "template": _template,
    "source": _source_line,
    "editor": _editor,
    "rewrap": _rewrap,
    "edit": _edit,
    "traditional": _traditional,
    "first-half": _first_half,
}


def _copy(story: Record, number: int, rng: random.Random, outlets: list[str]) -> Record:
    """One copy: one to three changes, a portal of its own, a credit and a later time."""
    names = rng.sample(sorted(CHANGES), rng.choice([1, 1, 2, 3]))
    if number < 2:  # every story has a Traditional copy and a first half
        names = [["traditional", "first-half"][number]]
    text = story["text"]
    for name in sorted(names, key=list(CHANGES).index):
        text = CHANGES[name](text, rng)
    outlet = outlets[number]
    published = datetime.fromisoformat(story["published"])
    if rng.random() < 0.1:
        published -= timedelta(minutes=rng.randint(5, 50))  # earlier, yet credits the original
        source = story["site_name"]
    else:
        published += timedelta(minutes=rng.randint(10, 36 * 60))
        source = rng.choice([story["site_name"]] * 6 + [None])
    return {
        "title": story["title"],
        "text": text,
        "url": f"https://copy{number}.example/{story['story']}.html",
        "site_name": outlet,
        "source": source,
        "published": published.isoformat(),
        "story": story["story"],
        "changes": names,
    }


def corpus(seed: int = 16) -> list[Record]:
    """Every story and its copies, sorted by `published` as a crawl would emit them."""
    rng = random.Random(seed)
    records = []
    for story in stories():
        original = {key: story.get(key) for key in ("title", "text", "url", "site_name")}
        original.update(published=story["published"], source=None, story=story["story"])
        original["changes"] = []
        records.append(original)
        outlets = rng.sample(PORTALS, len(PORTALS))
        for number in range(rng.randint(3, 10)):
            records.append(_copy(story, number, rng, outlets))
    return sorted(records, key=lambda r: r["published"])


def pair_scores(records: list[Record]) -> tuple[float, float]:
    """Pairwise precision and recall of `cluster` against `story`."""
    same = found = right = 0
    for i, a in enumerate(records):
        for b in records[i + 1 :]:
            truth = a["story"] == b["story"]
            guess = a["cluster"] == b["cluster"]
            same += truth
            found += guess
            right += truth and guess
    return right / max(found, 1), right / max(same, 1)


def originals_named(records: list[Record]) -> float:
    """Share of stories whose original is the one record of its cluster with no duplicate_of."""
    by_story: dict[str, list[Record]] = {}
    for record in records:
        by_story.setdefault(record["story"], []).append(record)
    named = 0
    for members in by_story.values():
        first = next(r for r in members if not r["changes"])
        cluster = [r for r in records if r["cluster"] == first["cluster"]]
        heads = [r for r in cluster if r["duplicate_of"] is None]
        named += heads == [first] and all(
            r["duplicate_of"] == first["url"] for r in cluster if r is not first
        )
    return named / len(by_story)
