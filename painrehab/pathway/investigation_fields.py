"""The shipped fields of each profession's investigation record (seed 1 §7.2.1).

A unit can save its own version per profession (InvestigationTemplate); these are
the defaults. Labels are Swedish clinical text, kept as data.
"""

from painrehab.accounts.permissions import Profession

DEFAULT_FIELDS: dict[str, list[dict[str, str]]] = {
    Profession.PHYSIOTHERAPIST: [
        {"key": "pain_intensity", "label": "Smärtintensitet (NPRS)"},
        {"key": "fear_avoidance", "label": "Rörelserädsla (TSK)"},
        {"key": "examination", "label": "Ortopedmedicinsk undersökning"},
        {"key": "sitting_relaxation", "label": "Sittande avslappningstest"},
        {"key": "training", "label": "Tidigare och nuvarande träning"},
        {"key": "assessment", "label": "Bedömning"},
    ],
    Profession.PSYCHOLOGIST: [
        {"key": "consequences", "label": "Smärtans konsekvenser"},
        {"key": "attitude_coping", "label": "Inställning och hantering"},
        {"key": "mental_state", "label": "Psykiskt mående"},
        {"key": "sleep", "label": "Sömn"},
        {"key": "goals", "label": "Mål"},
        {"key": "motivation", "label": "Motivation till beteendeförändring"},
        {"key": "work_education", "label": "Arbete och utbildning"},
        {"key": "assessment", "label": "Bedömning"},
    ],
    Profession.PHYSICIAN: [
        {
            "key": "previous",
            "label": "Sammanfattning av tidigare utredningar och behandlingar",
        },
        {"key": "assessment", "label": "Egen bedömning"},
        {"key": "certificates", "label": "Utfärdade intyg"},
    ],
    Profession.OCCUPATIONAL_THERAPIST: [
        {
            "key": "activities",
            "label": "Aktiviteter i dagligt liv och aktivitetsbalans",
        },
        {"key": "ergonomics", "label": "Ergonomi och hjälpmedel"},
        {"key": "assessment", "label": "Bedömning"},
    ],
    Profession.SOCIAL_WORKER: [
        {"key": "social_situation", "label": "Social situation och nätverk"},
        {"key": "finances", "label": "Ekonomi och försörjning"},
        {"key": "assessment", "label": "Bedömning"},
    ],
    Profession.REHAB_COORDINATOR: [
        {"key": "work_situation", "label": "Arbetssituation"},
        {"key": "sick_leave", "label": "Sjukskrivning"},
        {"key": "contacts", "label": "Kontakter med arbetsgivare och myndigheter"},
    ],
    Profession.SPORTS_LEADER: [
        {"key": "physical_activity", "label": "Fysisk aktivitet och kondition"},
    ],
    Profession.COORDINATOR_NURSE: [
        {"key": "coordination", "label": "Samordning och praktiska förutsättningar"},
    ],
}
