"""The hazard a new case names is an id as the picker sends it: other scripts' digits (which
int() reads) are refused on the field, not dropped — the case was opened with no hazard and no word."""

from enforcement.models import Case

from .helpers import major_hazard


def test_a_hazard_id_in_other_digits_is_refused_on_its_field_and_no_case_opens(client, world):
    hazard = major_hazard(world)
    client.force_login(world.user("commerce"))
    ascii_id, arabic_indic, fullwidth = str(hazard.pk), str(hazard.pk).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")), \
        str(hazard.pk).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    for raw in (arabic_indic, fullwidth):
        r = client.post("/enforcement/cases/new/", {"enterprise": world.ent_commerce.pk, "title": "未如实记录", "hazard": raw})
        assert r.status_code == 400, raw
        assert "hazard" in r.context["form"].errors and "半角数字" in r.context["form"].errors["hazard"][0]
    assert not Case.objects.filter(title="未如实记录").exists()
    r = client.post("/enforcement/cases/new/", {"enterprise": world.ent_commerce.pk, "title": "未如实记录", "hazard": ascii_id})
    assert r.status_code == 302
    assert Case.objects.get(title="未如实记录").hazard_id == hazard.pk
