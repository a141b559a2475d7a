"""The search index: what of a listing is searchable, kept in step with every write.

One rule for both databases: a listing is searched by its name; its type, sectors and
languages; the cities and counties of its locations *whose place is public* (a hidden
location's city never makes its listing findable by that city: directory.listings.privacy
hides those places); and its summary, description, how to join and eligibility. The
type's, sectors' and languages' names and the listing's translated texts count in every
shipped language (`suffixes`: the model-translation column suffixes).
Accents are folded on both sides (`fold_accents`, one table here), so "cafe" finds "Café".

- **SQLite**: an FTS5 table with the trigram tokenizer (`directory_organization_search`,
  rowid = organization id, published listings only), filled and emptied by triggers on
  organizations, locations, their language and sector links and the reference tables
  they name, so admin saves, imports, bulk inserts and fixtures are all searchable at
  once. SQLite before 3.45 has no `remove_diacritics` for trigrams, so the triggers fold
  accents with the same table as queries do. Where FTS5 or its trigram tokenizer is
  missing, nothing is created and search falls back to plain `LIKE` matching
  (`index_available()` says which).
- **PostgreSQL**: the stored `search_vector` (migrations 0004 and 0011) with the same
  fields, accents removed by the `unaccent` extension where it can be created, else by
  `translate()` with this module's table.
"""

import contextlib
import unicodedata

from django.db import DatabaseError

FTS_TABLE = "directory_organization_search"
# bm25 weights of the FTS columns, in order: a word in the name counts most.
FTS_COLUMNS = ("name", "kinds", "places", "details")
FTS_WEIGHTS = (10.0, 4.0, 4.0, 1.0)
# The translated columns' suffixes (settings.MODELTRANSLATION_LANGUAGES as they stand
# since migration 0020); a migration passes the ones its schema has.
SUFFIXES = ("en", "es", "zh_hans", "vi", "ko", "am", "fr")
TRANSLATED_TEXTS = ("summary", "how_to_join", "eligibility")


def _names(alias: str, fields: tuple[str, ...], suffixes: tuple[str, ...]) -> str:
    """`alias.field` and each translation of it, joined by spaces (NULLs as '')."""
    columns = [f"{alias}.{field}" for field in fields]
    columns += [f"{alias}.{field}_{suffix}" for field in fields for suffix in suffixes]
    return " || ' ' || ".join(f"coalesce({column}, '')" for column in columns)


def _translated(fields: tuple[str, ...], suffixes: tuple[str, ...]) -> str:
    """`fields` and their translated columns, for a trigger's UPDATE OF list."""
    return ", ".join([*fields, *(f"{field}_{suffix}" for field in fields for suffix in suffixes)])


def _accent_table() -> dict[str, str]:
    """Latin-1's letters with diacritics (Spanish, French, Portuguese, German...) to their
    base letter. Kept to these 57: SQLite applies each as one replace() in the triggers."""
    table = {}
    for code in range(0x00C0, 0x0100):
        character = chr(code)
        base = unicodedata.normalize("NFKD", character)[0]
        if base != character and base.isascii() and base.isalpha():
            table[character] = base
    return table


ACCENTS = _accent_table()
_TRANSLATION = str.maketrans(ACCENTS)


def fold_accents(text: str) -> str:
    return text.translate(_TRANSLATION)


# SQLite's parser allows about 30 nested calls: the replace() calls go in stages of this
# many, each stage a subquery over the one before.
FOLD_STAGE = 14


def _fold_stages() -> list[dict[str, str]]:
    items = list(ACCENTS.items())
    return [dict(items[start : start + FOLD_STAGE]) for start in range(0, len(items), FOLD_STAGE)]


def _replaced(expression: str, table: dict[str, str]) -> str:
    for accented, base in table.items():
        expression = f"replace({expression}, '{accented}', '{base}')"
    return expression


def _fts_row_select(condition: str, suffixes: tuple[str, ...] = SUFFIXES) -> str:
    """SELECT of the FTS rows (rowid, columns...) of published organizations `o` that
    meet `condition`, accents folded."""
    kinds = (
        f"{_names('t', ('name', 'plural'), suffixes)} || ' ' || "
        f"coalesce((SELECT group_concat({_names('s', ('name',), suffixes)}, ' ') "
        "FROM directory_organization_sectors os "
        "JOIN directory_sector s ON s.id = os.sector_id WHERE os.organization_id = o.id), '') "
        "|| ' ' || "
        f"coalesce((SELECT group_concat({_names('g', ('name',), suffixes)}, ' ') "
        "FROM directory_organization_languages ol "
        "JOIN directory_language g ON g.id = ol.language_id WHERE ol.organization_id = o.id), '')"
    )
    # Only places the public may see (directory.listings.privacy.searchable_place).
    places = (
        "coalesce((SELECT group_concat(loc.city || ' ' || coalesce(j.name, ''), ' ') "
        "FROM directory_location loc LEFT JOIN directory_jurisdiction j "
        "ON j.id = loc.jurisdiction_id "
        "WHERE loc.organization_id = o.id AND loc.precision <> 'hidden'), '')"
    )
    details = "o.description || ' ' || " + _names("o", TRANSLATED_TEXTS, suffixes)
    columns = ", ".join(FTS_COLUMNS)
    select = (
        f"SELECT o.id AS id, o.name AS name, {kinds} AS kinds, {places} AS places, "
        f"{details} AS details FROM directory_organization o "
        "LEFT JOIN directory_organizationtype t ON t.id = o.type_id "
        f"WHERE o.status = 'published' AND ({condition})"
    )
    for stage, table in enumerate(_fold_stages()):
        folded = ", ".join(f"{_replaced(column, table)} AS {column}" for column in FTS_COLUMNS)
        select = f"SELECT id, {folded} FROM ({select}) AS stage{stage}"
    return f"SELECT id, {columns} FROM ({select})"


