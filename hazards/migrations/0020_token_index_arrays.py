# The n-gram token indexes (hazards.search) over the stored words as an array —
# string_to_array(tokens, ' ') with GIN's array_ops — instead of to_tsvector('simple', tokens): the
# same words and the same answers (every n-gram of the query present), without the text-search
# parser on every written row (issue 15, B3: 5,000 imported rows' index entries cost the server
# ~100 ms through to_tsvector, ~30 ms as an array). The pending list keeps migration 0018's limit.

from django.db import migrations

PENDING_LIST_KB = 65536  # hazards.search.PENDING_LIST_KB when this migration was written
INDEXES = (("hazard_search_gin", "hazards_hazard", "search_tokens"),
           ("enterprise_name_tokens_gin", "enterprises_enterprise", "name_tokens"))


def rebuild(expression):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for name, table, column in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
            schema_editor.execute(f"CREATE INDEX {name} ON {table} USING gin ({expression.format(column=column)}) "
                                  f"WITH (gin_pending_list_limit = {PENDING_LIST_KB})")
    return run


class Migration(migrations.Migration):

    dependencies = [
        ('enterprises', '0004_engagement_end_reason'),
        ('hazards', '0019_tally_trigger_when'),
    ]

    operations = [
        migrations.RunPython(rebuild("(string_to_array(COALESCE({column}, ''), ' '))"),
                             rebuild("to_tsvector('simple'::regconfig, COALESCE({column}, ''))")),
    ]
