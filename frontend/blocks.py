"""StreamField blocks shared by every page type (home, content, consultation)."""

from django.core.exceptions import ValidationError
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageBlock


class FilledRichTextBlock(blocks.RichTextBlock):
    """A paragraph that holds text. An editor left empty in the admin arrives as an empty
    `<p>`, which counts as filled for Wagtail's required check when the page is submitted, but
    loads back as an empty editor whose value is missing: the second editor's approval in the
    page editor then failed on "this field is required" for a block they never touched, and
    the page stayed a draft (issue 14). Refused where it is made instead."""

    def clean(self, value):
        value = super().clean(value)
        if not strip_tags(value.source).replace("&nbsp;", "").strip():
            raise ValidationError(_("Write the paragraph, or remove the empty block."))
        return value


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Heading"), max_length=200)
    level = blocks.ChoiceBlock(
        label=_("Level"),
        choices=[("h2", _("Level 2")), ("h3", _("Level 3")), ("h4", _("Level 4"))],
        default="h2",
    )

    class Meta:
        icon = "title"
        template = "blocks/heading_block.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Quote"))
    source = blocks.CharBlock(label=_("Source"), required=False)

    class Meta:
        icon = "openquote"
        template = "blocks/quote_block.html"


class DocumentLinkBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Document"))
    title = blocks.CharBlock(label=_("Link text"), required=False)

    class Meta:
        icon = "doc-full"
        template = "blocks/document_link_block.html"


class BodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = FilledRichTextBlock(
        label=_("Paragraph"),
        features=["bold", "italic", "link", "document-link", "ol", "ul"],
        template="blocks/paragraph_block.html",
    )
    image = ImageBlock(label=_("Image"), template="blocks/image_block.html")
    quote = QuoteBlock()
    document = DocumentLinkBlock()


class DraftTextBlock(blocks.StreamBlock):
    """A draft text put up for review (Textentwurf): headings, and paragraphs (Absätze) that
    are numbered 1..n on display and commented on one by one. Comments refer to a paragraph
    by its block id, which Wagtail keeps when the text around it is edited or reordered."""

    heading = blocks.CharBlock(
        label=_("Section heading"), max_length=200, help_text=_("Not numbered, not commented.")
    )
    paragraph = FilledRichTextBlock(
        label=_("Paragraph"), features=["bold", "italic", "link", "ol", "ul"]
    )
