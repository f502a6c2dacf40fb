from django.urls import path, register_converter

from jobs import views


class IdConverter:
    """An id the database can hold (18 digits at most); any other is not found."""

    regex = "[0-9]{1,18}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


register_converter(IdConverter, "job_id")

app_name = "jobs"
urlpatterns = [
    path("jobs/<job_id:pk>/", views.job_status, name="status"),
]
