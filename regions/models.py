"""Administrative regions (GB/T 2260 + NBS township codes), province → city → county → township."""

from django.db import models

from core.querysets import ScopedQuerySet


class RegionQuerySet(ScopedQuerySet):
    """Regions are reference data: a user may see its own region's subtree and its ancestors."""

    def visible_to(self, user):
        from accounts.scope import scope_for

        scope = scope_for(user)
        if scope.everything:
            return self
        if scope.nothing:
            return self.none()
        if scope.region_code:
            return self.filter(models.Q(path__startswith=scope.region_path) | models.Q(code__in=scope.ancestor_codes))
        return self.none()


class Region(models.Model):
    """A node of the region tree. ``path`` is the materialised path of codes ("12/1201/120105");
    ``code`` is 2/4/6/9 digits for province/city/county/township."""

    class Level(models.TextChoices):
        PROVINCE = "province", "省级"
        CITY = "city", "地级"
        COUNTY = "county", "县级"
        TOWNSHIP = "township", "乡级"

    code = models.CharField("区划代码", max_length=12, unique=True)
    name = models.CharField("名称", max_length=100)
    level = models.CharField("层级", max_length=10, choices=Level.choices, db_index=True)
    parent = models.ForeignKey("self", verbose_name="上级", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    path = models.CharField("路径", max_length=40, db_index=True)

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "行政区划"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    LEVEL_ORDER = ("province", "city", "county", "township")

    def level_codes(self) -> dict[str, str]:
        """{"province": "12", "city": "1201", ...} down to this region's level."""
        return dict(zip(self.LEVEL_ORDER, self.path.split("/")))

    def county_code(self) -> str | None:
        """The code of the county this region is or lies in (a county or a township); None above."""
        return self.level_codes().get("county")

    def ancestor_codes(self) -> list[str]:
        return self.path.split("/")[:-1]

    def full_name(self) -> str:
        names = dict(Region.objects.filter(code__in=self.ancestor_codes()).values_list("code", "name"))
        parts = [names.get(c, "") for c in self.ancestor_codes()] + [self.name]
        return "".join(p for p in parts if p and p != "市辖区")

    def descendants(self):
        return Region.objects.filter(path__startswith=self.path + "/")
