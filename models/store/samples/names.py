"""Names and plates for sample rows: plausible Chinese forms, always marked 样例 (sample).

The 样例 prefix is on every generated name so nobody mistakes a sample officer, site or
company for a real one in a screenshot or an exported ledger.
"""

import random
import re

from models.plates import normalise_plate

SAMPLE_PREFIX = "样例"

_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚华林波兵红鹏宇浩凯晨雪琳欣怡渝川江山峰"
_TRADE_NAMES = (
    "顺达", "宏远", "鑫盛", "通达", "恒泰", "万通", "巨丰", "嘉陵", "长江", "山城", "渝发", "金鼎",
)
# 渝A/B/D are the main-urban authorities, C/F/G/H those of Yongchuan, Wanzhou, Fuling and
# Qianjiang; plates of trucks based outside the main urban area may carry any of them.
MAIN_URBAN_AUTHORITIES = "ABD"
ALL_AUTHORITIES = "ABCDFGH"
_SERIAL_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"  # no I or O, as on real plates
_DISTRICT_SUFFIX = re.compile(r"(?:自治县|区|县)$")


def person_name(rng: random.Random) -> str:
    given = "".join(rng.choice(_GIVEN) for _ in range(rng.choice((1, 2, 2))))
    return f"{SAMPLE_PREFIX}·{rng.choice(_SURNAMES)}{given}"


def district_short_name(name: str) -> str:
    """九龙坡区 → 九龙坡; keeps the name whole if it would become a single character."""
    short = _DISTRICT_SUFFIX.sub("", name)
    return short if len(short) >= 2 else name


def company_name(index: int, district_name: str) -> str:
    trade = _TRADE_NAMES[index % len(_TRADE_NAMES)]
    series = "" if index < len(_TRADE_NAMES) else str(index // len(_TRADE_NAMES) + 1)
    return f"{SAMPLE_PREFIX}{district_short_name(district_name)}{trade}{series}渣土运输有限公司"


def plate(rng: random.Random, authorities: str) -> str:
    """A 渝X·NNNNN plate: five characters, at most two of them letters, as is common."""
    serial = [rng.choice("0123456789") for _ in range(5)]
    for position in rng.sample(range(5), rng.choice((0, 0, 1, 1, 2))):
        serial[position] = rng.choice(_SERIAL_LETTERS)
    return normalise_plate(f"渝{rng.choice(authorities)}{''.join(serial)}")
