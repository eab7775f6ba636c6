"""More thesaurus concepts: the sections of network/text/data/thesaurus.tsv marked "Added later".

A fresh database gets them from 0015 already (it loads the whole file); a database migrated
before they shipped gets them here. Only the concepts named in ADDED that the table lacks are
added, after every concept there (so a term an admin gave an older concept stays with it);
rows admins may have edited are never touched, and running it again adds nothing. Each added
row gets a "created" entry in the concept's history, with REASON as its change reason, the way
the admin's edits are kept.

Backwards, a concept this migration added is deleted again (with that history entry) only if
nobody has changed it since and no concept has been merged into it; anything else stays.
"""

from django.db import migrations
from django.db.models import Max
from django.utils import timezone

REASON = "Added from the shipped thesaurus (0018)"
ADDED = (
    "heart_attack",
    "angina",
    "heart_valve",
    "cardiac_arrest",
    "defibrillator",
    "pacemaker",
    "hypoglycaemia",
    "gestational_diabetes",
    "cholesterol",
    "cystic_fibrosis",
    "pneumonia",
    "ibd",
    "ostomy",
    "catheter",
    "lymphoedema",
    "spasticity",
    "cerebral_palsy",
    "paralysis",
    "amputation",
    "tinnitus",
    "dizziness",
    "mild_cognitive_impairment",
    "ocd",
    "psychosis",
    "postnatal_depression",
    "dyslexia",
    "sarcopenia",
    "leg_ulcer",
    "rare_diseases",
    "day_centre",
    "respite_care",
    "short_term_beds",
    "health_centre",
    "prehospital",
    "home_hospital",
    "district_psychiatry",
    "operating_theatre",
    "hospital_pharmacy",
    "patient_transport",
    "sterile_services",
    "laundry",
    "waste",
    "inventory",
    "barcode",
    "rfid",
    "drone",
    "bed_management",
    "blood_bank",
    "nurse_call",
    "walker",
    "powered_wheelchair",
    "stairlift",
    "shower_toilet",
    "shower_chair",
    "bathing",
    "orthosis",
    "communication_aid",
    "eye_tracking",
    "smart_home",
    "smart_lock",
    "environmental_control",
    "feeding_aid",
    "magnifier",
    "compression",
    "hearing_loop",
    "slide_sheet",
    "care_bed",
    "home_adaptation",
    "speech_therapy",
    "pulmonary_rehab",
    "cardiac_rehab",
    "reablement",
    "telerehabilitation",
    "strength_training",
    "music_therapy",
    "sensory_stimulation",
    "circadian_lighting",
    "challenging_behaviour",
    "teledermatology",
    "telepsychiatry",
    "e_consultation",
    "patient_portal",
    "health_app",
    "chatbot",
    "voice_assistant",
    "language_model",
    "iot",
    "e_prescription",
    "digital_identity",
    "point_of_care",
    "crp",
    "hba1c",
    "pcr",
    "microbiology",
    "pathology",
    "holter",
    "genetic_testing",
    "mammography",
    "dermatoscope",
    "stethoscope",
    "endoscopy",
    "eeg",
    "stool_test",
    "polypharmacy",
    "opioids",
    "anticoagulants",
    "infusion_pump",
    "side_effects",
    "mindfulness",
    "peer_support",
    "psychoeducation",
    "bullying",
    "breastfeeding",
    "postnatal_care",
    "fetal_monitoring",
    "neonatal_intensive",
    "contraception",
    "openehr",
    "snomed",
    "icd10",
    "dicom",
    "api",
    "data_sharing",
    "ehds",
    "ivdr",
    "iso13485",
    "samd",
    "notified_body",
    "ai_act",
    "risk_management",
    "dpia",
    "cybersecurity",
    "patient_safety",
    "accessibility",
    "hta",
    "care_pathway",
    "cross_sector",
    "shared_decision",
    "patient_education",
    "volunteers",
    "sick_leave",
    "sustainability",
    "printing_3d",
)


def add_concepts(apps, schema_editor):
    from network.text.thesaurus import DATA, parse

    Concept = apps.get_model("network", "Concept")
    HistoricalConcept = apps.get_model("network", "HistoricalConcept")
    shipped = {concept.id: concept for concept in parse(DATA.read_text(encoding="utf-8"))}
    present = set(Concept.objects.filter(slug__in=ADDED).values_list("slug", flat=True))
    position = Concept.objects.aggregate(last=Max("position"))["last"]
    position = -1 if position is None else position
    rows = []
    for slug in ADDED:
        concept = shipped.get(slug)
        if concept is None or slug in present:
            continue
        position += 1
        rows.append(
            Concept(
                slug=slug,
                terms_da="\n".join(concept.terms["da"]),
                terms_nb="\n".join(concept.terms["nb"]),
                terms_en="\n".join(concept.terms["en"]),
                abbreviations="\n".join(concept.abbreviations),
                position=position,
            )
        )
    if not rows:
        return
    Concept.objects.bulk_create(rows)
    now = timezone.now()
    HistoricalConcept.objects.bulk_create(
        HistoricalConcept(
            id=row.pk,
            slug=row.slug,
            terms_da=row.terms_da,
            terms_nb=row.terms_nb,
            terms_en=row.terms_en,
            abbreviations=row.abbreviations,
            position=row.position,
            updated_at=row.updated_at,
            merged_into_id=None,
            history_date=now,
            history_type="+",
            history_change_reason=REASON,
            history_user=None,
        )
        # The rows' keys: bulk_create sets them on PostgreSQL and SQLite, read them to be sure.
        for row in Concept.objects.filter(slug__in=[row.slug for row in rows])
    )


def remove_added_concepts(apps, schema_editor):
    Concept = apps.get_model("network", "Concept")
    HistoricalConcept = apps.get_model("network", "HistoricalConcept")
    added = HistoricalConcept.objects.filter(
        slug__in=ADDED, history_type="+", history_change_reason=REASON
    )
    for entry in added:
        untouched = (
            not HistoricalConcept.objects.filter(id=entry.id)
            .exclude(history_id=entry.history_id)
            .exists()
        )
        if untouched and not Concept.objects.filter(merged_into_id=entry.id).exists():
            Concept.objects.filter(pk=entry.id, slug=entry.slug, merged_into__isnull=True).delete()
            entry.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("network", "0017_email_opt_out"),
    ]

    operations = [
        migrations.RunPython(add_concepts, remove_added_concepts),
    ]
