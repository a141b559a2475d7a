"""Organization types get a map marker glyph, and the seeded types a palette that stays
distinguishable for colour-blind visitors (Paul Tol's "muted" scheme; bench/palette.py
prints the smallest CIEDE2000 difference under protanopia, deuteranopia and
tritanopia). Colours an organizer changed from the original seed are kept.
"""

from django.db import migrations, models

# slug: (colour, glyph)
TYPE_MARKERS = {
    "worker-cooperative": ("#332288", "hammer"),
    "consumer-cooperative": ("#88CCEE", "basket"),
    "producer-cooperative": ("#117733", "wheat"),
    "housing-cooperative": ("#CC6677", "house"),
    "community-land-trust": ("#44AA99", "trees"),
    "mutual-aid": ("#882255", "hand-heart"),
    "credit-union": ("#DDCC77", "piggy-bank"),
    "public-bank": ("#AA4499", "landmark"),
    "community-lender": ("#999933", "hand-coins"),
    "other": ("#DDDDDD", "sparkles"),
}
# The colours 0002 seeded: only these are replaced.
ORIGINAL_COLOURS = {
    "#0072b2",
    "#007a5a",
    "#b25e00",
    "#a23d7e",
    "#7a4e2d",
    "#c2410c",
    "#1d4ed8",
    "#4c1d95",
    "#166534",
    "#4b5563",
}


def apply_markers(apps, schema_editor):
    OrganizationType = apps.get_model("directory", "OrganizationType")
    alias = schema_editor.connection.alias if schema_editor else "default"
    types = OrganizationType.objects.using(alias)
    for organization_type in types.filter(slug__in=TYPE_MARKERS):
        colour, glyph = TYPE_MARKERS[organization_type.slug]
        organization_type.marker = glyph
        if organization_type.colour.lower() in ORIGINAL_COLOURS:
            organization_type.colour = colour
        organization_type.save(update_fields=["marker", "colour"])


class Migration(migrations.Migration):
    dependencies = [("directory", "0010_verification_link_uses")]

    operations = [
        migrations.AddField(
            model_name="organizationtype",
            name="marker",
            field=models.CharField(
                choices=[
                    ("dot", "Dot"),
                    ("hammer", "Hammer"),
                    ("basket", "Basket"),
                    ("wheat", "Wheat"),
                    ("house", "House"),
                    ("trees", "Trees"),
                    ("hand-heart", "Hand with a heart"),
                    ("piggy-bank", "Piggy bank"),
                    ("landmark", "Public building"),
                    ("hand-coins", "Hand with coins"),
                    ("sparkles", "Sparkles"),
                ],
                default="dot",
                help_text="The glyph in this type's map pins, so types differ by more than colour.",
                max_length=20,
                verbose_name="map marker",
            ),
        ),
        migrations.RunPython(apply_markers, migrations.RunPython.noop),
    ]
