"""Search finds a listing by its text in any shipped language, and by the names of its
type and sectors in any of them ("cooperativa de vivienda", "banco de alimentos").

PostgreSQL: the stored vector (0004_search) now holds, besides the name (A), the type's
name and plural in every language, the sectors' names in every language and the cities
(B), and the summary, how to join and eligibility in every language with the
description (C). Sector links and renamed sectors or types recompute the vectors they
touch. SQLite searches the same columns with the portable fallback."""

from django.db import migrations

LANGUAGES = ("en", "es", "zh_hans", "vi", "ko", "am", "fr")


def _columns(alias, field):
    return " || ' ' || ".join(f"coalesce({alias}.{field}_{code}, '')" for code in LANGUAGES)


TYPE_TEXT = f"{_columns('t', 'name')} || ' ' || {_columns('t', 'plural')}"
SECTOR_TEXT = _columns("s", "name")
LISTING_TEXT = " || ' ' || ".join(
    _columns("NEW", field) for field in ("summary", "how_to_join", "eligibility")
)
TRANSLATED_COLUMNS = ", ".join(
    f"{field}_{code}" for field in ("summary", "how_to_join", "eligibility") for code in LANGUAGES
)
TYPE_COLUMNS = [f"{field}_{code}" for field in ("name", "plural") for code in LANGUAGES]
SECTOR_COLUMNS = [f"name_{code}" for code in LANGUAGES]


def _changed(columns):
    return " OR ".join(f"NEW.{column} IS DISTINCT FROM OLD.{column}" for column in columns)


FORWARD_SQL = rf"""
CREATE OR REPLACE FUNCTION directory_organization_search_vector() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.search_vector :=
    setweight(to_tsvector('english', directory_search_text(NEW.name)), 'A')
    || setweight(to_tsvector('english', directory_search_text(
         coalesce((SELECT {TYPE_TEXT} FROM directory_organizationtype t
                   WHERE t.id = NEW.type_id), '')
         || ' ' ||
         coalesce((SELECT string_agg({SECTOR_TEXT}, ' ') FROM directory_sector s
                   JOIN directory_organization_sectors os ON os.sector_id = s.id
                   WHERE os.organization_id = NEW.id), '')
         || ' ' ||
         coalesce((SELECT string_agg(l.city, ' ') FROM directory_location l
                   WHERE l.organization_id = NEW.id), '')
       )), 'B')
    || setweight(to_tsvector('english', directory_search_text(
         coalesce(NEW.summary, '') || ' ' || coalesce(NEW.description, '') || ' ' || {LISTING_TEXT}
       )), 'C');
  RETURN NEW;
END
$$;

DROP TRIGGER IF EXISTS directory_organization_search ON directory_organization;
CREATE TRIGGER directory_organization_search
BEFORE INSERT OR UPDATE OF name, summary, description, type_id, search_vector,
  {TRANSLATED_COLUMNS}
ON directory_organization
FOR EACH ROW EXECUTE FUNCTION directory_organization_search_vector();

CREATE OR REPLACE FUNCTION directory_type_renamed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.name IS DISTINCT FROM OLD.name OR NEW.plural IS DISTINCT FROM OLD.plural
     OR {_changed(TYPE_COLUMNS)} THEN
    UPDATE directory_organization SET search_vector = NULL WHERE type_id = NEW.id;
  END IF;
  RETURN NULL;
END
$$;

CREATE FUNCTION directory_sector_renamed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF {_changed(SECTOR_COLUMNS)} THEN
    UPDATE directory_organization SET search_vector = NULL
    WHERE id IN (SELECT organization_id FROM directory_organization_sectors
                 WHERE sector_id = NEW.id);
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER directory_sector_renamed_search
AFTER UPDATE ON directory_sector
FOR EACH ROW EXECUTE FUNCTION directory_sector_renamed();

-- Linking or unlinking sectors: once per statement, for the organizations it touched.
CREATE FUNCTION directory_sectors_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE directory_organization SET search_vector = NULL
  WHERE id IN (SELECT organization_id FROM changed_sectors);
  RETURN NULL;
END
$$;

CREATE TRIGGER directory_sectors_inserted_search
AFTER INSERT ON directory_organization_sectors REFERENCING NEW TABLE AS changed_sectors
FOR EACH STATEMENT EXECUTE FUNCTION directory_sectors_changed();

CREATE TRIGGER directory_sectors_deleted_search
AFTER DELETE ON directory_organization_sectors REFERENCING OLD TABLE AS changed_sectors
FOR EACH STATEMENT EXECUTE FUNCTION directory_sectors_changed();

UPDATE directory_organization SET search_vector = NULL;
"""

REVERSE_SQL = """
DROP TRIGGER IF EXISTS directory_sectors_deleted_search ON directory_organization_sectors;
DROP TRIGGER IF EXISTS directory_sectors_inserted_search ON directory_organization_sectors;
DROP TRIGGER IF EXISTS directory_sector_renamed_search ON directory_sector;
DROP FUNCTION IF EXISTS directory_sectors_changed();
DROP FUNCTION IF EXISTS directory_sector_renamed();
"""


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0021_translate_reference_data"),
    ]

    operations = [
        migrations.RunPython(_on_postgresql(FORWARD_SQL), _on_postgresql(REVERSE_SQL)),
    ]
