"""Fill an empty platform with organisations, people and consultations in every state.

Idempotent: running it again adds what is missing and changes nothing else.
"""

import base64
import secrets
from datetime import timedelta

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import decrypt, encrypt
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from wagtail.models import Site
from wagtail.rich_text import RichText

from cms.accessibility_demo import accessibility_demo_content
from cms.models import ContentPage, HomePage, SiteSettings
from cms.transparency_demo import transparency_demo_content
from cooperative.accounts.services import board_group_ensure
from cooperative.governance.demo import governance_demo_content
from cooperative.mandates.demo import mandates_demo_content
from cooperative.organisations.models import Organisation, OrganisationRole
from cooperative.organisations.services import organisation_create, organisation_role_grant
from participation.comments.models import Comment
from participation.comments.services import comment_create
from participation.consultations.models import (
    ConsultationIndexPage,
    ConsultationPage,
    ConsultationPhase,
)
from participation.consultations.services import approval_workflow_ensure, organisation_area_setup
from participation.contributions.targets import Target, TargetKind
from participation.moderation.models import ModerationDecision
from participation.moderation.services import decision_create
from participation.polls.models import Poll, PollAnswer, PollChoice, PollVote
from participation.polls.services import poll_vote_cast
from participation.proposals.models import ModerationStatus, Proposal
from participation.proposals.services import proposal_answer, proposal_create, proposal_support

DEMO_PASSWORD = "allmende-demo-2026"

ORGANISATIONS = [
    (
        "Stadt Musterstadt",
        "musterstadt",
        Organisation.Kind.MUNICIPALITY,
        "Die Stadtverwaltung Musterstadt lädt Bürgerinnen und Bürger ein, die Stadt mitzugestalten.",
    ),
    (
        "Kreis Beispielkreis",
        "beispielkreis",
        Organisation.Kind.ADMINISTRATION,
        "Die Kreisverwaltung des Beispielkreises beteiligt Sie an Planungen für den ganzen Kreis.",
    ),
    (
        "Partei für Nachhaltigkeit",
        "partei-nachhaltigkeit",
        Organisation.Kind.PARTY,
        "Ortsverband Musterstadt. Wir schreiben unser Kommunalwahlprogramm gemeinsam mit Ihnen.",
    ),
    (
        "Liste Gemeinsinn",
        "liste-gemeinsinn",
        Organisation.Kind.PARTY,
        "Wählervereinigung für eine bürgernahe Kommunalpolitik im Beispielkreis.",
    ),
    (
        "Bürgerinitiative Grüner Ring",
        "gruener-ring",
        Organisation.Kind.INITIATIVE,
        "Wir setzen uns für mehr Bäume und Grünflächen rund um die Altstadt ein.",
    ),
]

# (e-mail, display name, role key, description)
PEOPLE = [
    ("buergerin@example.org", "Lindenblatt", "citizen", "Bürgerin (citizen)"),
    (
        "redaktion@musterstadt.example",
        "Redaktion Musterstadt",
        "editor",
        "Redakteurin, Stadt Musterstadt (agency editor)",
    ),
    (
        "freigabe@musterstadt.example",
        "Freigabe Musterstadt",
        "editor",
        "Zweite Redakteurin, gibt frei (second editor, approves)",
    ),
    (
        "redaktion@beispielkreis.example",
        "Redaktion Kreis",
        "editor-kreis",
        "Redakteur, Kreis Beispielkreis (editor of another organisation)",
    ),
    (
        "pressestelle@musterstadt.example",
        "Pressestelle Musterstadt",
        "speaker",
        "Sprecherin, Stadt Musterstadt (agency speaker)",
    ),
    (
        "moderation@musterstadt.example",
        "Moderation Musterstadt",
        "moderator",
        "Moderator, Stadt Musterstadt (moderator)",
    ),
    (
        "vorstand@allmende.example",
        "Vorstand Allmende",
        "board",
        "Vorstandsmitglied der Genossenschaft (board member)",
    ),
    ("admin@allmende.example", "Plattform-Admin", "admin", "Administrator (admin)"),
]
# Staff act only with a second factor: these demo accounts get a TOTP authenticator.
STAFF_KEYS = {"editor", "editor-kreis", "speaker", "moderator", "board", "admin"}

