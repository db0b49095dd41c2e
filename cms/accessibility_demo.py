"""Demo pages for BITV 2.0: the Easy Read page (Leichte Sprache, § 4), the sign-language
page (DGS, § 4; its video is left for the operator to upload, so it says the video is in
preparation) and the accessibility statement with its feedback form (§ 7). Linked from
the site settings, so that every footer and the start page lead to them.

Runs again without changing what exists. An earlier demo made the statement a plain
content page under the same address; that page is replaced by the statement page."""

from __future__ import annotations

import datetime

from wagtail.models import Page, Site
from wagtail.rich_text import RichText

from cms.models import (
    AccessibilityBarrier,
    AccessibilityStatementPage,
    AssessmentMethod,
    ConformanceStatus,
    ContentPage,
    EasyLanguagePage,
    HomePage,
    SignLanguagePage,
    SiteSettings,
)

STATEMENT_SLUG = "barrierefreiheit"
EASY_READ_SLUG = "leichte-sprache"
SIGN_LANGUAGE_SLUG = "gebaerdensprache"


def _heading(text: str) -> tuple[str, dict]:
    return ("heading", {"text": text, "level": "h2"})


def _paragraph(html: str) -> tuple[str, RichText]:
    return ("paragraph", RichText(html))


def _sentences(*lines: str) -> tuple[str, RichText]:
    """One statement per line, as Leichte Sprache asks: each its own paragraph."""
    return _paragraph("".join(f"<p>{line}</p>" for line in lines))


def _list(*items: str, ordered: bool = False) -> tuple[str, RichText]:
    tag = "ol" if ordered else "ul"
    return _paragraph(f"<{tag}>" + "".join(f"<li>{item}</li>" for item in items) + f"</{tag}>")


def _link(page: Page, text: str) -> str:
    return f'<a linktype="page" id="{page.pk}">{text}</a>'


