"""Small files of each kind coopcare keeps (and some it refuses), for the document tests."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(17)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(20) + b"\xff\xd9"
HTML = b"<!doctype html><script>alert(1)</script>"
EXE = b"MZ\x90\x00" + bytes(60)


def odt() -> bytes:
    """An OpenDocument text: its ``mimetype`` entry first and stored, as the standard says."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr(
            zipfile.ZipInfo("mimetype"),
            "application/vnd.oasis.opendocument.text",
            compress_type=zipfile.ZIP_STORED,
        )
        package.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


def docx() -> bytes:
    """A WordprocessingML package: its content types and its main document part."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def plain_zip() -> bytes:
    """A ZIP archive that is neither an ODT nor a DOCX."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("notes.txt", "hello")
    return buffer.getvalue()


def upload(content: bytes = PDF, name: str = "consent.pdf", content_type: str = "application/pdf"):
    """An uploaded file as a request hands it to a view or the API."""
    return SimpleUploadedFile(name, content, content_type=content_type)


def crafted_docx(**changes: int) -> bytes:
    """A DOCX whose first central directory entry has the bytes at the given offsets (named
    ``at_<offset>``) or-ed with the given values."""
    content = bytearray(docx())
    entry = content.find(b"PK\x01\x02")
    for name, value in changes.items():
        content[entry + int(name.removeprefix("at_"))] |= value
    return bytes(content)


# A version of the ZIP format zipfile does not read (at 6, the version needed), and a name
# flagged UTF-8 (bit 11 of the flags, at 8) that is not UTF-8 (the name begins at 46).
CRAFTED_ZIPS = {
    "version": crafted_docx(at_6=200),
    "name": crafted_docx(at_9=0x08, at_46=0xFF),
}
