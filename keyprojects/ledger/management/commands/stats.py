import json
from datetime import date
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError

from keyprojects.figures import blocks, periods
from keyprojects.figures import ledger as figures


class Command(BaseCommand):
    help = "打印某年某季度的重点项目统计数字（与页面、导出、报告同源）"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="计划年度，如 2022")
        parser.add_argument(
            "--quarter",
            type=int,
            required=True,
            choices=[1, 2, 3, 4],
            help="季度 1–4，统计截至季度末",
        )
        parser.add_argument("--json", action="store_true", help="以 JSON 输出")

    def handle(self, *args, year, quarter, json: bool = False, **options):
        if not 2000 <= year <= 2100:
            raise CommandError(f"年度 {year} 无效：应为2000至2100")
        with figures.shared_summaries():
            self._print(year, quarter, json)

    def _print(self, year, quarter, json):
        # The quarter's closed months from their snapshot; a quarter with none closed is live.
        # The JSON lists only the 未报送 projects; the text lists none.
        period = periods.quarter_period(year, quarter)
        s = figures.summary(period, lists=("unreported",))
        if json:
            data = s.as_json()
            for key, block in blocks.collect(year=year, quarter=quarter, period=period).items():
                if key in data:
                    raise CommandError(f"统计块“{key}”与台账统计的字段重名")
                data[key] = block
            self.stdout.write(_dumps(data))
            return
        p = s.projects
        self.stdout.write(
            f"{year}年第{quarter}季度，{s.period.statement}：建设项目{p.total}个（续建{p.continuing}、"
            f"新开工{p.new}），储备{p.reserve}个；已开工{p.started}个，未开工{p.not_started}个，"
            f"开工率{p.start_rate}%；有序推进{p.on_schedule}个，未达到序时进度{p.behind_schedule}个，"
            f"未报送{p.unreported}个。"
        )
        for d in s.departments:
            self.stdout.write(
                f"  {d.name}：建设项目{d.total}个（续建{d.continuing}、新开工{d.new}），"
                f"储备{d.reserve}个，"
                f"总投资{d.total_investment_wan}万元"
            )


def _default(value):
    # Money stays exact: Decimal as its string; dates as ISO text.
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} 不能写入 JSON")


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=_default)