TAGS = {
    "verkehr": "Verkehr",
    "klima": "Klima",
    "stadtentwicklung": "Stadtentwicklung",
    "haushalt": "Haushalt",
    "jugend": "Jugend",
    "umwelt": "Umwelt",
    "wahlprogramm": "Wahlprogramm",
}


def _days(n: float) -> timedelta:
    return timedelta(days=n)


def _phases(state: str) -> list[dict]:
    """Phases relative to now so that the consultation is in `state` today."""
    P = ConsultationPhase.Kind
    if state == "upcoming":
        plan = [
            (P.INFORMATION, 0, 14, ""),
            (P.PARTICIPATION, 14, 56, "cvps"),
            (P.EVALUATION, 56, 90, ""),
            (P.RESULT, 90, 400, ""),
        ]
    elif state == "open":
        plan = [
            (P.INFORMATION, -30, -14, ""),
            (P.PARTICIPATION, -14, 42, "cvps"),
            (P.EVALUATION, 42, 90, ""),
            (P.RESULT, 90, 400, ""),
        ]
    elif state == "evaluation":
        plan = [
            (P.INFORMATION, -90, -60, ""),
            (P.PARTICIPATION, -60, -10, "cvps"),
            (P.EVALUATION, -10, 40, ""),
            (P.RESULT, 40, 400, ""),
        ]
    else:
        plan = [
            (P.INFORMATION, -200, -170, ""),
            (P.PARTICIPATION, -170, -110, "cvps"),
            (P.EVALUATION, -110, -60, ""),
            (P.RESULT, -60, 400, ""),
        ]
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    return [
        {
            "kind": kind,
            "starts_at": now + _days(start),
            "ends_at": now + _days(end),
            "allows_comment": "c" in actions,
            "allows_vote": "v" in actions,
            "allows_propose": "p" in actions,
            "allows_support": "s" in actions,
        }
        for kind, start, end, actions in plan
    ]


