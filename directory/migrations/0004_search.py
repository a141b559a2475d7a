"""Full-text and typo-tolerant search on PostgreSQL.

The stored vector (name weighted A; type and cities B; summary and description C) is
computed by triggers, so every way a row is written keeps it current: admin saves,
services, imports, reverts, bulk_create (generate_listings) and loaddata (demo data).
Spellings of "co-op" are folded to one word on both sides of the match (see
directory.search). SQLite gets the column but no triggers or indexes: it searches with
the portable fallback in directory.search.
"""

import django.contrib.postgres.search
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

FORWARD_SQL = r"""
CREATE FUNCTION directory_search_text(value text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT regexp_replace(coalesce(value, ''), '\mco-?op(erative)?s?\M', 'coop', 'gi')
$$;

CREATE FUNCTION directory_organization_search_vector() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.search_vector :=
    setweight(to_tsvector('english', directory_search_text(NEW.name)), 'A')
    || setweight(to_tsvector('english', directory_search_text(
         coalesce((SELECT t.name || ' ' || t.plural FROM directory_organizationtype t
                   WHERE t.id = NEW.type_id), '')
         || ' ' ||
         coalesce((SELECT string_agg(l.city, ' ') FROM directory_location l
                   WHERE l.organization_id = NEW.id), '')
       )), 'B')
    || setweight(to_tsvector('english', directory_search_text(
         coalesce(NEW.summary, '') || ' ' || coalesce(NEW.description, '')
       )), 'C');
  RETURN NEW;
END
$$;

CREATE TRIGGER directory_organization_search
BEFORE INSERT OR UPDATE OF name, summary, description, type_id, search_vector
ON directory_organization
FOR EACH ROW EXECUTE FUNCTION directory_organization_search_vector();

-- Location cities are part of the vector: a statement-level trigger recomputes the
-- organizations a statement touched, once each, however many rows it wrote.
CREATE FUNCTION directory_location_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE directory_organization SET search_vector = NULL
  WHERE id IN (SELECT organization_id FROM changed_locations);
  RETURN NULL;
END
$$;

CREATE FUNCTION directory_location_updated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE directory_organization SET search_vector = NULL
  WHERE id IN (SELECT organization_id FROM changed_locations
               UNION SELECT organization_id FROM previous_locations);
  RETURN NULL;
END
$$;

CREATE TRIGGER directory_location_inserted_search
AFTER INSERT ON directory_location REFERENCING NEW TABLE AS changed_locations
FOR EACH STATEMENT EXECUTE FUNCTION directory_location_changed();

CREATE TRIGGER directory_location_deleted_search
AFTER DELETE ON directory_location REFERENCING OLD TABLE AS changed_locations
FOR EACH STATEMENT EXECUTE FUNCTION directory_location_changed();

CREATE TRIGGER directory_location_updated_search
AFTER UPDATE ON directory_location
REFERENCING OLD TABLE AS previous_locations NEW TABLE AS changed_locations
FOR EACH STATEMENT EXECUTE FUNCTION directory_location_updated();

CREATE FUNCTION directory_type_renamed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.name IS DISTINCT FROM OLD.name OR NEW.plural IS DISTINCT FROM OLD.plural THEN
    UPDATE directory_organization SET search_vector = NULL WHERE type_id = NEW.id;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER directory_type_renamed_search
AFTER UPDATE ON directory_organizationtype
FOR EACH ROW EXECUTE FUNCTION directory_type_renamed();

UPDATE directory_organization SET search_vector = NULL;

CREATE INDEX org_search_vector_idx ON directory_organization USING gin (search_vector);
-- GiST, not GIN: it also orders by trigram distance (nearest names first, LIMIT n),
-- which keeps the misspelling fallback fast however common the name's trigrams are.
CREATE INDEX org_name_trgm_idx ON directory_organization USING gist (name gist_trgm_ops);
"""

REVERSE_SQL = """
DROP INDEX IF EXISTS org_name_trgm_idx;
DROP INDEX IF EXISTS org_search_vector_idx;
DROP TRIGGER IF EXISTS directory_type_renamed_search ON directory_organizationtype;
DROP TRIGGER IF EXISTS directory_location_updated_search ON directory_location;
DROP TRIGGER IF EXISTS directory_location_deleted_search ON directory_location;
DROP TRIGGER IF EXISTS directory_location_inserted_search ON directory_location;
DROP TRIGGER IF EXISTS directory_organization_search ON directory_organization;
DROP FUNCTION IF EXISTS directory_type_renamed();
DROP FUNCTION IF EXISTS directory_location_updated();
DROP FUNCTION IF EXISTS directory_location_changed();
DROP FUNCTION IF EXISTS directory_organization_search_vector();
DROP FUNCTION IF EXISTS directory_search_text(text);
"""


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0003_organizers_group"),
    ]

    operations = [
        TrigramExtension(),
        migrations.AddField(
            model_name="organization",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(_on_postgresql(FORWARD_SQL), _on_postgresql(REVERSE_SQL)),
    ]
