"""Model fields several apps declare alike, so their columns and checks cannot drift apart."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models


def latitude_field() -> models.DecimalField:
    """纬度 in degrees, WGS-84/CGCS2000, optional (a project's site, a photo's place)."""
    return models.DecimalField(
        "纬度",
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(-90)), MaxValueValidator(Decimal(90))],
    )


def longitude_field() -> models.DecimalField:
    """经度 in degrees, WGS-84/CGCS2000, optional."""
    return models.DecimalField(
        "经度",
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(-180)), MaxValueValidator(Decimal(180))],
    )