CONSULTATIONS = [
    (
        "musterstadt",
        "radverkehr-2030",
        "Radverkehrskonzept Musterstadt 2030",
        "open",
        ["verkehr", "klima"],
        "pre",
        "Wo fehlen Radwege, wo wird es eng? Helfen Sie uns, das Radverkehrsnetz der nächsten zehn Jahre zu planen.",
        "Musterstadt will bis 2030 ein lückenloses Radverkehrsnetz schaffen. Der Entwurf des Konzepts "
        "benennt zwölf Hauptrouten. Wir möchten wissen, wo Sie heute unterwegs sind, wo Sie sich "
        "unsicher fühlen und welche Verbindungen fehlen.",
        "",
    ),
    (
        "musterstadt",
        "marktplatz",
        "Neugestaltung des Marktplatzes",
        "upcoming",
        ["stadtentwicklung"],
        "post",
        "Der Marktplatz soll lebendiger werden. Ab Mitte nächsten Monats sammeln wir Ihre Ideen.",
        "Der Stadtrat hat beschlossen, den Marktplatz neu zu gestalten: mehr Schatten, mehr Sitzplätze, "
        "Platz für den Wochenmarkt. Bevor die Planung beginnt, fragen wir Sie.",
        "",
    ),
    (
        "musterstadt",
        "buergerhaushalt-2027",
        "Bürgerhaushalt 2027",
        "evaluation",
        ["haushalt"],
        "post",
        "Die Beteiligung ist beendet. Die Verwaltung prüft jetzt die Beiträge und gibt zu jedem Rückmeldung.",
        "Mit dem Bürgerhaushalt entscheiden Sie mit, wofür 500.000 Euro im Haushalt 2027 verwendet werden.",
        "",
    ),
    (
        "musterstadt",
        "spielplatz-lindenpark",
        "Neuer Spielplatz im Lindenpark",
        "finished",
        ["jugend", "stadtentwicklung"],
        "post",
        "Kinder, Eltern und Nachbarschaft haben den neuen Spielplatz mitgeplant. Hier sind die Ergebnisse.",
        "Der Spielplatz im Lindenpark wird erneuert. Wir haben gefragt, was Kindern und Familien wichtig ist.",
        "<h3>Was wir gehört haben</h3><p>An der Umfrage haben sechs Menschen teilgenommen: "
        "Die meisten wünschen sich einen Wasserspielplatz, danach einen Kletterturm. "
        "Bei der Begehung vor Ort war Schatten der häufigste Wunsch.</p>"
        "<h3>Stellungnahme der Stadt</h3><p>Die Stadt baut den Wasserspielplatz und pflanzt "
        "Schattenbäume; der Kletterturm folgt im zweiten Bauabschnitt. Der Bau beginnt im "
        "Frühjahr; die Eröffnung ist für den Sommer geplant.</p>",
    ),
    (
        "beispielkreis",
        "nahverkehrsplan",
        "Nahverkehrsplan Beispielkreis",
        "open",
        ["verkehr"],
        "post",
        "Busse, Bahnen, Rufbusse: Der Kreis stellt seinen Nahverkehrsplan zur Diskussion.",
        "Der Nahverkehrsplan legt fest, welche Linien wie oft fahren. Der Entwurf liegt vor; Ihre "
        "Hinweise fließen in die Überarbeitung ein.",
        "",
    ),
    (
        "beispielkreis",
        "klimaschutzkonzept",
        "Klimaschutzkonzept des Kreises",
        "finished",
        ["klima", "umwelt"],
        "post",
        "Das Klimaschutzkonzept entstand in Bürgerwerkstätten in allen Gemeinden des Kreises.",
        "Der Kreis will bis 2040 klimaneutral werden. Wir haben gefragt, welche Maßnahmen Vorrang haben.",
        "<p>Der Kreistag hat das Konzept beschlossen. Vorrang haben Photovoltaik auf Kreisgebäuden, "
        "der Ausbau des Radverkehrs und eine Beratungsstelle für Sanierungen.</p>",
    ),
    (
        "partei-nachhaltigkeit",
        "wahlprogramm-2027",
        "Wahlprogramm 2027: Ihre Ideen",
        "open",
        ["wahlprogramm"],
        "post",
        "Wir schreiben unser Programm für die Kommunalwahl offen. Was soll drinstehen?",
        "Kommentieren Sie unseren Entwurf und schlagen Sie eigene Punkte vor.",
        "",
    ),
    (
        "liste-gemeinsinn",
        "buergersprechstunde",
        "Themen für die Bürgersprechstunde",
        "upcoming",
        ["stadtentwicklung"],
        "post",
        "Welche Themen sollen wir in der nächsten Bürgersprechstunde aufgreifen?",
        "Sammeln Sie mit uns Themen für die Sprechstunde im Kreishaus.",
        "",
    ),
    (
        "gruener-ring",
        "baumpatenschaften",
        "Baumpatenschaften rund um die Altstadt",
        "open",
        ["umwelt", "klima"],
        "post",
        "Welche Straßen brauchen neue Bäume? Wer übernimmt das Gießen im Sommer?",
        "Die Bürgerinitiative Grüner Ring sammelt Standorte für 200 neue Bäume und Menschen, die Patenschaften übernehmen.",
        "",
    ),
]


