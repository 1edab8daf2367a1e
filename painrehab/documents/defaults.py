"""The shipped letter texts (Swedish), used until a unit saves its own version.

Django template syntax; the context is built by documents.services.letter_context.
"""

from painrehab.documents.models import LetterKind, Recipient

DEFAULT_TEMPLATES: dict[str, dict[str, str]] = {
    LetterKind.CONFIRMATION_PATIENT: {
        "recipient": Recipient.PATIENT,
        "subject": "Bekräftelse på mottagen remiss",
        "body": """Hej {{ patient.first_name }},

Vi har tagit emot {% if referral.source == "own_request" %}din egen vårdbegäran{% else %}en remiss för dig{% endif %} den {{ referral.received_on|date:"Y-m-d" }}. Läkaren har bedömt remissen och du kommer att kallas till ett nybesök{% if triage.outcome == "screening" %} hos läkare och {{ screening_profession }}{% else %} hos läkare{% endif %}.

Vårt mål är att du ska få ditt besök inom 60 dagar, och enligt vårdgarantin senast inom 90 dagar. Cirka fyra veckor före besöket skickar vi en kallelse med formulär och skriftlig information.
{% if patient.needs_interpreter %}
Vi bokar tolk på {{ patient.interpreter_language }} till besöket.{% endif %}

Om du vill ändra något eller inte längre behöver besöket, {% if unit.phone %}ring oss på {{ unit.phone }}{% else %}kontakta oss{% endif %}.""",
    },
    LetterKind.CONFIRMATION_REFERRER: {
        "recipient": Recipient.REFERRER,
        "subject": "Remissbekräftelse: {{ patient.full_name }}, {{ patient.formatted_personnummer }}",
        "body": """Remissen för {{ patient.full_name }} ({{ patient.formatted_personnummer }}), mottagen {{ referral.received_on|date:"Y-m-d" }}, är bedömd.

Patienten kallas till nybesök {% if triage.outcome == "screening" %}hos läkare och {{ screening_profession }} (screening){% else %}hos läkare{% endif %}. Målet är besök inom 60 dagar och senast inom vårdgarantins 90 dagar.

Efter nybesöket får ni ett första besked.""",
    },
    LetterKind.INVITATION: {
        "recipient": Recipient.PATIENT,
        "subject": "Kallelse till nybesök",
        "body": """Hej {{ patient.first_name }},

Välkommen till nybesök {% if booking.mode == "video" %}via video{% else %}hos oss{% endif %}:

- Tid: {{ booking.starts_at|date:"l j F Y" }} kl. {{ booking.starts_at|time:"H:i" }}
- Hos: {{ booking.staff.get_full_name }}{% if booking.second_staff %} och {{ booking.second_staff.get_full_name }}{% endif %}
{% if patient.needs_interpreter %}- Tolk på {{ patient.interpreter_language }} är bokad{% endif %}

Med kallelsen får du formulär från Nationella registret över smärtrehabilitering (NRS) och skriftlig information om oss. Fyll i formulären före besöket. Deltagande i registret är frivilligt.

Om du får förhinder, lämna återbud så snart som möjligt{% if unit.phone %} på {{ unit.phone }}{% endif %}.""",
    },
    LetterKind.RETURN_TO_REFERRER: {
        "recipient": Recipient.REFERRER,
        "subject": "Återremiss: {{ patient.full_name }}, {{ patient.formatted_personnummer }}",
        "body": """Remissen för {{ patient.full_name }} ({{ patient.formatted_personnummer }}), mottagen {{ referral.received_on|date:"Y-m-d" }}, återsänds.

Bedömning: {{ triage.reason }}

Patienten får besked om detta. Välkommen att remittera på nytt om förutsättningarna ändras.""",
    },
    LetterKind.FIRST_NOTICE: {
        "recipient": Recipient.REFERRER,
        "subject": "Första besked efter nybesök: {{ patient.full_name }}, {{ patient.formatted_personnummer }}",
        "body": """{{ patient.full_name }} ({{ patient.formatted_personnummer }}) har varit på nybesök {{ new_visit.held_on|date:"Y-m-d" }}.

Planering: {{ new_visit.get_outcome_display }}{% if new_visit.other_action %} – {{ new_visit.other_action }}{% endif %}.

Detta är ett första besked för kännedom. En sammanfattning följer efter utredningen.""",
    },
    LetterKind.COMPLETION_REQUEST: {
        "recipient": Recipient.REFERRER,
        "subject": "Begäran om komplettering av remiss: {{ patient.full_name }}",
        "body": """Vi har tagit emot en remiss för {{ patient.full_name }} ({{ patient.formatted_personnummer }}) den {{ referral.received_on|date:"Y-m-d" }}.

För att kunna bedöma remissen behöver vi en komplettering enligt remisschecklistan: smärtans duration och lokalisation, tidigare utredningar och rehabilitering med datum och resultat, aktuell medicinering, sjukskrivning och grad, arbets- eller studiesituation samt patientens motivation.""",
    },
}
