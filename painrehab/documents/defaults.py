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
    LetterKind.TEAM_SUMMARY: {
        "recipient": Recipient.REFERRER,
        "subject": "Sammanfattning efter teamutredning: {{ patient.full_name }}, {{ patient.formatted_personnummer }}",
        "body": """{{ patient.full_name }} ({{ patient.formatted_personnummer }}) har utretts av smärtrehabteamet. Bedömningskonferens hölls {{ conference.held_on|date:"Y-m-d" }}.

Huvudsakliga problem: {{ conference.main_problems|default:"–" }}

Bidragande faktorer: {{ conference.contributing_factors|default:"–" }}

Patientens resurser: {{ conference.resources|default:"–" }}

Patientens förväntningar: {{ conference.expectations|default:"–" }}

Teamets förslag: {{ conference.get_decision_display }}.{% if conference.alternatives %}
Rekommenderade alternativ: {{ conference.alternatives }}{% endif %}""",
    },
    LetterKind.PLAN_COPY_FK: {
        "recipient": Recipient.FORSAKRINGSKASSAN,
        "subject": "Rehabiliteringsplan: {{ patient.full_name }}, {{ patient.formatted_personnummer }}",
        "body": """Med patientens samtycke skickas en kopia av rehabiliteringsplanen för {{ patient.full_name }} ({{ patient.formatted_personnummer }}), genomgången och undertecknad {{ plan.signed_on|date:"Y-m-d" }}.

Övergripande mål: {{ plan.overall_goal|default:"–" }}

Delmål:
{% for goal in plan.goals.all %}- {{ goal.get_profession_display }}: {{ goal.description }} (mått: {{ goal.measure }}, senast {{ goal.target_date|date:"Y-m-d" }})
{% endfor %}
Rehabiliteringsform: {{ plan.get_track_display }}.""",
    },
    LetterKind.FINAL_NOTE: {
        "recipient": Recipient.REFERRER,
        "subject": "Slutanteckning: {{ patient.full_name }}, {{ patient.formatted_personnummer }}",
        "body": """{{ patient.full_name }} ({{ patient.formatted_personnummer }}) har avslutat {% if plan.track == "individual" %}individuell rehabilitering{% else %}smärtrehabprogrammet{% endif %}{% if ended_on %} {{ ended_on|date:"Y-m-d" }}{% endif %}.

Övergripande mål: {{ plan.overall_goal|default:"–" }}

Utvärdering av delmål:
{% for goal in plan.goals.all %}- {{ goal.description }}: {% for e in goal.evaluations.all %}{% if e.when == "programme_end" %}{{ e.get_result_display|lower }}{% endif %}{% empty %}ej utvärderat{% endfor %}
{% endfor %}
Patienten har en vidmakthållandeplan. Uppföljning sker per telefon eller video efter 4–6 veckor och på plats efter 3–4 månader; registerformulär skickas efter 12 månader.""",
    },
    LetterKind.FOLLOW_UP_SUMMARY: {
        "recipient": Recipient.REFERRER,
        "subject": "Sammanfattning efter uppföljning: {{ patient.full_name }}, {{ patient.formatted_personnummer }}",
        "body": """{{ patient.full_name }} ({{ patient.formatted_personnummer }}) har följts upp {{ follow_up.held_on|date:"Y-m-d" }}.

{% if follow_up.team_summary %}{{ follow_up.team_summary }}{% else %}{{ follow_up.note }}{% endif %}
{% if follow_up.setbacks %}
Bakslag som diskuterats: {{ follow_up.setbacks }}{% endif %}{% if follow_up.contacts_needed %}
Kontakter patienten behöver: {{ follow_up.contacts_needed }}{% endif %}""",
    },
    LetterKind.FOLLOW_UP_SUMMARY_FK: {
        "recipient": Recipient.FORSAKRINGSKASSAN,
        "subject": "Sammanfattning efter uppföljning: {{ patient.full_name }}, {{ patient.formatted_personnummer }}",
        "body": """Med patientens samtycke skickas sammanfattningen efter uppföljningen {{ follow_up.held_on|date:"Y-m-d" }} för {{ patient.full_name }} ({{ patient.formatted_personnummer }}).

{% if follow_up.team_summary %}{{ follow_up.team_summary }}{% else %}{{ follow_up.note }}{% endif %}""",
    },
    LetterKind.EMPLOYER_INFO: {
        "recipient": Recipient.EMPLOYER,
        "subject": "Information om smärtrehabilitering",
        "body": """Med medarbetarens samtycke informerar vi om att {{ patient.full_name }} deltar i multimodal smärtrehabilitering hos {{ unit.name }}.

Rehabiliteringen syftar till att börja, återgå till eller fortsätta arbeta. Den bygger på att patienten, teamet och arbetsplatsen samverkar, till exempel kring arbetsanpassning och en plan för återgång i arbete.

Kontakta gärna teamets rehabkoordinator{% if unit.phone %} på {{ unit.phone }}{% endif %} om ni har frågor.""",
    },
    LetterKind.ABSENCE_WARNING: {
        "recipient": Recipient.PATIENT,
        "subject": "Angående din frånvaro från smärtrehabprogrammet",
        "body": """Hej {{ patient.first_name }},

{% if cohort %}Du deltar i {{ cohort.name }} ({{ cohort.start|date:"Y-m-d" }} – {{ cohort.end|date:"Y-m-d" }}). {% endif %}För att du ska kunna tillgodogöra dig programmet är hög närvaro viktig.
{% if rate %}
Hittills har du varit frånvarande vid {{ rate.missed }} av {{ rate.recorded }} schemalagda tillfällen ({{ rate.percent }} %){% if rate.excused %}, varav {{ rate.excused }} med giltigt förhinder{% endif %}:
{% for session in missed %}
- {{ session.date|date:"Y-m-d" }} kl. {{ session.start|time:"H:i" }}: {{ session.activity_name }}{% endfor %}
{% endif %}
Om frånvaron fortsätter kan teamet behöva avsluta din rehabilitering i förtid. Hör gärna av dig{% if unit.phone %} på {{ unit.phone }}{% endif %} om något gör det svårt för dig att delta, så planerar vi tillsammans hur du kan fortsätta.""",
    },
    LetterKind.DISCHARGE: {
        "recipient": Recipient.REFERRER,
        "subject": "Utskrivning: {{ patient.full_name }}, {{ patient.formatted_personnummer }}",
        "body": """{{ patient.full_name }} ({{ patient.formatted_personnummer }}) är utskriven från smärtrehabteamet{% if episode.closed_on %} {{ episode.closed_on|date:"Y-m-d" }}{% endif %}.

Orsak: {{ discharge.get_reason_display }}

Fortsatt ansvar: {{ discharge.taken_over_by }}

Rekommendation: {{ discharge.recommendation }}""",
    },
}
