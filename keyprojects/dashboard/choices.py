from django.db import models


class BoundaryLevel(models.TextChoices):
    COUNTY = "county", "县界"
    TOWNSHIP = "township", "乡镇（街道）界"


class TileSource(models.TextChoices):
    NONE = "none", "不加载底图（只显示边界）"
    URL = "url", "内网瓦片服务地址"
    LOCAL = "local", "本机瓦片目录"
