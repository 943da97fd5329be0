"""Demo documents: each cooperative's statutes and the minutes of its last annual assembly; the
signed care plan and consent form of a few people who signed theirs; and each carer's first-aid
certificate, expiring with the qualification it proves, and criminal record certificate, valid
six months from its issue (a few expiring within 60 days, one in each cooperative expired).

Everything is uploaded through ``documents.services.upload``, so the files go to the default
storage (under ``MEDIA_ROOT`` unless the settings name another). Laying out a PDF takes about a
fifth of a second (mostly subsetting the font), so each kind of paper is laid out once and its
bytes kept for every owner; only the minutes, each assembly's own, are laid out per
cooperative, as the assembly's page prints them. The other papers are in Italian, as the
cooperatives' own would be; their titles in the app are in English, as the rest of the demo's
text is."""

import functools
import random
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from coopcare.care.models import PersonCaredFor
from coopcare.demo.work import FIRST_AID
from coopcare.documents import services
from coopcare.documents.models import Kind
from coopcare.governance import pdf as governance_pdf
from coopcare.governance.models import Assembly, AssemblyKind, AssemblyStatus
from coopcare.pdf import MUTED, Paper
from coopcare.work.models import Qualification

PEOPLE_WITH_PAPERS = 6  # per cooperative, among those who signed their care plan
# A criminal record certificate is valid six months from its issue (DPR 445/2000 art. 41).
CHECK_VALID_FOR = relativedelta(months=6)
SPECIMEN = "Documento dimostrativo: la stessa copia è tenuta per ogni {owner} della demo."

# Each paper: its title, its heading, a line under it, and its paragraphs (a paragraph that
# starts with "Art." or ends with ":" is set as a heading).
PAPERS = {
    Kind.STATUTES: (
        "Statuto",
        "Statuto della cooperativa sociale",
        "Modello della Rete Cura Emilia, adottato dall'assemblea di ciascuna cooperativa aderente.",
        [
            "Art. 1 – Denominazione e sede",
            "È costituita una società cooperativa sociale a mutualità prevalente, retta dalla "
            "legge 8 novembre 1991, n. 381, e dagli articoli 2511 e seguenti del codice civile. "
            "La denominazione e la sede sono quelle indicate nell'atto costitutivo.",
            "Art. 3 – Scopo",
            "La cooperativa persegue l'interesse generale della comunità alla promozione umana e "
            "all'integrazione sociale dei cittadini, gestendo servizi socio-sanitari e "
            "assistenziali a domicilio per persone anziane, persone con disabilità e minori "
            "(art. 1, comma 1, lettera a, legge 381/1991).",
            "Art. 5 – Soci",
            "Possono essere soci le persone che lavorano nella cooperativa, le persone assistite e "
            "i loro familiari, i sostenitori, gli enti pubblici e i soci finanziatori. Ciascuna "
            "categoria è iscritta in una sezione distinta del libro dei soci.",
            "Art. 8 – Quote",
            "Il valore della quota di ciascuna categoria è stabilito dal regolamento approvato "
            "dall'assemblea. I soci lavoratori possono versare la quota a rate.",
            "Art. 12 – Assemblea",
            "Ogni socio ha un voto. I voti di ciascuna categoria sono ponderati come stabilisce il "
            "regolamento, nessuna categoria oltre la metà dei voti. Il socio che non può "
            "intervenire può farsi rappresentare da un altro socio con delega scritta.",
            "Art. 15 – Consiglio di amministrazione",
            "Il consiglio è eletto dall'assemblea con voto singolo trasferibile; un seggio è "
            "riservato alle persone assistite o ai loro familiari.",
            "Art. 20 – Utili, riserve e ristorni",
            "Almeno il trenta per cento degli utili netti va alla riserva legale (art. 2545-quater "
            "c.c.) e il tre per cento ai fondi mutualistici (art. 11, legge 59/1992). I ristorni "
            "ai soci lavoratori sono ripartiti in proporzione alle ore lavorate.",
        ],
    ),
    Kind.SIGNED_CARE_PLAN: (
        "Piano assistenziale individualizzato",
        "Piano assistenziale individualizzato (PAI)",
        "Copia firmata. " + SPECIMEN.format(owner="persona assistita"),
        [
            "Obiettivi:",
            "Restare a casa in sicurezza; lavarsi, vestirsi e mangiare il più possibile in "
            "autonomia.",
            "Interventi:",
            "Igiene personale e vestizione ogni mattina; pranzo e promemoria dei farmaci nei "
            "giorni feriali; bagno con sollevatore, con due operatori, una volta la settimana.",
            "Verifica:",
            "Entro dodici mesi, o prima se i bisogni cambiano.",
            "Firme:",
            "La persona assistita o il suo rappresentante legale: ______________________",
            "Il coordinatore del servizio: ______________________",
        ],
    ),
    Kind.CONSENT_FORM: (
        "Consenso informato",
        "Consenso informato all'assistenza e al trattamento dei dati",
        SPECIMEN.format(owner="persona assistita"),
        [
            "La persona assistita acconsente a ricevere le prestazioni previste dal suo piano "
            "assistenziale e al trattamento dei dati relativi alla sua salute che esse "
            "richiedono (Regolamento (UE) 2016/679, art. 9, par. 2, lett. a e h).",
            "Può revocare il consenso in qualsiasi momento, senza pregiudicare la liceità del "
            "trattamento svolto prima della revoca (art. 7, par. 3).",
            "Firma: ______________________",
        ],
    ),
    Kind.CERTIFICATE: (
        "Attestato BLS-D",
        "Attestato di frequenza con verifica finale",
        f"{FIRST_AID[0]} – {FIRST_AID[2]}. " + SPECIMEN.format(owner="operatore"),
        [
            "Il corso di rianimazione cardiopolmonare di base e defibrillazione precoce (Basic "
            "Life Support – early Defibrillation), di dodici ore, è stato frequentato e la "
            "verifica finale superata.",
            "L'attestato è valido due anni dalla data del corso; un corso di aggiornamento lo "
            "rinnova.",
        ],
    ),
    Kind.BACKGROUND_CHECK: (
        "Certificato del casellario giudiziale",
        "Certificato del casellario giudiziale",
        "Richiesto dal datore di lavoro (art. 25-bis, d.P.R. 313/2002). "
        + SPECIMEN.format(owner="operatore"),
        [
            "Nel casellario giudiziale risulta: NULLA.",
            "Il certificato ha validità sei mesi dalla data del rilascio (art. 41, d.P.R. "
            "445/2000).",
        ],
    ),
}


