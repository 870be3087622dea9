from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path


def worklist(request: HttpRequest) -> HttpResponse:
    return HttpResponse("Nuclear medicine worklist")


urlpatterns = [path("", worklist, name="worklist")]
