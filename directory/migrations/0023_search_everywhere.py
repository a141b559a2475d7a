"""Search as forgiving on SQLite as on PostgreSQL, over the same fields on both.

SQLite: the FTS5 trigram table and its triggers (directory.listings.search_index), when
this SQLite has the trigram tokenizer; otherwise nothing, and search uses LIKE. They read
the translated columns too (0020_translated_fields). It comes after the migrations that
rebuild the tables it reads: SQLite refuses to rename a rebuilt table while a trigger
names the missing one (a later migration doing so sets the triggers aside with
search_index.drop_sqlite_triggers and puts them back with create_sqlite_triggers).

PostgreSQL: the stored vector now also holds sectors, languages, how to join,
eligibility and the counties of locations, leaves out the city of a hidden location, and
has its accents removed (`unaccent` where the extension can be created, else
`translate()` with the same table as SQLite); link and reference-table triggers keep
it current when languages or sectors are added, removed or renamed.
"""

from django.db import DatabaseError, migrations

from directory.listings import search_index

# The translated columns' suffixes (0020_translated_fields).
SUFFIXES = ("en", "es", "zh_hans", "vi", "ko", "am", "fr")

PG_VECTOR_SQL = r"""
CREATE OR REPLACE FUNCTION directory_search_text(value text) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT regexp_replace(directory_unaccent(coalesce(value, '')),
                        '\mco-?op(erative)?s?\M', 'coop', 'gi')
$$;

CREATE OR REPLACE FUNCTION directory_organization_search_vector() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.search_vector :=
    setweight(to_tsvector('english', directory_search_text(NEW.name)), 'A')
    || setweight(to_tsvector('english', directory_search_text(
         coalesce((SELECT t.name || ' ' || t.plural FROM directory_organizationtype t
                   WHERE t.id = NEW.type_id), '')
         || ' ' ||
         coalesce((SELECT string_agg(s.name, ' ') FROM directory_organization_sectors os
                   JOIN directory_sector s ON s.id = os.sector_id
                   WHERE os.organization_id = NEW.id), '')
         || ' ' ||
         coalesce((SELECT string_agg(g.name, ' ') FROM directory_organization_languages ol
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
         coalesce(NEW.summary, '') || ' ' || coalesce(NEW.description, '') || ' ' ||
         coalesce(NEW.how_to_join, '') || ' ' || coalesce(NEW.eligibility, '')
       )), 'C');
  RETURN NEW;
END
$$;

DROP TRIGGER IF EXISTS directory_organization_search ON directory_organization;
CREATE TRIGGER directory_organization_search
BEFORE INSERT OR UPDATE OF name, summary, description, how_to_join, eligibility, type_id,
  search_vector
ON directory_organization
FOR EACH ROW EXECUTE FUNCTION directory_organization_search_vector();

CREATE FUNCTION directory_link_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE directory_organization SET search_vector = NULL
  WHERE id IN (SELECT organization_id FROM changed_links);
  RETURN NULL;
END
$$;

CREATE TRIGGER directory_language_link_added_search
AFTER INSERT ON directory_organization_languages REFERENCING NEW TABLE AS changed_links
FOR EACH STATEMENT EXECUTE FUNCTION directory_link_changed();
CREATE TRIGGER directory_language_link_removed_search
AFTER DELETE ON directory_organization_languages REFERENCING OLD TABLE AS changed_links
FOR EACH STATEMENT EXECUTE FUNCTION directory_link_changed();
CREATE TRIGGER directory_sector_link_added_search
AFTER INSERT ON directory_organization_sectors REFERENCING NEW TABLE AS changed_links
FOR EACH STATEMENT EXECUTE FUNCTION directory_link_changed();
CREATE TRIGGER directory_sector_link_removed_search
AFTER DELETE ON directory_organization_sectors REFERENCING OLD TABLE AS changed_links
FOR EACH STATEMENT EXECUTE FUNCTION directory_link_changed();

CREATE FUNCTION directory_reference_renamed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.name IS DISTINCT FROM OLD.name THEN
    IF TG_TABLE_NAME = 'directory_language' THEN
      UPDATE directory_organization SET search_vector = NULL WHERE id IN (
        SELECT organization_id FROM directory_organization_languages WHERE language_id = NEW.id);
    ELSIF TG_TABLE_NAME = 'directory_sector' THEN
      UPDATE directory_organization SET search_vector = NULL WHERE id IN (
        SELECT organization_id FROM directory_organization_sectors WHERE sector_id = NEW.id);
    ELSE
      UPDATE directory_organization SET search_vector = NULL WHERE id IN (
        SELECT organization_id FROM directory_location WHERE jurisdiction_id = NEW.id);
    END IF;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER directory_language_renamed_search AFTER UPDATE ON directory_language
FOR EACH ROW EXECUTE FUNCTION directory_reference_renamed();
CREATE TRIGGER directory_sector_renamed_search AFTER UPDATE ON directory_sector
FOR EACH ROW EXECUTE FUNCTION directory_reference_renamed();
CREATE TRIGGER directory_jurisdiction_renamed_search AFTER UPDATE ON directory_jurisdiction
FOR EACH ROW EXECUTE FUNCTION directory_reference_renamed();

UPDATE directory_organization SET search_vector = NULL;
"""

PG_REVERSE_SQL = """
DROP TRIGGER IF EXISTS directory_jurisdiction_renamed_search ON directory_jurisdiction;
DROP TRIGGER IF EXISTS directory_sector_renamed_search ON directory_sector;
DROP TRIGGER IF EXISTS directory_language_renamed_search ON directory_language;
DROP FUNCTION IF EXISTS directory_reference_renamed();
DROP TRIGGER IF EXISTS directory_sector_link_removed_search ON directory_organization_sectors;
DROP TRIGGER IF EXISTS directory_sector_link_added_search ON directory_organization_sectors;
DROP TRIGGER IF EXISTS directory_language_link_removed_search
  ON directory_organization_languages;
DROP TRIGGER IF EXISTS directory_language_link_added_search ON directory_organization_languages;
DROP FUNCTION IF EXISTS directory_link_changed();
"""


def _unaccent_function(schema_editor) -> str:
    """directory_unaccent(text): the unaccent extension's where it can be created (it
    needs the contrib package and the right to create it), else translate() with the
    accents table SQLite uses."""
    cursor = schema_editor.connection.cursor()
    try:
        cursor.execute("SAVEPOINT directory_unaccent")
        cursor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
        cursor.execute("RELEASE SAVEPOINT directory_unaccent")
        body = "SELECT unaccent($1)"
    except DatabaseError:
        cursor.execute("ROLLBACK TO SAVEPOINT directory_unaccent")
        accented = "".join(search_index.ACCENTS).replace("'", "''")
        plain = "".join(search_index.ACCENTS.values())
        body = f"SELECT translate($1, '{accented}', '{plain}')"
    return (
        "CREATE OR REPLACE FUNCTION directory_unaccent(text) RETURNS text "
        f"LANGUAGE sql STABLE AS $$ {body} $$"
    )


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(_unaccent_function(schema_editor), params=None)
        schema_editor.execute(PG_VECTOR_SQL, params=None)
    elif vendor == "sqlite":
        search_index.create_sqlite_index(schema_editor, suffixes=SUFFIXES)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_REVERSE_SQL, params=None)
    elif vendor == "sqlite":
        search_index.drop_sqlite_index(schema_editor, suffixes=SUFFIXES)


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0021_translate_reference_data"),
    ]

    operations = [migrations.RunPython(forward, backward)]
