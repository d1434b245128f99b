"""What B4's two halves share: bench/b4_http.py (set-up, the in-process floor, the check of the
events written) and bench/locustfile.py (the load over HTTP, a separate process without Django).
One definition of the loop's steps, bodies, evidence photo and token header, so the floor and
the HTTP run do the same work. No Django imports here."""

import datetime
import io

STEPS = ("register", "submit_plan", "upload_evidence", "submit_completion", "accept")
DEADLINE_DAYS = 30
DESCRIPTION = "基准测试：液化气瓶违规存放于人员密集场所"
BASIS_REASON = "依据行业判定标准，人员密集场所违规存放液化气瓶"
PLAN = {"goal_tasks": "清除违规气瓶，改用管道燃气", "measures": "停用气瓶、改造管线、设置报警器",
        "funds_materials": "企业自筹，物资已落实", "funds_amount": "3.50", "responsible": "安全管理部，张三",
        "safety_emergency": "整改期间停用后厨，配备灭火器，应急预案已演练"}
COMPLETION = {"evidence_note": "气瓶已清除，管道燃气已接通，照片已上传"}
ACCEPTANCE = {"mode": "on_site", "opinion": "现场验收合格，同意销号"}
EVIDENCE_NAME = "整改后.png"


def deadline() -> datetime.date:
    return datetime.date.today() + datetime.timedelta(days=DEADLINE_DAYS)


def token_headers(token: str) -> dict:
    """The API login of a bench user: its token (issued in-process by b4_http, revoked at the end)."""
    return {"Authorization": f"Token {token}"}


def evidence_png(rng) -> bytes:
    """A small, distinct PNG (a photo of the rectified spot, as far as the checks are concerned)."""
    from PIL import Image

    image = Image.new("RGB", (32, 24), tuple(rng.randrange(256) for _ in range(3)))
    image.putpixel((rng.randrange(32), rng.randrange(24)), tuple(rng.randrange(256) for _ in range(3)))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def multipart(fields: dict, files: dict) -> tuple[bytes, str]:
    """A multipart/form-data body and its Content-Type (file names in UTF-8, as browsers and
    python-requests send them): ``files`` maps a field to (file name, bytes, content type)."""
    import uuid

    boundary = uuid.uuid4().hex
    out = []
    for name, value in fields.items():
        out.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, content, content_type) in files.items():
        out.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                   f"Content-Type: {content_type}\r\n\r\n".encode() + content + b"\r\n")
    out.append(f"--{boundary}--\r\n".encode())
    return b"".join(out), f"multipart/form-data; boundary={boundary}"
