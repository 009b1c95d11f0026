import json

from django.core.management.base import BaseCommand, CommandError

from keyprojects import stats


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
        s = stats.ledger_summary(year, quarter=quarter)
        if json:
            data = s.as_json()
            data.update(_app_blocks(year, quarter))
            self.stdout.write(_dumps(data))
            return
        p = s.projects
        self.stdout.write(
            f"{year}年第{quarter}季度（截至{s.as_of:%Y-%m-%d}）：建设项目{p.total}个（续建{p.continuing}、"
            f"新开工{p.new}），储备{p.reserve}个；已开工{p.started}个，未开工{p.not_started}个，"
            f"开工率{p.start_rate}%；有序推进{p.on_schedule}个，未达到序时进度{p.behind_schedule}个。"
        )
        for d in s.departments:
            self.stdout.write(
                f"  {d.name}：建设项目{d.total}个（续建{d.continuing}、新开工{d.new}），"
                f"储备{d.reserve}个，"
                f"总投资{d.total_investment_wan}万元"
            )


def _app_blocks(year: int, quarter: int) -> dict:
    """Each app's figures blocks (AppConfig.stats_blocks: JSON key → dotted function path)."""
    from django.apps import apps
    from django.utils.module_loading import import_string

    out = {}
    for config in apps.get_app_configs():
        for key, path in getattr(config, "stats_blocks", {}).items():
            out[key] = import_string(path)(year=year, quarter=quarter)
    return out


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=_default)


def _default(value):
    from datetime import date
    from decimal import Decimal

    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"不能序列化 {type(value).__name__}")
