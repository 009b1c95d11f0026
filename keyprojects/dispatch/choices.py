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
