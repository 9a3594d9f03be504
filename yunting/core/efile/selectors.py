"""Reads of the e-file (电子卷宗): the catalogue as a caller may see it."""

from __future__ import annotations

from dataclasses import dataclass, field

from yunting.kernel.search.engine import search_ids

from .models import CatalogSection, Document, Volume


@dataclass
class CatalogNode:
    """One section of the catalogue with the documents filed in it, in order."""

    section: CatalogSection
    documents: list[Document] = field(default_factory=list)


@dataclass
class CatalogVolume:
    code: str
    label: str
    sections: list[CatalogNode] = field(default_factory=list)


def efile_documents_for(case, *, include_secondary: bool, q: str = ""):
    """The case's documents in catalogue order; 副卷 only when asked; `q` searches titles and text (Chinese-aware)."""
    qs = Document.objects.filter(case=case).select_related("section", "blob", "entry")
    if not include_secondary:
        qs = qs.exclude(section__volume=Volume.SECONDARY)
    if q.strip():
        qs = qs.filter(pk__in=search_ids(scope="document", query=q, group_id=case.pk))
    return qs.order_by("section__volume", "section__code", "id")


def efile_catalog_for(case, *, include_secondary: bool, q: str = "") -> list[CatalogVolume]:
    """The three-level catalogue (volume → section → document) of one case.

    Every section of the case type is listed, even empty ones, so a reader sees where material will land; the
    secondary volume (副卷) appears only with include_secondary — callers decide that from the case access.
    """
    sections = CatalogSection.objects.filter(case_type_id=case.case_type_id)
    if not include_secondary:
        sections = sections.exclude(volume=Volume.SECONDARY)
    nodes = {s.pk: CatalogNode(section=s) for s in sections.order_by("volume", "code")}
    for doc in efile_documents_for(case, include_secondary=include_secondary, q=q):
        nodes.setdefault(doc.section_id, CatalogNode(section=doc.section)).documents.append(doc)
    for node in nodes.values():
        node.documents = efile_latest_versions(node.documents)
    volumes = {v: CatalogVolume(code=v, label=str(label)) for v, label in Volume.choices}
    for node in sorted(nodes.values(), key=lambda n: (n.section.volume, n.section.code)):
        volumes[node.section.volume].sections.append(node)
    return [v for v in volumes.values() if v.sections or v.code == Volume.MAIN]


PAPER_ENTRY_KINDS = ("papers.issued", "papers.signed", "papers.sealed", "papers.handsigned")


def efile_latest_versions(documents: list[Document]) -> list[Document]:
    """One document per court paper: its latest signed version, in the place of its first, carrying the earlier
    versions (each still its own Document, on the ledger) newest first in `.history`, the paper's own title in
    `.paper_title` and what each version added in `.version_label`. Other documents pass through unchanged."""
    groups: dict[int, list[Document]] = {}
    order: list[Document | int] = []
    for doc in documents:
        doc.history, doc.paper_title, doc.version_label = [], doc.title, _version_label(doc)
        paper_id = (doc.entry.payload or {}).get("paper_id") if doc.entry.kind in PAPER_ENTRY_KINDS else None
        if paper_id is None:
            order.append(doc)
            continue
        if paper_id not in groups:
            groups[paper_id] = []
            order.append(paper_id)
        groups[paper_id].append(doc)
    out = []
    for item in order:
        if isinstance(item, Document):
            out.append(item)
            continue
        versions = sorted(groups[item], key=lambda d: d.pk)
        latest = versions[-1]
        latest.paper_title = versions[0].title  # the title as issued, without a signing step's suffix
        latest.history = list(reversed(versions[:-1]))
        out.append(latest)
    return out


def _version_label(doc: Document) -> str:
    from django.utils.translation import gettext as _

    payload = doc.entry.payload or {}
    if doc.entry.kind == "papers.issued":
        return _("Issued")
    return str(payload.get("slot_label") or doc.entry.kind)


def efile_secondary_hashes(case) -> set[str]:
    """SHA-256 of the case's 副卷 documents: what a caller without VIEW_SECONDARY must not be shown."""
    return set(
        Document.objects.filter(case=case, section__volume=Volume.SECONDARY).values_list("blob_id", flat=True)
    )
