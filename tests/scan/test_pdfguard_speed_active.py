"""The structural pass's walks over every object (`pdfguard._active`, `pdfguard._dangling`) find active content and
lost references wherever they sit: in a direct dictionary nested in another object (walked) and in an indirect
object of its own (read from the PDF's object list). Built with pikepdf, so each kind is one small edit of a blank
page; test_guard covers the same kinds written out by hand, through the whole check."""

from __future__ import annotations

import io

import pikepdf
import pytest

from yunting.kernel.scan import FindingCode, pdfguard

JS = pikepdf.String("app.alert(1)")


def _save(pdf: pikepdf.Pdf) -> bytes:
    out = io.BytesIO()
    pdf.save(out, compress_streams=False, object_stream_mode=pikepdf.ObjectStreamMode.disable)
    return out.getvalue()


def _placed(pdf: pikepdf.Pdf, obj, indirect: bool):
    return pdf.make_indirect(obj) if indirect else obj


def _annotate(pdf: pikepdf.Pdf, annotation: pikepdf.Dictionary, indirect: bool) -> None:
    """An annotation on the page: in its /Annots array itself (direct) or as an object of its own."""
    annotation.Type, annotation.Rect = pikepdf.Name.Annot, [0, 0, 100, 100]
    pdf.pages[0].obj.Annots = pikepdf.Array([_placed(pdf, annotation, indirect)])


def openaction_js(pdf, indirect):
    pdf.Root.OpenAction = _placed(pdf, pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=JS), indirect)


def annotation_launch(pdf, indirect):
    action = _placed(pdf, pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("cmd.exe")), indirect)
    _annotate(pdf, pikepdf.Dictionary(Subtype=pikepdf.Name.Link, A=action), indirect)


def embedded_files_tree(pdf, indirect):
    tree = _placed(pdf, pikepdf.Dictionary(Names=pikepdf.Array()), indirect)
    pdf.Root.Names = _placed(pdf, pikepdf.Dictionary(EmbeddedFiles=tree), indirect)


def acroform_xfa(pdf, indirect):
    xfa = pikepdf.Array([pikepdf.String("template"), pdf.make_stream(b"<template/>")])
    pdf.Root.AcroForm = _placed(pdf, pikepdf.Dictionary(Fields=pikepdf.Array(), XFA=xfa), indirect)


def richmedia_annotation(pdf, indirect):
    _annotate(pdf, pikepdf.Dictionary(Subtype=pikepdf.Name.RichMedia), indirect)


def file_attachment_annotation(pdf, indirect):
    _annotate(pdf, pikepdf.Dictionary(Subtype=pikepdf.Name.FileAttachment, FS=pikepdf.String("x.bat")), indirect)


def embedded_file_stream(pdf, indirect):
    """A stream is always an object of its own: reached from the catalog, or from a direct dictionary in it."""
    data = pdf.make_stream(b"MZ" + b"\x00" * 64, Type=pikepdf.Name.EmbeddedFile)
    pdf.Root.Extra = data if indirect else pikepdf.Dictionary(Inner=pikepdf.Array([pikepdf.Dictionary(F=data)]))


KINDS = [
    (openaction_js, FindingCode.PDF_JAVASCRIPT, {"JavaScript", "JS"}),
    (annotation_launch, FindingCode.PDF_LAUNCH, {"Launch"}),
    (embedded_files_tree, FindingCode.PDF_EMBEDDED_FILE, {"EmbeddedFiles"}),
    (acroform_xfa, FindingCode.PDF_XFA, {"XFA"}),
    (richmedia_annotation, FindingCode.PDF_ACTIVE_CONTENT, {"RichMedia"}),
    (file_attachment_annotation, FindingCode.PDF_EMBEDDED_FILE, {"FileAttachment"}),
    (embedded_file_stream, FindingCode.PDF_EMBEDDED_FILE, {"EmbeddedFile"}),
]


def _built(add, indirect: bool) -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    add(pdf, indirect)
    return _save(pdf)


@pytest.mark.parametrize("indirect", [False, True], ids=["direct", "indirect"])
@pytest.mark.parametrize(("add", "code", "names"), KINDS, ids=[k[0].__name__ for k in KINDS])
def test_active_content_is_found_direct_and_indirect(add, code, names, indirect):
    data = _built(add, indirect)
    problems, pages = pdfguard.structure(data)
    assert [p.code for p in problems] == [code]
    assert problems[0].data["name"] in names
    assert pages is None
    assert pdfguard.prescan(data) == ([], True)  # and the raw pre-scan sends it to this pass


def test_a_blank_page_has_no_active_content():
    pdf = pikepdf.new()
    pdf.add_blank_page()
    assert pdfguard.structure(_save(pdf))[0] == []
    with pikepdf.open(io.BytesIO(_save(pdf))) as opened:
        assert pdfguard._active(opened, pikepdf) == []


def _edited(replace: dict[bytes, bytes]) -> pikepdf.Pdf:
    """A blank page whose catalog is written out by hand (what pikepdf would not build)."""
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.Root.Extra = pikepdf.Dictionary(Marker=1)
    data = _save(pdf)
    for old, new in replace.items():
        assert old in data
        data = data.replace(old, new)
    return pikepdf.open(io.BytesIO(data))


def test_a_key_whose_value_is_null_or_lost_is_absent():
    """`/XFA null` and a reference to an object that is not there are no XFA form (PDF: a null value is no entry)."""
    with _edited({b"/Marker 1": b"/Marker 1 /XFA null /JS 99 0 R /EF [] "}) as pdf:
        assert [p.code for p in pdfguard._active(pdf, pikepdf)] == [FindingCode.PDF_EMBEDDED_FILE]


def test_a_dictionarys_keys_are_reported_before_its_action():
    with _edited({b"/Marker 1": b"/Marker 1 /S /SubmitForm /XFA [] "}) as pdf:
        found = pdfguard._active(pdf, pikepdf)
    assert [(p.code, p.data["name"]) for p in found] == [(FindingCode.PDF_XFA, "XFA"),
                                                         (FindingCode.PDF_ACTIVE_CONTENT, "SubmitForm")]
    assert "SubmitForm" in found[1].message


def test_parent_links_and_huge_arrays_are_not_walked():
    """/Parent and /P point back up a tree (walked from there); an array of thousands of items is data."""
    huge = b"[" + b"0 " * 5000 + b"<< /S /Launch >> ]"
    with _edited({b"/Marker 1": b"/Marker 1 /P << /S /Launch >> /Big " + huge}) as pdf:
        assert pdfguard._active(pdf, pikepdf) == []


def test_references_to_unknown_objects_are_found_in_direct_dictionaries_and_arrays():
    """`_dangling` reports references (in direct structures, at any depth) to objects outside the cross-reference
    table it is given; what it references is not followed, and a null value is no reference."""
    pdf = pikepdf.new()
    pdf.add_blank_page()
    first, second = pdf.make_indirect(pikepdf.Dictionary(N=1)), pdf.make_indirect(pikepdf.Array([1]))
    pdf.Root.Extra = pikepdf.Dictionary(Deep=pikepdf.Array([1, pikepdf.Dictionary(Gone=first), second]))
    with pikepdf.open(io.BytesIO(_save(pdf))) as saved:
        inner = saved.Root.Extra.Deep
        lost = [inner[1].Gone.objgen, inner[2].objgen]
        known = set(saved.get_xref_table())
        assert pdfguard._dangling(saved, known, pikepdf) == []
        assert pdfguard._dangling(saved, known - set(lost), pikepdf) == [f"object {objgen} missing" for objgen in lost]
