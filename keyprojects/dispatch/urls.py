from django.urls import path

from keyprojects.dispatch import views

app_name = "dispatch"
urlpatterns = [
    path("", views.report_list, name="report_list"),
    path("new/", views.report_create, name="report_create"),
    path("<int:pk>/", views.report_detail, name="report_detail"),
    path("<int:pk>/edit/", views.report_edit, name="report_edit"),
    path("<int:pk>/submit/", views.report_submit, name="report_submit"),
    path("<int:pk>/approve/", views.report_approve, name="report_approve"),
    path("<int:pk>/return/", views.report_return, name="report_return"),
    path("<int:pk>/milestones/", views.report_milestones, name="report_milestones"),
    path("<int:pk>/photos/", views.photo_upload, name="photo_upload"),
    path("<int:pk>/photos/<int:photo_pk>/", views.photo_view, name="photo_view"),
    path("<int:pk>/photos/<int:photo_pk>/delete/", views.photo_delete, name="photo_delete"),
    path("due/", views.due, name="due"),
    path("due/remind/", views.due_remind, name="due_remind"),
    path("phase-templates/", views.template_list, name="template_list"),
    path("phase-templates/<str:sector>/", views.template_edit, name="template_edit"),
    path("plan/<int:pk>/", views.plan, name="plan"),
    path("wall-chart/", views.wall_chart, name="wall_chart"),
    path("wall-chart.svg", views.wall_chart_svg, name="wall_chart_svg"),
    path("wall-chart.pdf", views.wall_chart_pdf, name="wall_chart_pdf"),
    path("brief/", views.brief, name="brief"),
    path("brief.docx", views.brief_docx, name="brief_docx"),
]
