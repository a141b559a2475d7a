"""Search finds a listing by its text in any shipped language, and by the names of its
type, sectors and languages in any of them ("cooperativa de vivienda", "banco de
alimentos", "español").

The same fields as 0023_search_everywhere, each with its translated columns
(0020_translated_fields):
- SQLite: nothing more (0023 built the index with the translated columns).
- PostgreSQL: the stored vector's function and triggers, likewise; a hidden location's
  city still stays out.
"""

from django.db import migrations

SUFFIXES = ("en", "es", "zh_hans", "vi", "ko", "am", "fr")


def _names(alias, fields):
    columns = [f"{alias}.{field}" for field in fields]
    columns += [f"{alias}.{field}_{suffix}" for field in fields for suffix in SUFFIXES]
    return " || ' ' || ".join(f"coalesce({column}, '')" for column in columns)


def _columns(fields):
    return [*fields, *(f"{field}_{suffix}" for field in fields for suffix in SUFFIXES)]


def _changed(columns):
    return " OR ".join(f"NEW.{column} IS DISTINCT FROM OLD.{column}" for column in columns)


TEXTS = ("summary", "how_to_join", "eligibility")

FORWARD_SQL = rf"""
CREATE OR REPLACE FUNCTION directory_organization_search_vector() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.search_vector :=
    setweight(to_tsvector('english', directory_search_text(NEW.name)), 'A')
    || setweight(to_tsvector('english', directory_search_text(
         coalesce((SELECT {_names("t", ("name", "plural"))} FROM directory_organizationtype t
                   WHERE t.id = NEW.type_id), '')
         || ' ' ||
         coalesce((SELECT string_agg({_names("s", ("name",))}, ' ')
                   FROM directory_organization_sectors os
                   JOIN directory_sector s ON s.id = os.sector_id
                   WHERE os.organization_id = NEW.id), '')
         || ' ' ||
         coalesce((SELECT string_agg({_names("g", ("name",))}, ' ')
                   FROM directory_organization_languages ol
                   JOIN directory_language g ON g.id = ol.language_id
                   WHERE ol.organization_id = NEW.id), '')
         || ' ' ||
         -- Only places the public may see: a hidden location's city stays out.
         coalesce((SELECT string_agg(l.city || ' ' || coalesce(j.name, ''), ' ')
                   FROM directory_location l
                   LEFT JOIN directory_jurisdiction j ON j.id = l.jurisdiction_id
                   WHERE l.organization_id = NEW.id AND l.precision <> 'hidden'), '')
       )), 'B')
    || setweight(to_tsvector('english', directory_search_text(
         coalesce(NEW.description, '') || ' ' || {_names("NEW", TEXTS)}
       )), 'C');
  RETURN NEW;
END
$$;

DROP TRIGGER IF EXISTS directory_organization_search ON directory_organization;
CREATE TRIGGER directory_organization_search
BEFORE INSERT OR UPDATE OF name, description, type_id, search_vector, {", ".join(_columns(TEXTS))}
ON directory_organization
FOR EACH ROW EXECUTE FUNCTION directory_organization_search_vector();

CREATE FUNCTION directory_translated_reference_renamed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'directory_language' THEN
    IF {_changed(_columns(("name",)))} THEN
      UPDATE directory_organization SET search_vector = NULL WHERE id IN (
        SELECT organization_id FROM directory_organization_languages WHERE language_id = NEW.id);
    END IF;
  ELSIF TG_TABLE_NAME = 'directory_sector' THEN
    IF {_changed(_columns(("name",)))} THEN
      UPDATE directory_organization SET search_vector = NULL WHERE id IN (
        SELECT organization_id FROM directory_organization_sectors WHERE sector_id = NEW.id);
    END IF;
  ELSIF {_changed(_columns(("name", "plural")))} THEN
    UPDATE directory_organization SET search_vector = NULL WHERE type_id = NEW.id;
  END IF;
  RETURN NULL;
END
$$;

DROP TRIGGER IF EXISTS directory_language_renamed_search ON directory_language;
CREATE TRIGGER directory_language_renamed_search AFTER UPDATE ON directory_language
FOR EACH ROW EXECUTE FUNCTION directory_translated_reference_renamed();
DROP TRIGGER IF EXISTS directory_sector_renamed_search ON directory_sector;
CREATE TRIGGER directory_sector_renamed_search AFTER UPDATE ON directory_sector
FOR EACH ROW EXECUTE FUNCTION directory_translated_reference_renamed();
DROP TRIGGER IF EXISTS directory_type_renamed_search ON directory_organizationtype;
CREATE TRIGGER directory_type_renamed_search AFTER UPDATE ON directory_organizationtype
FOR EACH ROW EXECUTE FUNCTION directory_translated_reference_renamed();

UPDATE directory_organization SET search_vector = NULL;
"""

REVERSE_SQL = """
DROP TRIGGER IF EXISTS directory_type_renamed_search ON directory_organizationtype;
DROP TRIGGER IF EXISTS directory_sector_renamed_search ON directory_sector;
DROP TRIGGER IF EXISTS directory_language_renamed_search ON directory_language;
DROP FUNCTION IF EXISTS directory_translated_reference_renamed();
CREATE TRIGGER directory_language_renamed_search AFTER UPDATE ON directory_language
FOR EACH ROW EXECUTE FUNCTION directory_reference_renamed();
CREATE TRIGGER directory_sector_renamed_search AFTER UPDATE ON directory_sector
FOR EACH ROW EXECUTE FUNCTION directory_reference_renamed();
CREATE TRIGGER directory_type_renamed_search AFTER UPDATE ON directory_organizationtype
FOR EACH ROW EXECUTE FUNCTION directory_type_renamed();
"""



def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(FORWARD_SQL, params=None)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(REVERSE_SQL, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0023_search_everywhere"),
    ]

    operations = [migrations.RunPython(forward, backward)]
