"""Public pages without login (the tip form and tracking), under /public/."""

from django.urls import path

from . import public_views as v

urlpatterns = [
    path("tips/new/", v.new_tip, name="tips_public_new"),
    path("tips/track/", v.track, name="tips_public_track"),
    path("tips/review/", v.review_request, name="tips_public_review"),
    path("tips/captcha.png", v.captcha_image, name="tips_public_captcha"),
    path("tips/regions/", v.regions, name="tips_public_regions"),
    path("tips/enterprises/", v.enterprises, name="tips_public_enterprises"),
]
