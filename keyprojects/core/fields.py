"""Model fields several apps declare alike, so their columns and checks cannot drift apart."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models


def latitude_field() -> models.DecimalField:
    """纬度 in degrees, WGS-84/CGCS2000, optional (a project's site, a photo's place)."""
    return _degrees("纬度", 90)


def longitude_field() -> models.DecimalField:
    """经度 in degrees, WGS-84/CGCS2000, optional."""
    return _degrees("经度", 180)


def _degrees(label: str, limit: int) -> models.DecimalField:
    return models.DecimalField(
        label,
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(-limit)), MaxValueValidator(Decimal(limit))],
    )
