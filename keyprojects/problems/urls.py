from django.urls import path

from keyprojects.problems import views

app_name = "problems"

urlpatterns = [
    path("", views.problem_list, name="list"),
    path("new/", views.problem_create, name="create"),
    path("<int:pk>/", views.problem_detail, name="detail"),
    path("<int:pk>/edit/", views.problem_edit, name="edit"),
    path("<int:pk>/reply/", views.problem_reply, name="reply"),
    path("<int:pk>/do/<str:action>/", views.problem_transition, name="transition"),
    path("<int:pk>/interview/new/", views.interview_create, name="interview_create"),
    path("from-report/<int:report_pk>/", views.from_report, name="from_report"),
    path("orders/", views.order_list, name="order_list"),
    path("orders/<int:pk>/docx/", views.order_docx, name="order_docx"),
    path("evidence/<int:pk>/", views.evidence_view, name="evidence"),
    path("risks/", views.risk_list, name="risk_list"),
    path("risks/new/<int:project_pk>/", views.risk_create, name="risk_create"),
    path("risks/<int:pk>/clear/", views.risk_clear, name="risk_clear"),
    path("kpis/", views.kpi_page, name="kpis"),
    path("ranking/", views.ranking_page, name="ranking"),
    path("ranking/export/", views.ranking_export, name="ranking_export"),
    path("rules/", views.rules_page, name="rules"),
]
