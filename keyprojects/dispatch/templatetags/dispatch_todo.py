"""`{% load dispatch_todo %}{% dispatch_todo %}`: the user's to-do block (todo.todo_for)."""

from django import template

from keyprojects.dispatch import todo

register = template.Library()


@register.inclusion_tag("dispatch/_todo.html", takes_context=True)
def dispatch_todo(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    items = todo.todo_for(user) if user is not None and user.is_authenticated else []
    return {"todo_items": items}
