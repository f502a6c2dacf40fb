from django.urls import path

from inspections import views

urlpatterns = [
    path("visits/", views.visit_list, name="visit-list"),
    path("visits/new/", views.visit_create, name="visit-create"),
    path("visits/<int:pk>/", views.visit_detail, name="visit-detail"),
    path("visits/<int:pk>/details/", views.visit_edit, name="visit-edit"),
    path("visits/<int:pk>/recipient/", views.visit_recipient, name="visit-recipient"),
    path("visits/<int:pk>/team/", views.visit_team, name="visit-team"),
    path(
        "visits/<int:pk>/team/<int:member_pk>/remove/",
        views.visit_team_remove,
        name="visit-team-remove",
    ),
    path("visits/<int:pk>/focus-areas/", views.visit_focus_areas, name="visit-focus-areas"),
]
