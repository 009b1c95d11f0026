"""`{% load factors %}`: the factor sub-navigation, 公顷 with 亩, and the project page block."""

from django import template
from django.utils import timezone

from keyprojects import units
from keyprojects.factors import figures
from keyprojects.factors.tables import TABLES, _cn

register = template.Library()


@register.inclusion_tag("factors/_nav.html")
def factors_nav():
    return {"factor_tables": TABLES.values()}


@register.filter
def area(ha):
    return units.format_area(ha)


@register.inclusion_tag("factors/_project_factors.html", takes_context=True)
def project_factors(context, project):
    """Land work, quota follow-up (overdue flagged) and funding of one project."""
    from keyprojects.factors import models as m

    today = timezone.localdate()
    quota = m.LandQuota.objects.filter(project=project).first()
    farmland = m.FarmlandOccupation.objects.filter(project=project).first()
    plans = m.FundingPlan.objects.filter(project=project, year=project.year).exists()
    return {
        "batches": list(project.land_batches.all()),
        "farmland": farmland,
        "farmland_area": units.format_area(farmland.occupied_ha) if farmland else "",
        "quota": quota,
        "quota_area": units.format_area(quota.quota_ha) if quota else "",
        "quota_deadline": _cn(quota.deadline) if quota else "",
        "quota_overdue": figures.quota_overdue_days(quota, today) if quota else 0,
        "plans": plans,
        "funding": figures.funding_summary(project.year, 12, projects=[project.pk])
        if plans
        else None,
    }
