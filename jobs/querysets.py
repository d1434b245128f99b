"""Who sees a job: its owner only (a job carries its owner's parameters and result file)."""

from django.db import models


class JobQuerySet(models.QuerySet):
    def visible_to(self, user):
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(owner=user)
