"""Every obligations and risks detail endpoint (API) is scoped like its enterprise: the demo
records of several enterprises are fetched by each persona, and the expected status is derived
from whether that persona can see the record's enterprise."""

import pytest

from core.testing import check_matrix
from enterprises.models import Enterprise

ENDPOINTS = {
    "obligations/checks": "obligations.PrincipalCheck",
    "obligations/lists": None,
    "obligations/staffing": None,
    "obligations/workers": None,
    "obligations/permits": None,
    "obligations/outsourcing": None,
    "obligations/drills": None,
    "obligations/costs": None,
    "risks/points": "risks.RiskPoint",
    "risks/assessments": "risks.RiskAssessment",
}
PERSONAS = ["committee", "commerce", "housing", "township", "other_region", "enterprise", "enterprise_other", "agency"]


def model_for(path):
    from django.urls import resolve

    view = resolve(f"/api/v1/{path}/").func
    return view.cls.serializer_class.Meta.model


@pytest.mark.parametrize("path", sorted(ENDPOINTS))
def test_detail_endpoint_scope(client, world, path):
    from obligations.demo import load as load_obligations
    from risks.demo import load as load_risks

    load_obligations(world.ctx)
    load_risks(world.ctx)
    model = model_for(path)
    records = list(model.objects.all()[:40])
    assert records, f"the demo has no {model.__name__}"
    enterprise_of = (lambda r: r.enterprise) if hasattr(model, "enterprise") else (lambda r: r.risk_point.enterprise)
    by_enterprise = {}
    for r in records:
        by_enterprise.setdefault(enterprise_of(r).pk, r)
    for ent_pk, record in list(by_enterprise.items())[:3]:
        expected = {}
        for persona in PERSONAS:
            sees = Enterprise.objects.visible_to(world.user(persona)).filter(pk=ent_pk).exists()
            expected[persona] = 200 if sees else 404
        expected["anon"] = (401, 403)
        check_matrix(client, world, f"/api/v1/{path}/{record.pk}/", expected)
