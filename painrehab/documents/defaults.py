"""The shipped letter texts (Swedish), used until a unit saves its own version.

Plain text with placeholders from the fixed vocabulary of
documents.placeholders, filled in by documents.letter_values.
"""

from painrehab.documents.models import LetterKind, Recipient

DEFAULT_TEMPLATES: dict[str, dict[str, str]] = {
    LetterKind.CONFIRMATION_PATIENT: {
        "recipient": Recipient.PATIENT,
        "subject": "Bekräftelse på mottagen remiss",
        "body": """Hej {förnamn},

Vi har tagit emot {remiss eller vårdbegäran} den {remissdatum}. Läkaren har bedömt remissen och du kommer att kallas till ett nybesök hos {nybesök hos}.

Vårt mål är att du ska få ditt besök inom 60 dagar, och enligt vårdgarantin senast inom 90 dagar. Cirka fyra veckor före besöket skickar vi en kallelse med formulär och skriftlig information.

{tolk}

Om du vill ändra något eller inte längre behöver besöket, kontakta oss.
Telefon: {mottagningens telefon}""",
    },
    LetterKind.CONFIRMATION_REFERRER: {
        "recipient": Recipient.REFERRER,
        "subject": "Remissbekräftelse: {namn}, {personnummer}",
        "body": """Remissen för {namn} ({personnummer}), mottagen {remissdatum}, är bedömd.

Patienten kallas till nybesök hos {nybesök hos}. Målet är besök inom 60 dagar och senast inom vårdgarantins 90 dagar.

Efter nybesöket får ni ett första besked.""",
    },
    LetterKind.INVITATION: {
        "recipient": Recipient.PATIENT,
        "subject": "Kallelse till nybesök",
        "body": """Hej {förnamn},

Välkommen till nybesök {besöksform}:

- Tid: {besöksdatum} kl. {besökstid}, cirka {besökets längd}
- Plats: {besöksplats}
- Hos: {besök hos}
- {tolk}

Inför besöket ber vi dig fylla i formulär från Nationella registret över smärtrehabilitering (NRS). Hur du svarar på nätet, med en personlig kod, står på ett eget blad som vi skickar till dig med posten. Kan du inte svara på nätet, ring oss så skickar vi formulären på papper. Deltagande i registret är frivilligt.

Om du får förhinder, lämna återbud så snart som möjligt.
Telefon: {mottagningens telefon}""",
    },
    LetterKind.RETURN_TO_REFERRER: {
        "recipient": Recipient.REFERRER,
        "subject": "Återremiss: {namn}, {personnummer}",
        "body": """Remissen för {namn} ({personnummer}), mottagen {remissdatum}, återsänds.

Bedömning: {skäl för återremiss}

Patienten får besked om detta. Välkommen att remittera på nytt om förutsättningarna ändras.""",
    },
    LetterKind.OWN_REQUEST_DECLINED: {
        "recipient": Recipient.PATIENT,
        "subject": "Besked om din vårdbegäran",
        "body": """Hej {förnamn},

Vi har tagit emot din egen vårdbegäran den {remissdatum}. Läkaren har bedömt den och kommit fram till att du inte erbjuds besök hos oss just nu.

Bedömning: {skäl för återremiss}

Vänd dig i första hand till din vårdcentral, som kan hjälpa dig vidare och vid behov skicka en remiss till oss. Du är välkommen att höra av dig om du har frågor.
Telefon: {mottagningens telefon}""",
    },
    LetterKind.FIRST_NOTICE: {
        "recipient": Recipient.REFERRER,
        "subject": "Första besked efter nybesök: {namn}, {personnummer}",
        "body": """{namn} ({personnummer}) har varit på nybesök {nybesöksdatum}.

Läkarens bedömning: {nybesökets bedömning}

{screeningens fynd}

Planering: {nybesökets planering}.

Detta är ett första besked för kännedom. En sammanfattning följer efter utredningen.""",
    },
    LetterKind.COMPLETION_REQUEST: {
        "recipient": Recipient.REFERRER,
        "subject": "Begäran om komplettering av remiss: {namn}",
        "body": """Vi har tagit emot en remiss för {namn} ({personnummer}) den {remissdatum}.

För att kunna bedöma remissen behöver vi en komplettering enligt remisschecklistan: smärtans duration och lokalisation, tidigare utredningar och rehabilitering med datum och resultat, aktuell medicinering, sjukskrivning och grad, arbets- eller studiesituation samt patientens motivation.""",
    },
    LetterKind.TEAM_SUMMARY: {
        "recipient": Recipient.REFERRER,
        "subject": "Sammanfattning efter teamutredning: {namn}, {personnummer}",
        "body": """{namn} ({personnummer}) har utretts av smärtrehabteamet. Bedömningskonferens hölls {konferensdatum}.

Huvudsakliga problem: {huvudsakliga problem}

Bidragande faktorer: {bidragande faktorer}

Patientens resurser: {patientens resurser}

Patientens förväntningar: {patientens förväntningar}

Teamets förslag: {teamets förslag}.
Rekommenderade alternativ: {rekommenderade alternativ}""",
    },
    LetterKind.PLAN_COPY_FK: {
        "recipient": Recipient.FORSAKRINGSKASSAN,
        "subject": "Rehabiliteringsplan: {namn}, {personnummer}",
        "body": """Med patientens samtycke skickas en kopia av rehabiliteringsplanen för {namn} ({personnummer}), genomgången och undertecknad {planens datum}.

Övergripande mål: {övergripande mål}

Delmål:
{delmål}

Rehabiliteringsform: {rehabiliteringsform}.""",
    },
    LetterKind.FINAL_NOTE: {
        "recipient": Recipient.REFERRER,
        "subject": "Slutanteckning: {namn}, {personnummer}",
        "body": """{namn} ({personnummer}) har avslutat {rehabiliteringen} {avslutsdatum}.

{närvaro}

Övergripande mål: {övergripande mål}

Utvärdering av delmål:
{utvärdering av delmål}

{vidmakthållandeplan}

Uppföljning sker per telefon eller video efter 4–6 veckor och på plats efter 3–4 månader; registerformulär skickas efter 12 månader.""",
    },
    LetterKind.FOLLOW_UP_SUMMARY: {
        "recipient": Recipient.REFERRER,
        "subject": "Sammanfattning efter uppföljning: {namn}, {personnummer}",
        "body": """{namn} ({personnummer}) har följts upp {uppföljningsdatum}.

{uppföljningens sammanfattning}

Bakslag som diskuterats: {bakslag}
Kontakter patienten behöver: {kontakter patienten behöver}""",
    },
    LetterKind.FOLLOW_UP_SUMMARY_FK: {
        "recipient": Recipient.FORSAKRINGSKASSAN,
        "subject": "Sammanfattning efter uppföljning: {namn}, {personnummer}",
        "body": """Med patientens samtycke skickas sammanfattningen efter uppföljningen {uppföljningsdatum} för {namn} ({personnummer}).

{uppföljningens sammanfattning}""",
    },
    LetterKind.EMPLOYER_INFO: {
        "recipient": Recipient.EMPLOYER,
        "subject": "Information om smärtrehabilitering",
        "body": """Med medarbetarens samtycke informerar vi om att {namn} deltar i multimodal smärtrehabilitering hos {mottagningens namn}.

Rehabiliteringen syftar till att börja, återgå till eller fortsätta arbeta. Den bygger på att patienten, teamet och arbetsplatsen samverkar, till exempel kring arbetsanpassning och en plan för återgång i arbete.

Kontakta gärna teamets rehabkoordinator om ni har frågor.
Telefon: {mottagningens telefon}""",
    },
    LetterKind.ABSENCE_WARNING: {
        "recipient": Recipient.PATIENT,
        "subject": "Angående din frånvaro från smärtrehabprogrammet",
        "body": """Hej {förnamn},

Du deltar i {programgrupp} ({programmets datum}). För att du ska kunna tillgodogöra dig programmet är hög närvaro viktig.

Hittills har du varit frånvarande vid {frånvaro}:
{missade tillfällen}

Om frånvaron fortsätter kan teamet behöva avsluta din rehabilitering i förtid. Hör gärna av dig om något gör det svårt för dig att delta, så planerar vi tillsammans hur du kan fortsätta.
Telefon: {mottagningens telefon}""",
    },
    LetterKind.DISCHARGE: {
        "recipient": Recipient.REFERRER,
        "subject": "Utskrivning: {namn}, {personnummer}",
        "body": """{namn} ({personnummer}) är utskriven från smärtrehabteamet {utskrivningsdatum}.

Orsak: {utskrivningsorsak}

Fortsatt ansvar: {fortsatt ansvar}

Rekommendation: {rekommendation}""",
    },
}
