import json

from django.core.management.base import BaseCommand, CommandError

from keyprojects.figures import ledger as figures
from keyprojects.figures import periods


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
        # The quarter's closed months from their snapshot; a quarter with none closed is live.
        # The JSON lists only the 未报送 projects; the text lists none.
        s = figures.summary(periods.quarter_period(year, quarter), lists=("unreported",))
        if json:
            data = s.as_json()
            data.update(_app_blocks(year, quarter))
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


def _app_blocks(year: int, quarter: int) -> dict:
    """Each app's `stats_blocks` ({json key: dotted path of fn(*, year, quarter) -> dict})."""
    from django.apps import apps
    from django.utils.module_loading import import_string

    out = {}
    for config in apps.get_app_configs():
        for key, path in getattr(config, "stats_blocks", {}).items():
            out[key] = import_string(path)(year=year, quarter=quarter)
    return out


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=_plain)


def _plain(value):
    from datetime import date
    from decimal import Decimal

    if isinstance(value, Decimal | date):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")
