"""The open-data catalogue in DCAT-AP.de (what GovData harvests), as Turtle and JSON-LD.

One dcat:Catalog for the platform; one dcat:Dataset per public consultation, published by
its organisation, with a JSON and a CSV distribution; one dataset for the platform's full
export. Licence and contributor id come from settings (OPEN_DATA_LICENCE,
OPEN_DATA_CONTRIBUTOR_ID, OPEN_DATA_PUBLISHER).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, XSD

from participation.api import selectors

DCATDE = Namespace("http://dcat-ap.de/def/dcatde/")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
FILE_TYPE = Namespace("http://publications.europa.eu/resource/authority/file-type/")
THEME = Namespace("http://publications.europa.eu/resource/authority/data-theme/")
LANGUAGE = URIRef("http://publications.europa.eu/resource/authority/language/DEU")


@dataclass(frozen=True)
class Licence:
    key: str
    uri: str
    attribution: bool  # dl-de/by and CC BY want the attribution text


LICENCES = {
    "dl-by-de/2.0": Licence("dl-by-de/2.0", "http://dcat-ap.de/def/licenses/dl-by-de/2.0", True),
    "cc-by/4.0": Licence("cc-by/4.0", "http://dcat-ap.de/def/licenses/cc-by/4.0", True),
}


def licence() -> Licence:
    return LICENCES[getattr(settings, "OPEN_DATA_LICENCE", "dl-by-de/2.0")]


def _base(request) -> str:
    return request.build_absolute_uri("/")[:-1]


def _default_url(request, name: str, *args) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return _base(request) + reverse(name, args=args)


def _distribution(graph, request, dataset, *, url: str, fmt: str, title: str, publisher: str):
    node = URIRef(f"{url}#distribution")
    media = {"JSON": "application/json", "CSV": "text/csv"}[fmt]
    graph.add((dataset, DCAT.distribution, node))
    graph.add((node, RDF.type, DCAT.Distribution))
    graph.add((node, DCTERMS.title, Literal(title, lang="de")))
    graph.add((node, DCAT.accessURL, URIRef(url)))
    graph.add((node, DCAT.downloadURL, URIRef(url)))
    graph.add((node, DCTERMS.format, FILE_TYPE[fmt]))
    graph.add(
        (node, DCAT.mediaType, URIRef(f"https://www.iana.org/assignments/media-types/{media}"))
    )
    graph.add((node, DCTERMS.license, URIRef(licence().uri)))
    if licence().attribution:
        graph.add((node, DCATDE.licenseAttributionByText, Literal(publisher, lang="de")))


def _agent(graph, uri: str, name: str) -> URIRef:
    node = URIRef(uri)
    graph.add((node, RDF.type, FOAF.Organization))
    graph.add((node, FOAF.name, Literal(name, lang="de")))
    return node


def catalogue_graph(request) -> Graph:
    graph = Graph()
    for prefix, namespace in (
        ("dcat", DCAT),
        ("dct", DCTERMS),
        ("dcatde", DCATDE),
        ("foaf", FOAF),
        ("vcard", VCARD),
    ):
        graph.bind(prefix, namespace)
    base = _base(request)
    contributor = URIRef(
        getattr(settings, "OPEN_DATA_CONTRIBUTOR_ID", "") or f"{base}/offene-daten/#contributor"
    )
    operator_name = getattr(settings, "OPEN_DATA_PUBLISHER", "Allmende eG")
    operator = _agent(graph, f"{base}/#operator", operator_name)
    catalogue = URIRef(_default_url(request, "open_data_catalogue", "ttl"))
    graph.add((catalogue, RDF.type, DCAT.Catalog))
    graph.add((catalogue, DCTERMS.title, Literal(_("Allmende: open data"), lang="de")))
    graph.add(
        (
            catalogue,
            DCTERMS.description,
            Literal(
                _("Consultations, contributions, proposals and polls of the platform."), lang="de"
            ),
        )
    )
    graph.add((catalogue, DCTERMS.publisher, operator))
    graph.add((catalogue, FOAF.homepage, URIRef(f"{base}/")))
    graph.add((catalogue, DCTERMS.language, LANGUAGE))

    pages = list(selectors.public_consultations().order_by("pk"))
    selectors.attach_areas(pages)
    for page in pages:
        with translation.override(settings.LANGUAGE_CODE):
            landing = request.build_absolute_uri(page.get_url(request))
        dataset = URIRef(f"{landing}#dataset")
        organisation = page.organisation
        publisher_name = organisation.name if organisation else operator_name
        publisher = (
            _agent(graph, f"{base}/api/v1/organisations/{organisation.pk}/", organisation.name)
            if organisation
            else operator
        )
        graph.add((catalogue, DCAT.dataset, dataset))
        graph.add((dataset, RDF.type, DCAT.Dataset))
        graph.add((dataset, DCTERMS.title, Literal(page.title, lang="de")))
        graph.add((dataset, DCTERMS.description, Literal(page.summary or page.title, lang="de")))
        graph.add((dataset, DCTERMS.identifier, Literal(landing)))
        graph.add((dataset, DCTERMS.publisher, publisher))
        graph.add((dataset, DCATDE.contributorID, contributor))
        graph.add((dataset, DCAT.landingPage, URIRef(landing)))
        graph.add((dataset, DCAT.theme, THEME.GOVE))
        graph.add((dataset, DCTERMS.language, LANGUAGE))
        if page.first_published_at:
            graph.add(
                (dataset, DCTERMS.issued, Literal(page.first_published_at, datatype=XSD.dateTime))
            )
        if page.last_published_at:
            graph.add(
                (dataset, DCTERMS.modified, Literal(page.last_published_at, datatype=XSD.dateTime))
            )
        for tag in page.tags.all():
            graph.add((dataset, DCAT.keyword, Literal(tag.name, lang="de")))
        contact = BNode()
        graph.add((dataset, DCAT.contactPoint, contact))
        graph.add((contact, RDF.type, VCARD.Organization))
        graph.add((contact, VCARD.fn, Literal(publisher_name, lang="de")))
        _distribution(
            graph,
            request,
            dataset,
            url=_default_url(request, "consultation_export", page.pk, "json"),
            fmt="JSON",
            title=_("All public content as JSON"),
            publisher=publisher_name,
        )
        _distribution(
            graph,
            request,
            dataset,
            url=_default_url(request, "consultation_export", page.pk, "csv"),
            fmt="CSV",
            title=_("All public content as CSV"),
            publisher=publisher_name,
        )

    platform = URIRef(f"{base}/offene-daten/#dataset")
    graph.add((catalogue, DCAT.dataset, platform))
    graph.add((platform, RDF.type, DCAT.Dataset))
    graph.add((platform, DCTERMS.title, Literal(_("Allmende: all public content"), lang="de")))
    graph.add(
        (
            platform,
            DCTERMS.description,
            Literal(
                _("Every public consultation with its contributions, proposals and polls."),
                lang="de",
            ),
        )
    )
    graph.add((platform, DCTERMS.publisher, operator))
    graph.add((platform, DCATDE.contributorID, contributor))
    graph.add((platform, DCAT.theme, THEME.GOVE))
    for fmt, name in (("JSON", "allmende.json"), ("CSV", "allmende.csv")):
        _distribution(
            graph,
            request,
            platform,
            url=f"{base}{settings.MEDIA_URL}open-data/{name}",
            fmt=fmt,
            title=_("Full export (%(format)s)") % {"format": fmt},
            publisher=operator_name,
        )
    return graph


FORMATS = {
    "ttl": ("turtle", "text/turtle; charset=utf-8"),
    "jsonld": ("json-ld", "application/ld+json; charset=utf-8"),
}


@require_GET
def catalogue_view(request, fmt: str):
    if fmt not in FORMATS:
        raise Http404
    rdf_format, content_type = FORMATS[fmt]
    body = catalogue_graph(request).serialize(format=rdf_format)
    response = HttpResponse(body, content_type=content_type)
    response["Cache-Control"] = "public, max-age=300"
    return response
