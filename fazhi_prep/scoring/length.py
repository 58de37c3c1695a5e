"""Length against the question's limit, and the deduction rule in words."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

from .spec import LengthRule


@dataclass(frozen=True, slots=True)
class LengthCheck:
    count: int
    limit_min: int | None
    limit_max: int | None
    floor: int | None  # the hard minimum (M of M-N) or the soft one (share of N)
    soft_floor: bool  # True when the floor is only the suggested share of N字
    over: int  # 字 over the maximum (0 if not over)
    under: int  # 字 under the floor (0 if not under)
    penalty: float  # marks lost for length (over-limit deduction or short-answer loss)
    earned_share: float  # share of the length part kept before over-limit penalty
    rule_text: str  # the rule, in words, as shown to the candidate
    reason: str  # what happened, in words ("" when within the limit)

    @property
    def over_limit(self) -> bool:
        return self.over > 0

    @property
    def under_limit(self) -> bool:
        return self.under > 0


def _fmt(x: float) -> str:
    return f"{x:g}"


@lru_cache(maxsize=256)  # a question's rule reads the same for every answer
def describe_rule(limit_min: int | None, limit_max: int | None, rule: LengthRule) -> str:
    """The deduction rule as shown to the candidate."""
    if limit_min is None and limit_max is None:
        return "本题未规定字数，不计算字数分。"
    parts = []
    if limit_max is not None:
        free = math.floor(limit_max * rule.free_ratio)
        if limit_min is not None:
            parts.append(f"本题要求{limit_min}～{limit_max}字。")
        else:
            floor = math.ceil(limit_max * rule.soft_floor_ratio)
            parts.append(f"本题要求不超过{limit_max}字（建议不少于{floor}字）。")
        if free > 0:
            parts.append(
                f"超出上限{free}字（{_fmt(rule.free_ratio * 100)}%）以内不扣分；"
                f"超过{limit_max + free}字后，每多{rule.per_chars}字扣1分"
                f"（不足{rule.per_chars}字按{rule.per_chars}字计），最多扣{_fmt(rule.max_deduction)}分。"
            )
        else:
            parts.append(
                f"超过上限后，每多{rule.per_chars}字扣1分（不足{rule.per_chars}字按"
                f"{rule.per_chars}字计），最多扣{_fmt(rule.max_deduction)}分。"
            )
    else:
        parts.append(f"本题要求不少于{limit_min}字。")
    if limit_min is not None:
        parts.append("字数不足下限的，字数分按实际字数与下限之比折算。")
    else:
        short = math.ceil(limit_max * rule.short_ratio)
        parts.append(
            f"不足建议字数只作提醒；不足{short}字（上限的{_fmt(rule.short_ratio * 100)}%）的，"
            f"字数分按实际字数与{short}字之比折算。"
        )
    return "".join(parts)


def check_length(
    count: int, limit_min: int | None, limit_max: int | None, rule: LengthRule
) -> LengthCheck:
    text = describe_rule(limit_min, limit_max, rule)
    if limit_min is None and limit_max is None:
        return LengthCheck(count, None, None, None, False, 0, 0, 0.0, 1.0, text, "")
    soft = limit_min is None
    floor = limit_min if limit_min is not None else math.ceil(limit_max * rule.soft_floor_ratio)
    over = max(0, count - limit_max) if limit_max is not None else 0
    under = max(0, floor - count) if floor else 0
    penalty = 0.0
    share = 1.0
    reason = ""
    if over:
        free = math.floor(limit_max * rule.free_ratio)
        beyond = over - free
        if beyond > 0:
            penalty = min(rule.max_deduction, math.ceil(beyond / rule.per_chars))
            reason = (
                f"全文{count}字，超出上限{limit_max}字共{over}字；扣除{free}字宽限后"
                f"超出{beyond}字，按每{rule.per_chars}字扣1分计，扣{_fmt(penalty)}分。"
            )
        else:
            reason = f"全文{count}字，超出上限{limit_max}字共{over}字，在{free}字宽限以内，不扣分。"
    elif under and not soft:
        share = count / floor
        reason = f"全文{count}字，少于下限{floor}字（差{under}字），字数分按{count}/{floor}折算。"
    elif under:
        short = math.ceil(limit_max * rule.short_ratio)
        if count < short:
            share = count / short
            reason = (
                f"全文{count}字，不足{short}字（上限的{_fmt(rule.short_ratio * 100)}%），"
                f"字数分按{count}/{short}折算。"
            )
        else:
            reason = f"全文{count}字，少于建议字数{floor}字（差{under}字），内容可能不够充实；不扣字数分。"
    return LengthCheck(
        count, limit_min, limit_max, floor, soft, over, under, penalty, share, text, reason
    )