@functools.cache
def paper(kind: str) -> bytes:
    """The PDF of one kind of paper, laid out once for the whole demo."""
    title, heading, subtitle, paragraphs = PAPERS[Kind(kind)]
    # The text is Italian whatever language the demo is seeded in.
    with translation.override("it"):
        pdf = Paper(title, "Rete Cura Emilia")
        pdf.add_page()
        pdf.heading(heading)
        pdf.paragraph(subtitle, color=MUTED)
        for text in paragraphs:
            if text.startswith("Art.") or text.endswith(":"):
                pdf.heading(text, size=11)
            else:
                pdf.paragraph(text)
        return bytes(pdf.output())


def _pdf(name: str, content: bytes) -> SimpleUploadedFile:
    """A PDF named ``name``, as an upload hands it to the service."""
    return SimpleUploadedFile(name, content, "application/pdf")


class DocumentSeeder:
    def __init__(self, rng: random.Random, today: date, cooperative, coordinator, secretary):
        self.rng = rng
        self.today = today
        self.coop = cooperative
        self.coordinator = coordinator
        self.secretary = secretary  # the board member who keeps the cooperative's papers

    def run(self, carers: list) -> dict[str, int]:
        count = self.cooperative_papers() + self.people_papers()
        count += self.carer_papers(carers)
        return {"documents": count}

    def upload(self, kind: str, title: str, file: SimpleUploadedFile, by, **owner) -> int:
        services.upload(self.coop, kind=kind, title=title, file=file, by=by, **owner)
        return 1

    def cooperative_papers(self) -> int:
        """The statutes and, once published, the minutes of the last annual assembly."""
        count = self.upload(
            Kind.STATUTES, "Statutes", _pdf("statuto.pdf", paper(Kind.STATUTES)), self.secretary
        )
        last = (
            Assembly.objects.filter(
                cooperative=self.coop,
                kind=AssemblyKind.ORDINARY,
                status=AssemblyStatus.CLOSED,
                minutes_published_at__isnull=False,
            )
            .order_by("-starts_at")
            .first()
        )
        if last is not None:
            minutes = _pdf("minutes.pdf", governance_pdf.minutes(last))
            count += self.upload(Kind.MINUTES, f"Minutes: {last.title}", minutes, self.secretary)
        return count

    def people_papers(self) -> int:
        """A paper copy of the signed care plan and of the consent to care, for a few of the
        people who signed theirs on the screen."""
        count = 0
        signed = (
            PersonCaredFor.objects.filter(cooperative=self.coop, signatures__plan__isnull=False)
            .distinct()
            .order_by("pk")[:PEOPLE_WITH_PAPERS]
        )
        for person in signed:
            plan = person.plans.filter(signatures__isnull=False).get()
            count += self.upload(
                Kind.SIGNED_CARE_PLAN,
                f"Care plan from {plan.valid_from.isoformat()}, signed",
                _pdf("pai-firmato.pdf", paper(Kind.SIGNED_CARE_PLAN)),
                self.coordinator,
                person=person,
            )
            count += self.upload(
                Kind.CONSENT_FORM,
                "Consent to care and to the use of health data",
                _pdf("consenso.pdf", paper(Kind.CONSENT_FORM)),
                self.coordinator,
                person=person,
            )
        return count

    def carer_papers(self, carers: list) -> int:
        """Each carer's first-aid certificate and criminal record certificate. The first
        carer's check (the demo's carer login, in the main cooperative) expires within weeks, so
        their page warns them; one other carer's has expired, so the coordinators' list has
        one to chase."""
        count = 0
        expired = self.rng.choice(carers[1:])
        for index, carer in enumerate(carers):
            first_aid = (
                Qualification.objects.filter(cooperative=self.coop, carer=carer, name=FIRST_AID[0])
                .order_by("-obtained_on")
                .first()
            )
            if first_aid is not None:
                count += self.upload(
                    Kind.CERTIFICATE,
                    first_aid.name,
                    _pdf("attestato-bls-d.pdf", paper(Kind.CERTIFICATE)),
                    self.coordinator,
                    carer=carer,
                    expires_on=first_aid.expires_on,
                )
            # Renewed at different times: most are months from expiring, a few within 60 days.
            issued = self.today - timedelta(days=self.rng.randint(5, 135))
            if index == 0:
                issued = self.today - timedelta(days=150)
            elif carer == expired:
                issued = self.today - timedelta(days=self.rng.randint(190, 200))
            count += self.upload(
                Kind.BACKGROUND_CHECK,
                "Criminal record certificate",
                _pdf("casellario.pdf", paper(Kind.BACKGROUND_CHECK)),
                self.coordinator,
                carer=carer,
                expires_on=issued + CHECK_VALID_FOR,
            )
        return count