def _refresh_statements(condition: str, suffixes: tuple[str, ...] = SUFFIXES) -> list[str]:
    """Statements that rewrite the FTS rows of the organizations `o` meeting `condition`."""
    return [
        f"DELETE FROM {FTS_TABLE} WHERE rowid IN "
        f"(SELECT o.id FROM directory_organization o WHERE {condition})",
        f"INSERT INTO {FTS_TABLE} (rowid, {', '.join(FTS_COLUMNS)}) "
        f"{_fts_row_select(condition, suffixes)}",
    ]


def _trigger(name: str, event: str, table: str, body: str) -> str:
    return f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW BEGIN {body} END"


def _sqlite_triggers(suffixes: tuple[str, ...] = SUFFIXES) -> list[str]:
    def _refresh(condition: str) -> str:
        return "".join(f"{statement}; " for statement in _refresh_statements(condition, suffixes))

    link_tables = {
        "languages": ("directory_organization_languages", "language_id", "directory_language"),
        "sectors": ("directory_organization_sectors", "sector_id", "directory_sector"),
    }
    triggers = [
        _trigger(
            "directory_search_org_inserted",
            "INSERT",
            "directory_organization",
            _refresh("o.id = NEW.id"),
        ),
        _trigger(
            "directory_search_org_updated",
            f"UPDATE OF name, description, {_translated(TRANSLATED_TEXTS, suffixes)}, "
            "type_id, status",
            "directory_organization",
            _refresh("o.id = NEW.id"),
        ),
        _trigger(
            "directory_search_org_deleted",
            "DELETE",
            "directory_organization",
            f"DELETE FROM {FTS_TABLE} WHERE rowid = OLD.id;",
        ),
        _trigger(
            "directory_search_location_inserted",
            "INSERT",
            "directory_location",
            _refresh("o.id = NEW.organization_id"),
        ),
        _trigger(
            "directory_search_location_updated",
            "UPDATE",
            "directory_location",
            _refresh("o.id IN (NEW.organization_id, OLD.organization_id)"),
        ),
        _trigger(
            "directory_search_location_deleted",
            "DELETE",
            "directory_location",
            _refresh("o.id = OLD.organization_id"),
        ),
        _trigger(
            "directory_search_type_renamed",
            f"UPDATE OF {_translated(('name', 'plural'), suffixes)}",
            "directory_organizationtype",
            _refresh("o.type_id = NEW.id"),
        ),
        _trigger(
            "directory_search_jurisdiction_renamed",
            "UPDATE OF name",
            "directory_jurisdiction",
            _refresh(
                "o.id IN (SELECT organization_id FROM directory_location "
                "WHERE jurisdiction_id = NEW.id)"
            ),
        ),
    ]
    for kind, (link_table, column, reference_table) in link_tables.items():
        for event, row in (("INSERT", "NEW"), ("DELETE", "OLD")):
            triggers.append(
                _trigger(
                    f"directory_search_{kind}_{event.lower()}",
                    event,
                    link_table,
                    _refresh(f"o.id = {row}.organization_id"),
                )
            )
        triggers.append(
            _trigger(
                f"directory_search_{kind}_renamed",
                f"UPDATE OF {_translated(('name',), suffixes)}",
                reference_table,
                _refresh(
                    f"o.id IN (SELECT organization_id FROM {link_table} WHERE {column} = NEW.id)"
                ),
            )
        )
    return triggers


SQLITE_TOKENIZERS = ("trigram remove_diacritics 1", "trigram")


