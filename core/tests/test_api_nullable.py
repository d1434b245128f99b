"""A column that may be empty (``null=True``) is nullable in the API serializer that shows it, so the
schema says so: a generated client refuses a null where the schema promises a string. Found by the
contract check's coverage phase on PostgreSQL: a 直接判定 risk assessment has no L/E/C/S factors,
and a decision other than a penalty names no article — both answered null where the schema said
string."""

import importlib
import inspect

import pytest
import yaml
from django.apps import apps
from rest_framework import serializers

from core.testing import client_as
from risks import services as risk_services

pytestmark = pytest.mark.django_db


def _model_serializers():
    for app in apps.get_app_configs():
        try:
            module = importlib.import_module(f"{app.name}.api")
        except ModuleNotFoundError:
            continue
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if (issubclass(cls, serializers.ModelSerializer) and cls.__module__ == module.__name__
                    and hasattr(cls, "Meta")):
                yield f"{app.name}.{name}", cls


def test_every_serializer_field_of_a_nullable_column_allows_null():
    missing, checked = [], 0
    for label, cls in _model_serializers():
        model = cls.Meta.model
        for name, field in cls().fields.items():
            source = field.source if field.source and field.source != "*" else name
            if "." in source or isinstance(field, serializers.SerializerMethodField | serializers.ManyRelatedField):
                continue
            try:
                column = model._meta.get_field(source)
            except Exception:  # noqa: BLE001 - a property or a computed value: not a column
                continue
            if not column.concrete or not column.null:
                continue
            checked += 1
            if not field.allow_null:
                missing.append(f"{label}.{name}")
    assert checked > 20  # the scan sees the nullable columns (a broken scan would pass on nothing)
    assert missing == []


def test_a_direct_risk_judgement_reads_back_with_null_factors_as_the_schema_says(client, world):
    point = risk_services.create_risk_point(None, world.ent_construction, code="JJ-9", name="塔吊", category="起重伤害",
                                            location="3号楼", hazard_factors="限位失灵")
    risk_services.assess(None, point, method="direct", level="major", reason="涉及重大危险源")
    client_as(client, world, "enterprise_other")
    row = client.get("/api/v1/risks/assessments/").json()["results"][0]
    assert [row[f"factor_{k}"] for k in "lecs"] == [None, None, None, None]
    schema = yaml.safe_load(client.get("/api/schema/").content)
    props = schema["components"]["schemas"]["Assessment"]["properties"]
    assert all(props[f"factor_{k}"].get("nullable") for k in "lecs")
    assert schema["components"]["schemas"]["Decision"]["properties"]["article"].get("nullable")
