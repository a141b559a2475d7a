"""Types and sectors mapped to ESSGlobal vocabulary terms (organisational structure,
legal form, activity), as data organizers can edit. The files are in the shared interop
folder (README, "Open data for partners"); a kind with no fitting term is left empty."""

import django.core.validators
from django.db import migrations, models

STANDARD = "http://purl.org/essglobal/standard/"
STRUCTURE = STANDARD + "organisational-structure/"
LEGAL_FORM = STANDARD + "legal-form/"
ACTIVITY = STANDARD + "activities-modified/"

# type slug: (organisational structure, legal form)
TYPES = {
    "worker-cooperative": ("OS60", "L2"),  # Workers cooperative; Cooperative
    "consumer-cooperative": ("OS80", "L2"),  # Consumer/User coops
    "producer-cooperative": ("OS90", "L2"),  # Producer cooperative
    "housing-cooperative": ("OS70", "L2"),  # Housing cooperative
    "community-land-trust": ("OS20", "L4"),  # Not-for-profit organisation
    "mutual-aid": ("OS10", "L1"),  # Community group (formal or informal); Informal Group
    "credit-union": ("OS115", "L2"),  # a member-owned financial cooperative
    "public-bank": ("OS220", ""),  # Government agency/body; no ESSGlobal legal form fits
    "community-lender": ("OS20", "L4"),  # Not-for-profit organisation
    "other": ("", ""),
}
# sector slug: activity (no term for technology or other)
SECTORS = {
    "food": "AM60",
    "housing": "AM90",
    "money-finance": "AM100",
    "care-health": "AM80",  # Health, Social Care & Wellbeing
    "education": "AM40",
    "arts-media": "AM10",  # Arts, Media, Culture & Leisure
    "energy": "AM50",
    "goods-services": "AM70",
    "repair-reuse": "AM120",  # Reduce, Reuse, Repair & Recycle
    "agriculture": "AM130",
    "transport": "AM160",
}


def map_terms(apps, schema_editor=None):
    alias = schema_editor.connection.alias if schema_editor else "default"
    OrganizationType = apps.get_model("directory", "OrganizationType")
    Sector = apps.get_model("directory", "Sector")
    for slug, (structure, legal_form) in TYPES.items():
        OrganizationType.objects.using(alias).filter(slug=slug).update(
            essglobal_structure=STRUCTURE + structure if structure else "",
            essglobal_legal_form=LEGAL_FORM + legal_form if legal_form else "",
        )
    for slug, activity in SECTORS.items():
        Sector.objects.using(alias).filter(slug=slug).update(essglobal_activity=ACTIVITY + activity)


class Migration(migrations.Migration):

    dependencies = [
        ('directory', '0016_organizers_add_languages_sectors_remove_redirects'),
    ]

    operations = [
        migrations.AddField(
            model_name='organizationtype',
            name='essglobal_legal_form',
            field=models.CharField(blank=True, max_length=200, help_text='ESSGlobal term (legal-form); empty when none fits.', validators=[django.core.validators.RegexValidator('^http://purl.org/essglobal/standard/[a-z-]+/[A-Z]+[0-9]+$', "Give an ESSGlobal term's address, such as http://purl.org/essglobal/standard/legal-form/L2.")], verbose_name='ESSGlobal legal form'),
        ),
        migrations.AddField(
            model_name='organizationtype',
            name='essglobal_structure',
            field=models.CharField(blank=True, max_length=200, help_text='ESSGlobal term (organisational-structure); empty when none fits.', validators=[django.core.validators.RegexValidator('^http://purl.org/essglobal/standard/[a-z-]+/[A-Z]+[0-9]+$', "Give an ESSGlobal term's address, such as http://purl.org/essglobal/standard/legal-form/L2.")], verbose_name='ESSGlobal organisational structure'),
        ),
        migrations.AddField(
            model_name='sector',
            name='essglobal_activity',
            field=models.CharField(blank=True, max_length=200, help_text='ESSGlobal term (activities-modified); empty when none fits.', validators=[django.core.validators.RegexValidator('^http://purl.org/essglobal/standard/[a-z-]+/[A-Z]+[0-9]+$', "Give an ESSGlobal term's address, such as http://purl.org/essglobal/standard/legal-form/L2.")], verbose_name='ESSGlobal activity'),
        ),
        migrations.RunPython(map_terms, migrations.RunPython.noop),
    ]
