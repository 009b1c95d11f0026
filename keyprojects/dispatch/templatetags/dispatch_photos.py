from django import template

from keyprojects.dispatch import rules

register = template.Library()


@register.simple_tag
def photo_place(photo) -> str:
    """北纬29.561234°，东经106.551234°（±20米）, or "" for a photo without a place."""
    if photo.latitude is None or photo.longitude is None:
        return ""
    return rules.place_text(photo.latitude, photo.longitude, photo.accuracy_m)
