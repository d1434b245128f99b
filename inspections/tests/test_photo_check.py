"""Inspection photos are judged by their content, not by their file name."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from inspections.forms import ItemForm


def png_bytes() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buf, "PNG")
    return buf.getvalue()


def form_with(name: str, data: bytes) -> ItemForm:
    return ItemForm(data={"result": "hazard", "note": "灭火器失效"}, files={"photo": SimpleUploadedFile(name, data)})


def test_a_text_file_named_jpg_is_refused():
    form = form_with("fake.jpg", b"this is not an image at all")
    assert not form.is_valid()
    assert "photo" in form.errors


def test_a_real_png_with_any_name_is_accepted():
    form = form_with("scan.bin", png_bytes())
    assert form.is_valid(), form.errors


def test_a_pdf_is_not_a_photo():
    form = form_with("x.png", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n")
    assert not form.is_valid()
    assert "JPG" in str(form.errors["photo"])