def easy_read_german(*, statement: Page, email: str) -> list:
    return [
        _heading("Willkommen bei Allmende"),
        _sentences(
            "Allmende ist eine Internet-Seite.",
            "Hier können Sie mit-reden.",
            "Und Sie können mit-bestimmen.",
            "Es geht um Ihre Stadt oder um Ihren Kreis.",
            "Das nennt man: <strong>Bürger-Beteiligung</strong>.",
        ),
        _heading("Wer macht Allmende?"),
        _sentences(
            "Allmende gehört einer <strong>Genossenschaft</strong>.",
            "Eine Genossenschaft ist eine Gruppe von Menschen.",
            "Die Menschen haben zusammen eine Firma.",
            "Und sie bestimmen zusammen über die Firma.",
            "In der Genossenschaft von Allmende sind:",
        ),
        _list(
            "Bürgerinnen und Bürger",
            "Verwaltungen. Eine Verwaltung ist zum Beispiel das Rat-Haus.",
            "Parteien",
        ),
        _sentences(
            "Alle Gruppen bestimmen gemeinsam.",
            "Die Mitglieder stimmen über die Regeln von Allmende ab.",
        ),
        _heading("Das können Sie hier machen"),
        _paragraph("<p><strong>Beteiligungen lesen</strong></p>"),
        _sentences(
            "Eine Verwaltung fragt die Bürgerinnen und Bürger nach ihrer Meinung.",
            "Zum Beispiel: Wo soll der neue Rad-Weg hin?",
            "Das nennt man: <strong>Beteiligung</strong>.",
            "Jeder Mensch kann alle Beteiligungen lesen.",
            "Das geht auch ohne Anmeldung.",
        ),
        _paragraph("<p><strong>Beiträge schreiben</strong></p>"),
        _sentences(
            "Sie schreiben Ihre Meinung zu einer Beteiligung.",
            "Das nennt man: <strong>Beitrag</strong>.",
            "Andere Menschen lesen Ihren Beitrag.",
            "Andere Menschen können auf Ihren Beitrag antworten.",
        ),
        _paragraph("<p><strong>Bei Umfragen mit-machen</strong></p>"),
        _sentences(
            "Bei einer <strong>Umfrage</strong> gibt es eine Frage und mehrere Antworten.",
            "Sie wählen eine Antwort aus.",
            "Jede Stimme zählt genau 1 Mal.",
        ),
        _paragraph("<p><strong>Vorschläge machen</strong></p>"),
        _sentences(
            "Haben Sie eine Idee?",
            "Dann schreiben Sie einen <strong>Vorschlag</strong>.",
            "Andere Menschen können Ihren Vorschlag unterstützen.",
            "Die Verwaltung prüft Ihren Vorschlag.",
            "Danach antwortet die Verwaltung auf Ihren Vorschlag.",
        ),
        _paragraph("<p><strong>Schlechte Beiträge melden</strong></p>"),
        _sentences(
            "Manche Beiträge sind gemein.",
            "Oder ein Beitrag ist gegen das Gesetz.",
            "Dann klicken Sie bei dem Beitrag auf: <strong>Melden</strong>.",
            "Eine Moderatorin oder ein Moderator prüft dann den Beitrag.",
            "Eine Moderatorin oder ein Moderator achtet auf die Regeln bei Allmende.",
            "Die Regeln heißen: <strong>Netiquette</strong>. Man spricht das so: Netti-kett.",
        ),
        _paragraph("<p><strong>Bei der Genossenschaft mit-machen</strong></p>"),
        _sentences(
            "Sie können Mitglied in der Genossenschaft werden.",
            "Dann stimmen Sie über die Regeln von Allmende mit ab.",
            "Klicken Sie dafür oben auf: <strong>Genossenschaft</strong>.",
        ),
        _heading("So finden Sie sich zurecht"),
        _paragraph("<p><strong>Oben auf jeder Seite</strong></p>"),
        _list(
            "Oben links steht: <strong>Allmende</strong>. "
            "Damit kommen Sie immer zurück zur Start-Seite.",
            "Daneben ist das <strong>Menü</strong>. Das Menü ist eine Liste mit Links. "
            "Ein Link bringt Sie zu einer anderen Seite.",
            "<strong>Beteiligungen</strong>: Hier finden Sie alle Beteiligungen.",
            "<strong>Genossenschaft</strong>: Hier finden Sie alles über die Genossenschaft.",
            "<strong>Anmelden</strong>: Hier melden Sie sich mit Ihrem Konto an.",
            "<strong>Registrieren</strong>: Hier bekommen Sie ein neues Konto.",
            "Oben rechts ist die <strong>Suche</strong>. Schreiben Sie ein Wort in das Feld. "
            "Zum Beispiel: Rad-Weg. Dann klicken Sie auf: <strong>Suchen</strong>.",
            "Ganz oben steht: <strong>English</strong>. Damit bekommen Sie die Seite auf Englisch.",
        ),
        _paragraph("<p><strong>Unten auf jeder Seite</strong></p>"),
        _list(
            "<strong>Leichte Sprache</strong>: Das ist diese Seite.",
            "<strong>Gebärden-Sprache</strong>: Hier gibt es einen Film "
            "in Deutscher Gebärden-Sprache.",
            "<strong>Impressum</strong>: Hier steht, wer für Allmende verantwortlich ist.",
            "<strong>Daten-Schutz</strong>: Hier steht, was mit Ihren Daten passiert.",
            "<strong>Barriere-Freiheit</strong>: Hier steht, welche Teile von Allmende "
            "schwer zu benutzen sind. Hier können Sie uns auch schreiben.",
        ),
        _heading("So bekommen Sie ein Konto"),
        _sentences(
            "Lesen geht auch ohne Konto.",
            "Für Beiträge, Umfragen und Vorschläge brauchen Sie ein <strong>Konto</strong>.",
            "Ein Konto ist Ihr eigener Zugang zu Allmende.",
            "So bekommen Sie ein Konto:",
        ),
        _list(
            "Klicken Sie oben auf: <strong>Registrieren</strong>.",
            "Schreiben Sie Ihre E-Mail-Adresse in das Feld.",
            "Denken Sie sich einen <strong>Anzeige-Namen</strong> aus. "
            "Andere Menschen sehen diesen Namen bei Ihren Beiträgen. "
            "Sie können einen erfundenen Namen nehmen.",
            "Denken Sie sich ein <strong>Pass-Wort</strong> aus. "
            "Ein Pass-Wort ist ein geheimes Wort. Nur Sie kennen das Pass-Wort.",
            "Klicken Sie auf: <strong>Registrieren</strong>.",
            "Sie bekommen eine E-Mail. Klicken Sie in der E-Mail auf den Link.",
            "Fertig! Jetzt können Sie mit-machen.",
            ordered=True,
        ),
        _sentences("Ihre E-Mail-Adresse bleibt geheim."),
        _heading("Hier bekommen Sie Hilfe"),
        _sentences(
            "Haben Sie eine Frage?",
            "Oder brauchen Sie Hilfe?",
            f'Dann schreiben Sie uns eine E-Mail an: <a href="mailto:{email}">{email}</a>',
            "Sie können uns auch auf der Seite "
            + _link(statement, "Barriere-Freiheit")
            + " schreiben.",
            "Dort gibt es ein Feld für Ihre Nachricht.",
            "Wir antworten Ihnen so schnell wie möglich.",
        ),
    ]


