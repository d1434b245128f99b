from tips.checks import tip_identity_key


def test_missing_or_invalid_identity_key_is_a_startup_error(settings):
    settings.TIP_IDENTITY_KEY = ""
    assert [e.id for e in tip_identity_key(None)] == ["tips.E001"]
    settings.TIP_IDENTITY_KEY = "not-a-key"
    assert [e.id for e in tip_identity_key(None)] == ["tips.E002"]


def test_the_configured_key_passes():
    assert tip_identity_key(None) == []
