from django.db import models


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已报送"
    APPROVED = "approved", "已审核"
    RETURNED = "returned", "已退回"


# A department may still change these; submitted and approved reports change only through a
# transition (services.TRANSITIONS).
EDITABLE = (ReportStatus.DRAFT, ReportStatus.RETURNED)
# The month's report has been sent in (it no longer counts as owed).
SUBMITTED_STATES = (ReportStatus.SUBMITTED, ReportStatus.APPROVED)


class PhotoTimeSource(models.TextChoices):
    """Where a site photo's capture time came from (shown beside the time)."""

    EXIF = "exif", "照片EXIF拍摄时间"
    FILE = "file", "手机文件时间"


class PhotoPlaceSource(models.TextChoices):
    """Where a site photo's place came from: the camera's GPS tags, or the browser's
    position when the photo was sent (only over HTTPS, only when the reporter allows it)."""

    EXIF = "exif", "照片EXIF定位"
    BROWSER = "browser", "上传时浏览器定位"
