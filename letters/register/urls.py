"""The register's addresses, in the letters namespace (included by letters.urls)."""

from django.urls import path

import govuk.converters  # noqa: F401  (registers <id:...>)
from letters.register import chart_views, views

urlpatterns = [
    path("register/", views.register, name="register"),
    path("register/<id:pk>/", views.letter, name="register-letter"),
    path("register/<id:pk>.json", views.letter_json, name="register-letter-json"),
    path("register/letters.csv", views.register_csv, name="register-csv"),
    path("register/letters.json", views.register_json, name="register-json"),
    path("register/feed.atom", views.feed, name="register-feed"),
    path("register/open-data/", views.about_open_data, name="register-open-data"),
    path("register/charts/", chart_views.charts_page, name="register-charts"),
]
