from django.apps import AppConfig


class ProblemsConfig(AppConfig):
    name = "keyprojects.problems"
    label = "problems"
    verbose_name = "问题督办"
    # `keyprojects stats --json` gathers these blocks from every app (docs/architecture.md).
    stats_blocks = {
        "problems": "keyprojects.problems.figures.problems_block",
        "risks": "keyprojects.problems.figures.risks_block",
        "kpis": "keyprojects.problems.figures.kpis_block",
        "ranking": "keyprojects.problems.figures.ranking_block",
    }
    # `keyprojects serve` enqueues these once a day for the task worker (dotted task, ISO date).
    daily_tasks = ["keyprojects.problems.tasks.escalate_daily"]
    demo_loader = "keyprojects.problems.demo.load"
