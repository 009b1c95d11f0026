"""Small includes the ledger and dispatch templates use to show risks and problems without
their views knowing about this app."""

from django import template

from keyprojects.ledger import permissions as ledger_permissions
from keyprojects.problems import figures, permissions

register = template.Library()


@register.simple_tag
def risk_map(projects):
    """{project id: [open flags]} for a page of projects (one query)."""
    return figures.flags_by_project([p.pk for p in projects])


@register.filter
def flags_of(risk_map, project_id):
    return risk_map.get(project_id, []) if risk_map else []


@register.inclusion_tag("problems/_project_risks.html", takes_context=True)
def project_risks(context, project):
    """Risks and open problems on the project page, with the buttons the user may use."""
    user = context["request"].user
    return {
        "project": project,
        "flags": project.risk_flags.order_by("cleared_on", "-raised_on"),
        "problems": permissions.problems_for(user).filter(project=project).select_related("level"),
        "can_flag": permissions.can_flag(user, project),
        "can_register": permissions.can_register(user),
    }


@register.inclusion_tag("problems/_report_problems.html", takes_context=True)
def report_problems(context, report):
    """On a monthly report: its register entries, or a one-click button to create one."""
    from keyprojects.problems.choices import ProblemType

    user = context["request"].user
    linked = list(permissions.problems_for(user).filter(report=report))
    return {
        "report": report,
        "linked": linked,
        "can_register": permissions.can_register(user)
        and bool(report.problems.strip())
        and not linked,
        "kinds": ProblemType.choices,
    }


@register.inclusion_tag("problems/_summary_risks.html")
def summary_risks(period, user):
    """The risk and problem counts on the ledger summary, in the user's scope, on the last day
    of the summary's reporting period."""
    scope = ledger_permissions.narrowing_for(user)
    year, as_of = period.year, period.as_of
    return {
        "risks": figures.risks_block(year=year, quarter=0, as_of=as_of, projects=scope),
        "problems": figures.problems_block(year=year, quarter=0, as_of=as_of, projects=scope),
        "as_of": as_of,
    }
