"""python manage.py dispatch_table --unit <id|code> --as-of <ISO> --format json|xlsx [--output file]"""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from accounts.models import Organisation
from campaigns.tables import unit_table
from campaigns.xlsx import export_bytes
from core.services import ServiceError
from hazards.asof import instant as parse_as_of


class Command(BaseCommand):
    help = "打印（或写出）某单位截至某时间的调度表（与页面、API 数字相同）。"

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, help="单位编号或编码")
        parser.add_argument("--as-of", default="", help="ISO 时间，缺省为当前时间")
        parser.add_argument("--format", choices=("json", "xlsx"), default="json")
        parser.add_argument("--output", default="")

    def handle(self, *args, **opts):
        raw = opts["unit"]
        lookup = {"pk": int(raw)} if raw.isdigit() else {"code": raw}
        unit = Organisation.objects.select_related("region").filter(**lookup).first()
        if unit is None or not unit.is_government:
            raise CommandError(f"单位不存在：{raw}")
        try:
            as_of = parse_as_of(opts["as_of"])
        except ServiceError as exc:
            raise CommandError(exc.message)
        table = unit_table(unit, as_of)
        if opts["format"] == "json":
            text = json.dumps(table.as_json(), ensure_ascii=False, indent=2)
            if opts["output"]:
                with open(opts["output"], "w", encoding="utf-8") as fh:
                    fh.write(text)
            else:
                self.stdout.write(text)
            return
        data = export_bytes(unit.name, as_of, table.values, table.auto)
        if opts["output"]:
            with open(opts["output"], "wb") as fh:
                fh.write(data)
        else:
            sys.stdout.buffer.write(data)
