from django.apps import AppConfig


class FiguresConfig(AppConfig):
    name = "keyprojects.figures"
    label = "figures"
    verbose_name = "统计口径与调度周期"
    # Runs last among the demo loaders (INSTALLED_APPS order): it closes January–March 2022.
    demo_loader = "keyprojects.figures.demo.load"

    def ready(self):
        from django.db.models.signals import post_save

        from keyprojects.dispatch.models import MonthlyReport

        post_save.connect(_report_saved, sender=MonthlyReport, dispatch_uid="figures-correction")


def _report_saved(sender, instance, **kwargs):
    # Whoever approves (page, importer, command), a report entering a closed month is recorded
    # as a correction of that month, never silently folded into its frozen figures.
    from keyprojects.dispatch.choices import ReportStatus
    from keyprojects.figures import services

    if instance.status == ReportStatus.APPROVED:
        services.record_correction(instance, by=instance.reviewed_by)