# (organisation, consultation, title, text, topics, location, author, supporters, feedback)
PROPOSALS = [
    (
        "musterstadt",
        "radverkehr-2030",
        "Geschützter Radweg auf der Bahnhofstraße",
        "Auf der Bahnhofstraße teilen sich Autos, Busse und Räder eine Spur. Ein baulich "
        "getrennter Radweg zwischen Bahnhof und Rathaus würde den **Schulweg** sicherer machen.",
        ["Radweg", "Schulweg"],
        "Bahnhofstraße",
        "buergerin@example.org",
        ["redaktion@musterstadt.example", "moderation@musterstadt.example"],
        (
            "under_review",
            "Vielen Dank für den Vorschlag. Das Tiefbauamt prüft, ob die Fahrbahnbreite einen "
            "getrennten Radweg erlaubt. Wir melden uns bis Ende des Quartals.",
        ),
    ),
    (
        "musterstadt",
        "radverkehr-2030",
        "Fahrradparkhaus am Bahnhof",
        "Am Bahnhof fehlen sichere Abstellplätze. Ein überdachtes Fahrradparkhaus mit "
        "Ladestationen für E-Bikes würde das Pendeln erleichtern.",
        ["Parken", "Bahnhof"],
        "Bahnhofsvorplatz",
        "moderation@musterstadt.example",
        ["buergerin@example.org"],
        (
            "partly_accepted",
            "Ein Fahrradparkhaus ist im Konzept vorgesehen. Ladestationen prüfen wir in einem "
            "zweiten Bauabschnitt.",
        ),
    ),
    (
        "beispielkreis",
        "nahverkehrsplan",
        "Rufbus auch am Wochenende",
        "Der Rufbus fährt nur werktags. Gerade am Wochenende kommen Menschen ohne Auto aus den "
        "Dörfern nicht in die Stadt.",
        ["Rufbus"],
        "",
        "buergerin@example.org",
        ["redaktion@musterstadt.example"],
        None,
    ),
]


# (organisation, consultation, title, blocks, contributions: (paragraph number, author, text,
# replies))
DRAFT_TEXTS = [
    (
        "beispielkreis",
        "nahverkehrsplan",
        "Entwurf des Nahverkehrsplans 2027 bis 2031",
        [
            ("heading", "1. Geltung und Ziele"),
            (
                "paragraph",
                RichText(
                    "<p>Der Nahverkehrsplan gilt für die Jahre 2027 bis 2031. Er legt fest, "
                    "welche Linien im Beispielkreis verkehren, wie oft sie fahren und welche "
                    "Qualität die Fahrgäste erwarten können.</p>"
                ),
            ),
            (
                "paragraph",
                RichText(
                    "<p>Jeder Ort mit mehr als 200 Einwohnerinnen und Einwohnern erhält werktags "
                    "mindestens einen <b>Stundentakt</b> zwischen 6 und 20 Uhr.</p>"
                ),
            ),
            ("heading", "2. Angebot"),
            (
                "paragraph",
                RichText(
                    "<p>In den Abendstunden und am Wochenende ergänzen Rufbusse das Angebot. Sie "
                    "werden spätestens 60 Minuten vor der Fahrt per Telefon oder App bestellt.</p>"
                ),
            ),
            (
                "paragraph",
                RichText(
                    "<p>Die Schnellbuslinien S1 und S2 verbinden die Mittelzentren im "
                    "30-Minuten-Takt mit dem Bahnhof der Kreisstadt.</p>"
                ),
            ),
            (
                "paragraph",
                RichText(
                    "<p>Alle Haltestellen werden bis 2031 barrierefrei ausgebaut. Vorrang haben "
                    "Haltestellen an Schulen, Ärztehäusern und Pflegeeinrichtungen.</p>"
                ),
            ),
            ("heading", "3. Bericht"),
            (
                "paragraph",
                RichText(
                    "<p>Der Kreis berichtet jährlich öffentlich, wie pünktlich die Linien fahren "
                    "und wie viele Fahrten ausgefallen sind.</p>"
                ),
            ),
        ],
        [
            (
                2,
                "buergerin@example.org",
                "Ein Stundentakt bis 20 Uhr reicht nicht: Wer Schicht arbeitet, kommt später heim.",
                [("redaktion@beispielkreis.example", "Danke, wir prüfen einen Takt bis 22 Uhr.")],
            ),
            (
                3,
                "moderation@musterstadt.example",
                "60 Minuten Vorlauf sind für spontane Fahrten zu lang. 30 Minuten wären gut.",
                [],
            ),
            (
                5,
                "vorstand@allmende.example",
                "Bitte auch die Haltestellen an den Bahnhöfen vorziehen, dort steigen viele um.",
                [],
            ),
        ],
    ),
]