def easy_read_english(*, statement: Page, email: str) -> list:
    return [
        _heading("Welcome to Allmende"),
        _sentences(
            "Allmende is a website.",
            "Here you can have your say.",
            "You can help to decide things.",
            "It is about your town or your district.",
            "This is called: <strong>citizen participation</strong>.",
        ),
        _heading("Who runs Allmende?"),
        _sentences(
            "Allmende belongs to a <strong>cooperative</strong>.",
            "A cooperative is a group of people.",
            "The people own a company together.",
            "They decide about the company together.",
            "These groups are in the cooperative of Allmende:",
        ),
        _list(
            "citizens",
            "administrations. An administration is for example the town hall.",
            "political parties",
        ),
        _sentences(
            "All groups decide together.",
            "The members vote on the rules of Allmende.",
        ),
        _heading("What you can do here"),
        _paragraph("<p><strong>Read consultations</strong></p>"),
        _sentences(
            "A town asks people what they think.",
            "For example: where should the new cycle path go?",
            "This is called a <strong>consultation</strong>.",
            "Everyone can read all consultations.",
            "You can read them without an account.",
        ),
        _paragraph("<p><strong>Write comments</strong></p>"),
        _sentences(
            "You write what you think about a consultation.",
            "This is called a <strong>comment</strong>.",
            "Other people read your comment.",
            "Other people can answer your comment.",
        ),
        _paragraph("<p><strong>Take part in polls</strong></p>"),
        _sentences(
            "A <strong>poll</strong> has a question and several answers.",
            "You choose one answer.",
            "Every vote counts exactly once.",
        ),
        _paragraph("<p><strong>Make proposals</strong></p>"),
        _sentences(
            "Do you have an idea?",
            "Then write a <strong>proposal</strong>.",
            "Other people can support your proposal.",
            "The town checks your proposal.",
            "Then the town answers your proposal.",
        ),
        _paragraph("<p><strong>Report bad comments</strong></p>"),
        _sentences(
            "Some comments are mean.",
            "Or a comment is against the law.",
            "Then click <strong>Report</strong> next to the comment.",
            "A moderator then checks the comment.",
            "A moderator is a person who looks after the rules of Allmende.",
            "The rules are called <strong>netiquette</strong>.",
        ),
        _paragraph("<p><strong>Join the cooperative</strong></p>"),
        _sentences(
            "You can become a member of the cooperative.",
            "Then you can vote on the rules of Allmende.",
            "Click <strong>Cooperative</strong> at the top of the page.",
        ),
        _heading("How to find your way"),
        _paragraph("<p><strong>At the top of every page</strong></p>"),
        _list(
            "At the top left it says <strong>Allmende</strong>. "
            "Click it to go back to the start page.",
            "Next to it is the <strong>menu</strong>. The menu is a list of links. "
            "A link takes you to another page.",
            "<strong>Consultations</strong>: here you find all consultations.",
            "<strong>Cooperative</strong>: here you find everything about the cooperative.",
            "<strong>Log in</strong>: here you log in with your account.",
            "<strong>Sign up</strong>: here you get a new account.",
            "At the top right is the <strong>search</strong>. Write a word in the box. "
            "For example: cycle path. Then click <strong>Search</strong>.",
            "At the very top it says <strong>Deutsch</strong>. "
            "Click it to see the pages in German.",
        ),
        _paragraph("<p><strong>At the bottom of every page</strong></p>"),
        _list(
            "<strong>Easy Read</strong>: this page.",
            "<strong>Sign language</strong>: a video in German Sign Language.",
            "<strong>Imprint</strong>: who is responsible for Allmende.",
            "<strong>Privacy policy</strong>: what happens with your data.",
            "<strong>Accessibility statement</strong>: which parts of Allmende are hard to "
            "use. You can also write to us there.",
        ),
        _heading("How to get an account"),
        _sentences(
            "You can read everything without an account.",
            "To write comments, take part in polls and make proposals you need an "
            "<strong>account</strong>.",
            "An account is your own way into Allmende.",
            "This is how you get an account:",
        ),
        _list(
            "Click <strong>Sign up</strong> at the top of the page.",
            "Write your e-mail address in the box.",
            "Think of a <strong>display name</strong>. "
            "Other people see this name with your comments. You can make up a name.",
            "Think of a <strong>password</strong>. A password is a secret word. Only you know it.",
            "Click <strong>Sign up</strong>.",
            "You get an e-mail. Click the link in the e-mail.",
            "Done! Now you can take part.",
            ordered=True,
        ),
        _sentences("Your e-mail address stays secret."),
        _heading("Where to get help"),
        _sentences(
            "Do you have a question?",
            "Or do you need help?",
            f'Then write us an e-mail: <a href="mailto:{email}">{email}</a>',
            "You can also write to us on the page "
            + _link(statement, "accessibility statement")
            + ".",
            "There is a box for your message there.",
            "We answer you as soon as we can.",
        ),
    ]


