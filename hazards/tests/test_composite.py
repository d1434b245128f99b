"""Composite writes are one service call in one transaction; attachments check who may act."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.models import Event
from core.services import NotPermitted
from hazards import services
from hazards.evidence import check_upload
from hazards.models import Attachment, Hazard

from .conftest import PDF_BYTES


def pdf():
    return check_upload(SimpleUploadedFile("a.pdf", PDF_BYTES))


def test_attachment_needs_an_actor_who_may_act_on_the_hazard(world, hazard):
    for persona in ("housing", "other_region", "enterprise_other", "agency", "nobody"):
        with pytest.raises(NotPermitted):
            services.add_attachment(world.user(persona), hazard, pdf(), original_name="a.pdf")
    assert not Attachment.objects.filter(hazard=hazard).exists()
    att = services.add_attachment(world.user("enterprise"), hazard, pdf(), original_name="a.pdf")
    assert att.hazard_id == hazard.pk
    assert Event.objects.filter(verb="hazard.attachment_added", object_id=hazard.pk).count() == 1


def test_action_and_its_evidence_commit_or_roll_back_together(world, hazard):
    events = Event.objects.filter(object_id=hazard.pk).count()
    # voiding is allowed, but a void hazard takes no attachment: the whole call is refused and undone
    with pytest.raises(NotPermitted):
        services.run_action(world.user("commerce"), hazard, "void", {"reason": "重复登记"}, evidence=pdf(),
                            evidence_name="a.pdf")
    hazard.refresh_from_db()
    assert hazard.status == Hazard.Status.REGISTERED
    assert Event.objects.filter(object_id=hazard.pk).count() == events
    assert not Attachment.objects.filter(hazard=hazard).exists()
