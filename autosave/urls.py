from django.urls import path

from autosave import views

app_name = "autosave"
urlpatterns = [
    path("autosave/", views.save, name="save"),
    path("autosave/discard/", views.discard, name="discard"),
]
