"""Units and rounding: the only place that converts or rounds figures (pure, no Django).

Money is Decimal in 万元; areas are Decimal in 公顷 (1 公顷 = 15 亩).
"""

from decimal import ROUND_HALF_UP, Decimal

WAN_PER_YI = Decimal(10000)
MU_PER_HECTARE = Decimal(15)


def round_half_up(x: Decimal, places: int = 1) -> Decimal:
    """Round half up (as Chinese statistics do; Python's round() rounds half to even)."""
    return Decimal(x).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def wan_to_yi(wan: Decimal, places: int = 2) -> Decimal:
    return round_half_up(Decimal(wan) / WAN_PER_YI, places)


def yi_to_wan(yi: Decimal) -> Decimal:
    return Decimal(yi) * WAN_PER_YI


def hectare_to_mu(ha: Decimal, places: int = 0) -> Decimal:
    return round_half_up(Decimal(ha) * MU_PER_HECTARE, places)


def mu_to_hectare(mu: Decimal, places: int = 4) -> Decimal:
    return round_half_up(Decimal(mu) / MU_PER_HECTARE, places)


def percent(part: Decimal | int, whole: Decimal | int, places: int = 1) -> Decimal | None:
    """part ÷ whole as a percentage rounded half-up; None when whole is zero (no rate exists)."""
    whole = Decimal(whole)
    if whole == 0:
        return None
    return round_half_up(Decimal(part) * 100 / whole, places)


def growth_percent(current: Decimal, previous: Decimal, places: int = 0) -> Decimal | None:
    """Year-on-year growth (current ÷ previous − 1) in percent; None without a base."""
    previous = Decimal(previous)
    if previous == 0:
        return None
    return round_half_up((Decimal(current) / previous - 1) * 100, places)


def format_wan(wan: Decimal | None, places: int = 2) -> str:
    """万元 with thousands separators, e.g. 12,345.60万元."""
    if wan is None:
        return "—"
    return f"{round_half_up(Decimal(wan), places):,}万元"


def format_money(wan: Decimal | None) -> str:
    """Money in the unit that reads better: 亿元 from 1亿 up, else 万元."""
    if wan is None:
        return "—"
    wan = Decimal(wan)
    if abs(wan) >= WAN_PER_YI:
        return f"{wan_to_yi(wan):,}亿元"
    return format_wan(wan)


def format_area(ha: Decimal | None) -> str:
    """公顷 with four decimals and 亩 beside it, as land reports write: 66.4923公顷（合997亩）."""
    if ha is None:
        return "—"
    return f"{round_half_up(Decimal(ha), 4)}公顷（合{hectare_to_mu(ha)}亩）"


def format_month(year: int, month: int) -> str:
    return f"{year}年{month}月"


# --- Land and floor areas (factors) ---------------------------------------------------------

SQUARE_METRES_PER_HECTARE = Decimal(10000)
SQUARE_METRES_PER_WAN = Decimal(10000)  # 万平方米


def ha_to_mu(ha: Decimal, places: int = 0) -> Decimal:
    """公顷 → 亩 (×15), rounded half-up; the seed rounds to whole 亩 (66.4923公顷 → 997亩)."""
    return hectare_to_mu(ha, places)


def mu_to_ha(mu: Decimal, places: int = 4) -> Decimal:
    return mu_to_hectare(mu, places)


def m2_to_ha(m2: Decimal, places: int = 4) -> Decimal:
    return round_half_up(Decimal(m2) / SQUARE_METRES_PER_HECTARE, places)


def m2_to_mu(m2: Decimal, places: int = 2) -> Decimal:
    """平方米 → 亩 (1 亩 = 10000/15 ≈ 666.67 平方米), as parcel notices write 面积 m²（合亩）."""
    return round_half_up(Decimal(m2) * MU_PER_HECTARE / SQUARE_METRES_PER_HECTARE, places)


def m2_to_wan_m2(m2: Decimal, places: int = 2) -> Decimal:
    """平方米 → 万平方米 (housing sales are reported in 万平方米: 12.65万平方米)."""
    return round_half_up(Decimal(m2) / SQUARE_METRES_PER_WAN, places)


def format_mu(mu: Decimal | None, places: int = 2) -> str:
    if mu is None:
        return "—"
    return f"{round_half_up(Decimal(mu), places)}亩"


def format_m2_area(m2: Decimal | None) -> str:
    """A parcel's area as notices print it: 12345.67平方米（合18.52亩）."""
    if m2 is None:
        return "—"
    return f"{round_half_up(Decimal(m2), 2)}平方米（合{m2_to_mu(m2)}亩）"


# --- numbers as report sentences write them (no thousands separators, no trailing zeros) ----


def plain(x: Decimal | int, places: int = 2) -> str:
    """A number as prose writes it: rounded half-up to `places`, trailing zeros dropped
    (2200.00 → 2200, 5.90 → 5.9, 4595.55 → 4595.55); never exponent notation."""
    value = round_half_up(Decimal(x), places)
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def text_money(wan: Decimal | int) -> str:
    """Money in a sentence: 万元 below 1亿 (4595.55万元, 2200万元), 亿元 with at most two
    decimals from 1亿 up (140000 → 14亿元, 12000 → 1.2亿元)."""
    wan = Decimal(wan)
    if abs(wan) >= WAN_PER_YI:
        return f"{plain(wan_to_yi(wan))}亿元"
    return f"{plain(wan)}万元"


def text_percent(value: Decimal | int) -> str:
    """A rate in a sentence, rounded half-up to one decimal (23/36 → 63.9%); a rate the figures
    layer already gives whole (114) stays whole (114%)."""
    value = Decimal(value)
    if value == value.to_integral_value():
        return f"{value.to_integral_value()}%"
    return f"{round_half_up(value, 1)}%"


def text_hectare(ha: Decimal | int) -> str:
    """公顷 with four decimals, as land approvals write them (66.4923公顷)."""
    return f"{round_half_up(Decimal(ha), 4)}公顷"
