from django.db import models


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已报送"
    APPROVED = "approved", "已审核"
    RETURNED = "returned", "已退回"