def create_sqlite_index(schema_editor, suffixes: tuple[str, ...] = SUFFIXES) -> bool:
    """Create the FTS5 table, its triggers and its rows; False (and nothing created)
    when this SQLite has no FTS5 trigram tokenizer."""
    cursor = schema_editor.connection.cursor()
    for tokenizer in SQLITE_TOKENIZERS:
        try:
            # A savepoint, so a refused tokenizer leaves the migration's transaction usable.
            cursor.execute("SAVEPOINT directory_search_probe")
            cursor.execute(
                f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5("
                f"{', '.join(FTS_COLUMNS)}, tokenize = '{tokenizer}')"
            )
            cursor.execute("RELEASE SAVEPOINT directory_search_probe")
            break
        except DatabaseError:
            cursor.execute("ROLLBACK TO SAVEPOINT directory_search_probe")
            cursor.execute("RELEASE SAVEPOINT directory_search_probe")
    else:
        return False
    for trigger in _sqlite_triggers(suffixes):
        cursor.execute(trigger)
    rebuild_sqlite_index(cursor, suffixes)
    return True


def rebuild_sqlite_index(cursor, suffixes: tuple[str, ...] = SUFFIXES) -> None:
    cursor.execute(f"DELETE FROM {FTS_TABLE}")
    cursor.execute(
        f"INSERT INTO {FTS_TABLE} (rowid, {', '.join(FTS_COLUMNS)}) "
        f"{_fts_row_select('1 = 1', suffixes)}"
    )


def drop_sqlite_index(schema_editor, suffixes: tuple[str, ...] = SUFFIXES) -> None:
    cursor = schema_editor.connection.cursor()
    drop_sqlite_triggers(cursor, suffixes)
    cursor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")


def drop_sqlite_triggers(cursor, suffixes: tuple[str, ...] = SUFFIXES) -> None:
    """Set the triggers aside. A migration that makes SQLite rebuild one of the tables
    they read (organizations, locations, types, sectors, languages, jurisdictions: adding
    a unique or non-null column, say) must do this first, since SQLite refuses to rename
    the rebuilt table while a trigger names the missing one; then put them back with
    `create_sqlite_triggers`."""
    for trigger in _sqlite_triggers(suffixes):
        cursor.execute(f"DROP TRIGGER IF EXISTS {trigger.split()[2]}")


def create_sqlite_triggers(cursor, suffixes: tuple[str, ...] = SUFFIXES) -> None:
    """Put the triggers back and rewrite every row (writes may have happened meanwhile)."""
    for trigger in _sqlite_triggers(suffixes):
        cursor.execute(trigger)
    rebuild_sqlite_index(cursor, suffixes)


@contextlib.contextmanager
def bulk_insert(connection):
    """For inserting many organizations at once (generate_listings), inside one
    transaction. On SQLite the per-row triggers are set aside (SQLite has one writer at
    a time, so no other write can slip past the index meanwhile) and the rows of the
    organizations whose ids the caller adds to the yielded list are written in a few
    statements at the end. On PostgreSQL each listing's stored vector is computed once at
    the end (`_postgresql_vector_deferred`). Elsewhere it does nothing."""
    written: list[int] = []
    if connection.vendor == "postgresql":
        with _postgresql_vector_deferred(connection, written):
            yield written
        return
    if connection.vendor != "sqlite" or not index_available(connection):
        yield written
        return
    triggers = _sqlite_triggers()
    with connection.cursor() as cursor:
        for trigger in triggers:
            cursor.execute(f"DROP TRIGGER IF EXISTS {trigger.split()[2]}")
        yield written
        for trigger in triggers:
            cursor.execute(trigger)
        for start in range(0, len(written), 1000):
            ids = ", ".join(str(int(pk)) for pk in written[start : start + 1000])
            for statement in _refresh_statements(f"o.id IN ({ids})"):
                cursor.execute(statement)


# The PostgreSQL triggers that write a new listing's vector (migrations 0004, 0023, 0024):
# one on the row itself, one per statement on each table a bulk insert adds to.
POSTGRESQL_INSERT_TRIGGERS = (
    ("directory_organization", "directory_organization_search"),
    ("directory_location", "directory_location_inserted_search"),
    ("directory_organization_languages", "directory_language_link_added_search"),
    ("directory_organization_sectors", "directory_sector_link_added_search"),
)


def _run_deferred_checks(cursor) -> None:
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")


@contextlib.contextmanager
def _postgresql_vector_deferred(connection, written: list[int]):
    """The insert triggers set aside until the block ends, then each written listing's
    vector computed once (setting it to NULL runs the row trigger), instead of once for
    the listing and again for its locations, languages and sectors. ALTER TABLE holds
    the four tables against other writers until the transaction ends, so none slips
    past the vector meanwhile."""
    with connection.cursor() as cursor:
        # ALTER TABLE refuses while deferred foreign-key checks are pending (earlier
        # writes of the same transaction, before and inside the block): run them first.
        _run_deferred_checks(cursor)
        for table, trigger in POSTGRESQL_INSERT_TRIGGERS:
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {trigger}")
        yield
        _run_deferred_checks(cursor)
        for table, trigger in POSTGRESQL_INSERT_TRIGGERS:
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {trigger}")
        cursor.execute(
            "UPDATE directory_organization SET search_vector = NULL WHERE id = ANY(%s)",
            [[int(pk) for pk in written]],
        )


def sqlite_index_exists(connection) -> bool:
    """Whether the FTS table exists now (uncached: migrations create and drop it)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = %s", [FTS_TABLE]
        )
        return cursor.fetchone() is not None


def index_available(connection) -> bool:
    """Whether this SQLite database has the FTS index (remembered per database file)."""
    key = str(connection.settings_dict["NAME"])
    known = _AVAILABLE.get(key)
    if known is None:
        known = _AVAILABLE[key] = sqlite_index_exists(connection)
    return known


_AVAILABLE: dict[str, bool] = {}
