from django.contrib import admin
from django.urls import path

from testsite import views

urlpatterns = [
    path("", views.home),
    path("echo/", views.echo),
    path("upload/", views.upload),
    path("slow/", views.slow),
    path("first-bytes/", views.first_bytes),
    path("stream/first-bytes/", views.first_bytes),
    path("redirect/", views.redirect_to),
    path("set-cookie/", views.set_cookie),
    path("mixed/", views.mixed),
    path("clean/", views.clean),
    path("admin/", admin.site.urls),
]
