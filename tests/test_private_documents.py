"""A document in a restricted collection is read only through Wagtail's serve view.

The attack: a document was uploaded into a collection with a password or a login
restriction; the serve view refused it, but the file's own address under /media/ (served
by the proxy in production and by Django under DEBUG) handed it to anyone who knew or
guessed its name.
"""

import re
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.urls import Resolver404, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction

from config.urls import media_urlpatterns

SECRET = b"%PDF-1.4 Protokoll der nichtoeffentlichen Sitzung"


@pytest.fixture
def restricted_document(db):
    root = Collection.get_first_root_node()
    collection = root.add_child(name="Nichtoeffentlich")
    CollectionViewRestriction.objects.create(
        collection=collection,
        restriction_type=CollectionViewRestriction.PASSWORD,
        password="geheim-genug",
    )
    document = get_document_model()(title="Protokoll", collection=collection)
    document.file.save("protokoll.pdf", ContentFile(SECRET), save=False)
    document.save()
    return document


def test_the_serve_view_asks_the_collection_first(client, restricted_document):
    response = client.get(restricted_document.url)
    assert response.status_code == 200  # the password form, not the file
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert SECRET not in body
    assert response.get("Content-Disposition") is None


def test_links_point_to_the_serve_view_never_to_the_file(restricted_document):
    assert restricted_document.url.startswith("/documents/")
    assert "/media/" not in restricted_document.url


def _media_resolver() -> URLResolver:
    return URLResolver(RegexPattern(r"^/"), media_urlpatterns())


def test_the_development_server_does_not_serve_documents_by_their_file(restricted_document):
    resolver = _media_resolver()
    with pytest.raises(Resolver404):
        resolver.resolve(f"/media/{restricted_document.file.name}")
    # Images and other uploads are still served under DEBUG.
    assert resolver.resolve("/media/original_images/rathaus.jpg").kwargs == {
        "path": "original_images/rathaus.jpg",
        "document_root": resolver.url_patterns[0].default_args["document_root"],
    }


def test_the_test_settings_do_not_serve_media_at_all(restricted_document):
    with pytest.raises(Resolver404):
        get_resolver().resolve(f"/media/{restricted_document.file.name}")


def test_the_documented_proxy_refuses_document_files():
    deployment = (Path(__file__).resolve().parent.parent / "docs" / "deployment.md").read_text()
    nginx = deployment.split("```nginx", 1)[1].split("```", 1)[0]
    assert re.search(r"location /media/documents/\s*\{\s*return 404;\s*\}", nginx)
    assert re.search(r"location /media/\s*\{", nginx)
