"""What the map needs besides the projects: boundaries and the base-map source.

The map must work on an intranet with no internet (docs/rules.md §地图): boundaries are local
GeoJSON the office uploads, and a base map is optional — an intranet tile server or a folder of
tiles on this machine — never a public tile service hard-wired in.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from keyprojects import geo
from keyprojects.core.models import Versioned
from keyprojects.dashboard.choices import BoundaryLevel, TileSource

_HISTORY_EXCLUDED = ["created_at", "updated_at"]
SYSTEM_CHOICES = [(k, v) for k, v in geo.SYSTEMS.items() if k != geo.MAP_PICK]


class Boundary(Versioned):
    """One uploaded boundary layer (县界 or 乡镇界), stored in WGS-84/CGCS2000."""

    name = models.CharField("名称", max_length=100)
    level = models.CharField("层级", max_length=20, choices=BoundaryLevel.choices)
    geojson = models.JSONField("边界数据（GeoJSON）")
    source_system = models.CharField(
        "上传文件的坐标系", max_length=20, choices=SYSTEM_CHOICES, default=geo.CGCS2000
    )
    illustrative = models.BooleanField(
        "示意数据", default=False, help_text="演示用的示意边界，不是真实行政区划"
    )
    note = models.CharField("来源说明（含审图号）", max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上传人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords(excluded_fields=_HISTORY_EXCLUDED + ["geojson"])

    class Meta:
        verbose_name = verbose_name_plural = "行政区划边界"
        ordering = ["level", "name"]

    def __str__(self):
        return self.name


class MapSettings(Versioned):
    """The office's base-map choice; one row (pk=1)."""

    tile_source = models.CharField(
        "底图来源", max_length=20, choices=TileSource.choices, default=TileSource.NONE
    )
    tile_url = models.CharField(
        "瓦片服务地址",
        max_length=300,
        blank=True,
        help_text="内网瓦片服务，含 {z}/{x}/{y}，例如 http://10.1.2.3/tiles/{z}/{x}/{y}.png",
    )
    tile_attribution = models.CharField(
        "底图说明（审图号）", max_length=200, blank=True, help_text="公开地图须注明审图号"
    )
    max_zoom = models.PositiveSmallIntegerField("最大缩放级别", default=18)

    history = HistoricalRecords(excluded_fields=_HISTORY_EXCLUDED)

    class Meta:
        verbose_name = verbose_name_plural = "地图设置"

    def __str__(self):
        return "地图设置"

    @classmethod
    def current(cls) -> "MapSettings":
        return cls.objects.filter(pk=1).first() or cls(pk=1)

    def clean(self):
        if self.tile_source == TileSource.URL:
            url = self.tile_url.strip()
            if not url:
                raise ValidationError({"tile_url": "选择了内网瓦片服务，请填写瓦片服务地址"})
            if not url.startswith(("http://", "https://", "/")):
                raise ValidationError({"tile_url": "瓦片服务地址应以 http://、https:// 或 / 开头"})
            missing = [k for k in ("{z}", "{x}", "{y}") if k not in url]
            if missing:
                raise ValidationError({"tile_url": f"瓦片服务地址缺少 {'、'.join(missing)} 占位符"})
        if not 1 <= self.max_zoom <= 22:
            raise ValidationError({"max_zoom": "最大缩放级别应为1至22"})
