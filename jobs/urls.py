from django.urls import path

import govuk.converters  # noqa: F401  (registers <id:...>)
from jobs import views

app_name = "jobs"
urlpatterns = [
    path("jobs/<id:pk>/", views.job_status, name="status"),
]