def accessibility_demo_content(home: HomePage) -> None:
    settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    email = settings.contact_email or "kontakt@allmende.example"
    statement = _statement(home)
    easy_read = EasyLanguagePage.objects.child_of(home).filter(slug=EASY_READ_SLUG).first()
    if easy_read is None:
        easy_read = EasyLanguagePage(
            title="Leichte Sprache",
            title_en="Easy Read",
            slug=EASY_READ_SLUG,
            body=easy_read_german(statement=statement, email=email),
            body_en=easy_read_english(statement=statement, email=email),
        )
        home.add_child(instance=easy_read)
        easy_read.save_revision().publish()
    sign_language = SignLanguagePage.objects.child_of(home).filter(slug=SIGN_LANGUAGE_SLUG).first()
    if sign_language is None:
        sign_language = SignLanguagePage(
            title="Deutsche Gebärdensprache",
            title_en="German Sign Language",
            slug=SIGN_LANGUAGE_SLUG,
            intro=(
                "In einem Video erklären wir in Deutscher Gebärdensprache (DGS), was Sie auf "
                "Allmende tun können und wie Sie sich auf der Website zurechtfinden."
            ),
            intro_en=(
                "In a video in German Sign Language (DGS) we explain what you can do on "
                "Allmende and how to find your way around the website."
            ),
        )
        home.add_child(instance=sign_language)
        sign_language.save_revision().publish()
    settings.accessibility_page = statement
    settings.easy_language_page = easy_read
    settings.sign_language_page = sign_language
    settings.save()


def _statement(home: HomePage) -> AccessibilityStatementPage:
    statement = AccessibilityStatementPage.objects.first()
    if statement is not None:
        return statement
    old = ContentPage.objects.child_of(home).filter(slug=STATEMENT_SLUG).first()
    if old is not None:
        old.delete()  # the earlier demo's plain page at the statement's address
    today = datetime.date.today()
    statement = AccessibilityStatementPage(
        title="Erklärung zur Barrierefreiheit",
        slug=STATEMENT_SLUG,
        intro=(
            "Die Allmende eG ist bemüht, ihre Beteiligungsplattform im Einklang mit der "
            "Barrierefreie-Informationstechnik-Verordnung (BITV 2.0) barrierefrei zugänglich "
            "zu machen. Diese Erklärung gilt für die gesamte Plattform."
        ),
        conformance=ConformanceStatus.PARTIAL,
        prepared_on=today,
        reviewed_on=today,
        method=AssessmentMethod.SELF,
        method_details=(
            "Selbstbewertung mit automatischen Prüfungen (axe-core) aller öffentlichen Seiten "
            "und Prüfungen mit Tastatur und Bildschirmlesern."
        ),
    )
    statement.barriers = [
        AccessibilityBarrier(
            part="Video in Deutscher Gebärdensprache",
            reason="Das Video ist in Arbeit und wird nachgereicht.",
            alternative="Die Seite in Leichter Sprache erklärt dieselben Inhalte.",
        ),
        AccessibilityBarrier(
            part="Ältere PDF-Dokumente in Beteiligungen",
            reason=(
                "Einige Dokumente, die Verwaltungen hochgeladen haben, sind nicht vollständig "
                "barrierefrei. Sie werden bei der nächsten Überarbeitung ersetzt."
            ),
            alternative=(
                "Auf Anfrage über das Formular unten senden wir Ihnen den Inhalt in einer "
                "barrierefreien Form."
            ),
        ),
    ]
    home.add_child(instance=statement)
    statement.save_revision().publish()
    return statement