# (proposal title, author, text, official statement)
PROPOSAL_COMMENTS = [
    (
        "Rufbus auch am Wochenende",
        "moderation@musterstadt.example",
        "Unbedingt! Samstags fährt bei uns im Dorf gar nichts.",
        False,
    ),
    (
        "Rufbus auch am Wochenende",
        "vorstand@allmende.example",
        "Auch sonntags, damit man Angehörige im Krankenhaus besuchen kann.",
        False,
    ),
    (
        "Fahrradparkhaus am Bahnhof",
        "pressestelle@musterstadt.example",
        "Der Standort auf dem Bahnhofsvorplatz wird gerade vermessen. Wir berichten hier.",
        True,
    ),
]


# Polls per consultation slug; "votes" are the demo people's ballots (option numbers; for
# a ranking the options in order, for a rating one rating per option).
POLLS = {
    "radverkehr-2030": [
        {
            "question": "Welche Maßnahme soll die Stadt zuerst umsetzen?",
            "explanation": "Das Budget reicht im ersten Jahr für eine der drei Maßnahmen.",
            "kind": Poll.Kind.SINGLE,
            "allow_other": True,
            "results_visibility": Poll.Visibility.LIVE,
            "options": [
                "Geschützte Radfahrstreifen an der Hauptstraße",
                "Fahrradstraße durch die Altstadt",
                "Mehr Fahrradabstellanlagen am Bahnhof",
            ],
            "votes": [[0], [1], [0], [2], [0]],
        },
        {
            "question": "Welche Ziele sind Ihnen am wichtigsten?",
            "kind": Poll.Kind.RANKING,
            "results_visibility": Poll.Visibility.AFTER_VOTE,
            "options": ["Sicherheit", "Schnelle Verbindungen", "Weniger Autoverkehr"],
            "votes": [[0, 1, 2], [0, 2, 1], [2, 0, 1]],
        },
        {
            "question": "Wie bewerten Sie die Radwege heute?",
            "kind": Poll.Kind.RATING,
            "scale_max": 5,
            "results_visibility": Poll.Visibility.AFTER_CLOSE,
            "options": ["In der Innenstadt", "Zu den Schulen", "In die Nachbarorte"],
            "votes": [[2, 3, 1], [1, 2, 2]],
        },
    ],
    "nahverkehrsplan": [
        {
            "question": "Wo brauchen Sie bessere Busverbindungen?",
            "kind": Poll.Kind.MULTIPLE,
            "max_choices": 2,
            "results_visibility": Poll.Visibility.LIVE,
            "options": ["Abends", "Am Wochenende", "Zu den Gewerbegebieten", "In die Dörfer"],
            "votes": [[0, 1], [3], [1, 3], [0]],
        }
    ],
    "spielplatz-lindenpark": [
        {
            "question": "Welches Spielgerät wünschen Sie sich im Lindenpark?",
            "kind": Poll.Kind.SINGLE,
            "results_visibility": Poll.Visibility.AFTER_CLOSE,
            "options": ["Kletterturm", "Wasserspielplatz", "Große Nestschaukel"],
            "votes": [[1], [1], [0], [2], [1], [0]],
        }
    ],
}


