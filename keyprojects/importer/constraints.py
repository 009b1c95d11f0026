"""The model's own CheckConstraints, evaluated in Python for thousands of rows.

Django validates a CheckConstraint by sending one query per constraint per object
(`SELECT 1 WHERE <condition with the values>`): five queries per ledger row, 70 % of an
import's time. This evaluates the same constraint definitions (not a copy of the rules) on
the instance, with SQL's three-valued logic (a NULL makes the check pass, as in the database).
A condition it cannot read falls back to Django's query, so the result is always the same.
"""

import operator

from django.core.exceptions import ValidationError
from django.db.models import CheckConstraint, F, Q
from django.db.models.expressions import CombinedExpression, Value

_LOOKUPS = {
    "exact": operator.eq,
    "gte": operator.ge,
    "lte": operator.le,
    "gt": operator.gt,
    "lt": operator.lt,
}
_OPS = {"+": operator.add, "-": operator.sub, "*": operator.mul}


class _Unsupported(Exception):
    pass


def _attname(model, name):
    try:
        return model._meta.get_field(name).attname
    except Exception:
        raise _Unsupported(name) from None


def _value(expr, instance, refs):
    if isinstance(expr, F):
        refs.add(expr.name)
        return getattr(instance, _attname(type(instance), expr.name))
    if isinstance(expr, Value):
        return expr.value
    if isinstance(expr, CombinedExpression):
        op = _OPS.get(expr.connector)
        if op is None:
            raise _Unsupported(expr.connector)
        lhs, rhs = _value(expr.lhs, instance, refs), _value(expr.rhs, instance, refs)
        return None if lhs is None or rhs is None else op(lhs, rhs)
    if hasattr(expr, "resolve_expression"):
        raise _Unsupported(type(expr).__name__)
    return expr


def _child(child, instance, refs):
    if isinstance(child, Q):
        return _q(child, instance, refs)
    name, value = child
    field, _, lookup = name.partition("__")
    lookup = lookup or "exact"
    refs.add(field)
    current = getattr(instance, _attname(type(instance), field))
    if lookup == "isnull":
        return (current is None) == bool(value)
    compare = _LOOKUPS.get(lookup)
    if compare is None:
        raise _Unsupported(lookup)
    other = _value(value, instance, refs)
    if current is None or other is None:
        return None
    return compare(current, other)


def _q(q, instance, refs):
    results = [_child(c, instance, refs) for c in q.children]
    if q.connector == Q.AND:
        value = False if False in results else (None if None in results else True)
    else:
        value = True if True in results else (None if None in results else False)
    if q.negated and value is not None:
        value = not value
    return value


def check(constraint: CheckConstraint, instance, exclude=None) -> bool:
    """Whether `instance` satisfies `constraint` (NULL passes, as in the database)."""
    refs: set[str] = set()
    result = _q(Q(constraint.condition), instance, refs)
    if exclude and refs & set(exclude):
        return True  # as Django: a condition on an excluded field is not checked
    return result is not False


def validate_constraints(instance, exclude=None, using=None):
    """Drop-in for Model.validate_constraints: same constraints, same messages, no queries."""
    errors: dict = {}
    for constraint in instance._meta.constraints:
        try:
            if not isinstance(constraint, CheckConstraint):
                raise _Unsupported("not a check")
            ok = check(constraint, instance, exclude)
        except _Unsupported:
            try:
                constraint.validate(type(instance), instance, exclude=exclude)
            except ValidationError as e:
                errors = e.update_error_dict(errors)
            continue
        if not ok:
            e = ValidationError(
                constraint.get_violation_error_message(), code=constraint.violation_error_code
            )
            errors = e.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)