class Command(BaseCommand):
    help = "Load demo organisations, accounts and consultations (idempotent)."

    def handle(self, *args, **options):
        with transaction.atomic():
            home = self._home()
            approval_workflow_ensure(root=home)
            organisations = self._organisations(home)
            users = self._people(organisations)
            # The demo's replies reach their addressees' notifications; mails about them
            # would only fill the console, so they are off while the demo is written.
            people = get_user_model().objects.filter(reply_mails=True)
            quiet = list(people.values_list("pk", flat=True))
            people.update(reply_mails=False)
            created = self._consultations(organisations)
            self._proposals(organisations)
            self._draft_texts(organisations)
            self._proposal_comments(organisations)
            get_user_model().objects.filter(pk__in=quiet).update(reply_mails=True)
            self._content_pages(home)
            accessibility_demo_content(home)
            cooperative = governance_demo_content(password=DEMO_PASSWORD)
            if cooperative is not None:
                board, members = cooperative
                mandates_demo_content(board=board, members=members)
            transparency_demo_content()
            second_factors = self._second_factors()
        self._print_accounts(users, created)
        self._print_second_factors(second_factors)

    def _home(self) -> HomePage:
        home = HomePage.objects.first()
        if home is None:
            raise SystemExit("The home page is missing: run `manage.py migrate` first.")
        if not home.intro:
            home.title = "Mitreden, mitgestalten, mitentscheiden"
            home.intro = (
                "<p>Allmende ist die Beteiligungsplattform der Genossenschaft von Bürgerinnen und "
                "Bürgern, Verwaltungen und Parteien. Diskutieren Sie live mit, stimmen Sie ab und "
                "sehen Sie, was aus Ihren Vorschlägen wird.</p>"
            )
            home.save_revision().publish()
        site = Site.objects.get(is_default_site=True)
        settings = SiteSettings.for_site(site)
        if not settings.contact_email:
            settings.contact_email = "kontakt@allmende.example"
            settings.save()
        return home

    def _organisations(self, home) -> dict[str, Organisation]:
        result = {}
        for name, slug, kind, description in ORGANISATIONS:
            organisation = Organisation.objects.filter(slug=slug).first()
            if organisation is None:
                organisation = organisation_create(
                    name=name, slug=slug, kind=kind, description=description
                )
            organisation_area_setup(organisation=organisation, home=home)
            result[slug] = organisation
        return result

    def _people(self, organisations) -> list[tuple[str, str, str]]:
        User = get_user_model()
        musterstadt = organisations["musterstadt"]
        board = board_group_ensure()
        rows = []
        for email, display_name, key, description in PEOPLE:
            user = User.objects.filter(email=email).first()
            if user is None:
                user = User(
                    username=email.split("@")[0].replace(".", "-") + "-" + key,
                    email=email,
                    display_name=display_name,
                )
                user.set_password(DEMO_PASSWORD)
                if key == "admin":
                    user.is_superuser = True
                    user.is_staff = True
                user.save()
            EmailAddress.objects.update_or_create(
                user=user, email=email, defaults={"verified": True, "primary": True}
            )
            role = {
                "editor": (musterstadt, OrganisationRole.Role.EDITOR),
                "editor-kreis": (organisations["beispielkreis"], OrganisationRole.Role.EDITOR),
                "speaker": (musterstadt, OrganisationRole.Role.SPEAKER),
                "moderator": (musterstadt, OrganisationRole.Role.MODERATOR),
            }.get(key)
            if role:
                organisation_role_grant(user=user, organisation=role[0], role=role[1])
            if key == "board":
                user.groups.add(board)
            rows.append((email, display_name, description))
        return rows

    def _consultations(self, organisations) -> int:
        created = 0
        for org_slug, slug, title, state, tags, mode, summary, text, results in CONSULTATIONS:
            index = ConsultationIndexPage.objects.get(organisation=organisations[org_slug])
            if ConsultationPage.objects.child_of(index).filter(slug=slug).exists():
                continue
            page = ConsultationPage(
                title=title,
                slug=slug,
                summary=summary,
                moderation_mode=mode,
                body=[("paragraph", RichText(f"<p>{text}</p>"))],
                results_summary=results,
            )
            for phase in _phases(state):
                page.phases.add(ConsultationPhase(**phase))
            page.tags.add(*[TAGS[tag] for tag in tags])
            for spec in POLLS.get(slug, []):
                poll = Poll(**{k: v for k, v in spec.items() if k not in ("options", "votes")})
                for number, text in enumerate(spec["options"]):
                    poll.choices.add(PollChoice(text=text, sort_order=number))
                page.polls.add(poll)
            index.add_child(instance=page)
            page.save_revision().publish()
            created += 1
            self._poll_votes(page)
        return created

    def _poll_votes(self, page) -> None:
        """Votes of the demo people: through the service while voting is open; for a
        finished consultation, as they were stored when it ran."""
        people = list(get_user_model().objects.filter(email__endswith=".example").order_by("pk"))
        specs = {spec["question"]: spec for spec in POLLS.get(page.slug, [])}
        for poll in page.polls.all():
            ballots = specs.get(poll.question, {}).get("votes", [])
            choices = list(poll.choices.all())
            for person, ballot in zip(people, ballots, strict=False):
                if poll.is_closed():
                    vote = PollVote.objects.create(poll=poll, user=person)
                    PollAnswer.objects.bulk_create(
                        PollAnswer(vote=vote, poll=poll, choice=choices[n]) for n in ballot
                    )
                elif poll.kind == Poll.Kind.RANKING:
                    ranks = {choices[n].pk: place for place, n in enumerate(ballot, start=1)}
                    poll_vote_cast(user=person, poll=poll, ranks=ranks)
                elif poll.kind == Poll.Kind.RATING:
                    ratings = {choices[n].pk: rating for n, rating in enumerate(ballot)}
                    poll_vote_cast(user=person, poll=poll, ratings=ratings)
                else:
                    poll_vote_cast(user=person, poll=poll, choices=[choices[n].pk for n in ballot])

    def _proposals(self, organisations) -> None:
        """A few proposals with supports and official feedback where the phase opens them."""
        User = get_user_model()
        emails = {row[6] for row in PROPOSALS} | {e for row in PROPOSALS for e in row[7]}
        emails.add("pressestelle@musterstadt.example")
        emails.add("admin@allmende.example")
        people = {user.email: user for user in User.objects.filter(email__in=emails)}
        for org_slug, slug, title, body, tags, location, author, supporters, answer in PROPOSALS:
            index = ConsultationIndexPage.objects.get(organisation=organisations[org_slug])
            page = ConsultationPage.objects.child_of(index).filter(slug=slug).specific().first()
            phase = page.current_phase() if page else None
            if page is None or phase is None or not phase.allows("propose"):
                continue
            if Proposal.objects.filter(consultation=page, title=title).exists():
                continue
            proposal = proposal_create(
                author=people[author],
                consultation=page,
                title=title,
                body=body,
                tags=tags,
                location=location,
            )
            if proposal.moderation_status == ModerationStatus.PENDING:
                # A pre-moderated consultation: the platform admin approves the demo
                # proposal (the organisation's mandate is granted later, with governance).
                decision_create(
                    moderator=people["admin@allmende.example"],
                    target=proposal,
                    action=ModerationDecision.Action.APPROVE,
                    facts="Der Vorschlag entspricht der Netiquette.",
                )
                proposal.refresh_from_db()
            if phase.allows("support"):
                for email in supporters:
                    proposal_support(user=people[email], proposal=proposal)
            if answer:
                status, text = answer
                proposal_answer(
                    author=people["pressestelle@musterstadt.example"],
                    proposal=proposal,
                    status=status,
                    text=text,
                )

    def _draft_texts(self, organisations) -> None:
        """A draft text with numbered paragraphs and a few contributions on them."""
        for org_slug, slug, title, blocks, comments in DRAFT_TEXTS:
            index = ConsultationIndexPage.objects.get(organisation=organisations[org_slug])
            page = ConsultationPage.objects.child_of(index).filter(slug=slug).specific().first()
            if page is None:
                continue
            if not page.draft_text:
                page.draft_text_title = title
                page.draft_text = blocks
                page.save_revision().publish()
                page.refresh_from_db()
            if Comment.objects.filter(consultation=page, target_kind=TargetKind.PARAGRAPH).exists():
                continue
            paragraphs = page.draft_paragraphs()
            people = {user.email: user for user in get_user_model().objects.all()}
            for number, email, body, replies in comments:
                comment = comment_create(
                    author=people[email],
                    consultation=page,
                    body=body,
                    target=Target(TargetKind.PARAGRAPH, paragraphs[number - 1].block_id),
                )
                for reply_email, reply in replies:
                    comment_create(
                        author=people[reply_email], consultation=page, body=reply, parent=comment
                    )

    def _proposal_comments(self, organisations) -> None:
        people = {user.email: user for user in get_user_model().objects.all()}
        for proposal_title, email, body, official in PROPOSAL_COMMENTS:
            proposal = Proposal.objects.filter(title=proposal_title).first()
            if proposal is None:
                continue
            if Comment.objects.filter(
                target_kind=TargetKind.PROPOSAL, target_key=str(proposal.pk), body=body
            ).exists():
                continue
            comment_create(
                author=people[email],
                consultation=proposal.consultation,
                body=body,
                official=official,
                target=Target(TargetKind.PROPOSAL, str(proposal.pk)),
            )

    def _content_pages(self, home) -> None:
        pages = {
            "impressum": (
                "Impressum",
                "Angaben gemäß § 5 DDG.",
                "<p>Allmende eG, Musterstraße 1, 12345 Musterstadt. Vertreten durch den Vorstand. "
                "Registergericht: Amtsgericht Musterstadt, GnR 123.</p>",
            ),
            "datenschutz": (
                "Datenschutzerklärung",
                "Wie Allmende mit Ihren Daten umgeht.",
                "<p>Sie beteiligen sich unter einem Anzeigenamen. Ihre E-Mail-Adresse sehen nur Sie "
                "und, wenn nötig, die Administration. Diese Seite lädt nichts von fremden Servern.</p>",
            ),
        }
        found = {}
        for slug, (title, intro, body) in pages.items():
            page = ContentPage.objects.child_of(home).filter(slug=slug).first()
            if page is None:
                page = ContentPage(
                    title=title, slug=slug, intro=intro, body=[("paragraph", RichText(body))]
                )
                home.add_child(instance=page)
                page.save_revision().publish()
            found[slug] = page
        settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
        settings.imprint_page = found["impressum"]
        settings.privacy_page = found["datenschutz"]
        settings.save()

    def _second_factors(self) -> dict[str, str]:
        """A TOTP authenticator for each demo staff account (kept once made, so that an
        authenticator app set up for it keeps working); their secrets by e-mail address."""
        found = {}
        staff = [email for email, _name, key, _description in PEOPLE if key in STAFF_KEYS]
        for user in get_user_model().objects.filter(email__in=staff).order_by("pk"):
            authenticator = Authenticator.objects.filter(
                user=user, type=Authenticator.Type.TOTP
            ).first()
            if authenticator is None:
                secret = base64.b32encode(secrets.token_bytes(20)).decode()
                authenticator = Authenticator.objects.create(
                    user=user, type=Authenticator.Type.TOTP, data={"secret": encrypt(secret)}
                )
            found[user.email] = decrypt(authenticator.data["secret"])
        return found

    def _print_second_factors(self, found: dict[str, str]) -> None:
        self.stdout.write(
            "Staff accounts act only with a second factor. Add the key to an authenticator "
            "app, or print the current code with "
            "`DEBUG=1 .venv/bin/python manage.py demo_totp_code EMAIL`:"
        )
        for email, secret in found.items():
            self.stdout.write(f"  {email:<36} {secret}")

    def _print_accounts(self, rows, created: int) -> None:
        self.stdout.write(
            self.style.SUCCESS(f"Demo content ready ({created} consultations added).")
        )
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
        for email, display_name, description in rows:
            self.stdout.write(f"  {email:<36} {display_name:<26} {description}")
        base = django_settings.WAGTAILADMIN_BASE_URL.rstrip("/")
        self.stdout.write(f"Log in at {base}/konto/login/ · editorial: {base}/admin/")
