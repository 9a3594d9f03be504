"""Writing one volume's archive package: a BagIt directory (RFC 8493) with the court's signed manifest.

The documents are copied byte for byte from the blob store: the ledger proves those exact bytes, so converting
them to PDF/A would break every proof. They are kept as filed (PDFs produced or checked at intake, fonts embedded
by the platform's own papers) and the manifest says so (`documents_form`). The pages the archive adds — cover,
item catalogue (卷内目录) and 备考表 — are generated here as PDF/A-2b with fonts embedded.

The bag is written directly (the `bagit` package changes the process's working directory while it writes, which
a web server's threads cannot share); tests validate every package with `bagit.Bag(...).validate()`.
"""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
from dataclasses import dataclass
from datetime import datetime
from html import escape
from pathlib import Path

from django.utils import timezone

from yunting.kernel.blobs.store import blob_open
from yunting.kernel.common.timeutil import SHANGHAI
from yunting.kernel.ledger import keys
from yunting.kernel.ledger.bundle import make_bundle
from yunting.kernel.ledger.models import TreeHead
from yunting.kernel.ledger.selectors import ledger_proof_by_document
from yunting.kernel.ledger.sth import SignedTreeHead

from .bagcheck import FORMAT, MANIFEST, manifest_signing_bytes
from .selectors import VOLUME_LABELS, VolumeItem

BAGIT_TXT = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png", "image/tiff": "tif",
              "image/webp": "webp", "audio/mpeg": "mp3", "video/mp4": "mp4", "audio/wav": "wav"}
DOCUMENTS_FORM = ("Documents are kept byte-identical to the originals recorded in the ledger (their inclusion "
                  "proofs prove these bytes; a PDF/A conversion would not be the recorded document). Pages added by "
                  "the archive (cover, item catalogue, 备考表) are generated with fonts embedded.")


@dataclass
class Built:
    volume: str
    path: Path
    documents: int
    pages: int
    manifest: dict


def tree_head_json(head: TreeHead) -> dict:
    return SignedTreeHead(tree_size=head.tree_size, timestamp=head.timestamp, root_hash=bytes(head.root_hash),
                          signature=bytes(head.signature)).as_json()


def sign_manifest(manifest: dict) -> dict:
    """Sign the manifest (all but `signature`) with the court's ledger key, Ed25519 over its canonical JSON."""
    signature = keys.load_signing_key().sign(manifest_signing_bytes(manifest))
    return {**manifest, "signature": base64.b64encode(signature).decode()}


def _copy_blob(sha256: str, target: Path) -> str:
    digest = hashlib.sha256()
    with blob_open(sha256) as src, target.open("wb") as dst:
        while chunk := src.read(1 << 20):
            digest.update(chunk)
            dst.write(chunk)
    return digest.hexdigest()


def _html_page(title: str, body: str) -> bytes:
    from yunting.kernel.documents.render import html_to_pdf

    css = ("@page{size:A4;margin:18mm 16mm}body{font-family:'Noto Serif CJK SC','Noto Sans CJK SC',serif;"
           "font-size:10.5pt;color:#000}h1{text-align:center;font-size:20pt;font-weight:normal;margin:0 0 6mm}"
           "table{width:100%;border-collapse:collapse}td,th{border:0.6pt solid #000;padding:1.6mm 2mm;"
           "vertical-align:top}th{font-weight:normal;background:#eee}.k{width:28%;white-space:nowrap}"
           ".note{margin-top:6mm;font-size:9.5pt}.r{text-align:right}")
    html = (f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{escape(title)}</title>'
            f"<style>{css}</style></head><body><h1>{escape(title)}</h1>{body}</body></html>")
    return html_to_pdf(html, pdf_variant="pdf/a-2b")[0]  # pages the archive makes itself: PDF/A-2b


def _rows(pairs) -> str:
    return "<table>" + "".join(f'<tr><td class="k">{escape(k)}</td><td>{escape(str(v or "—"))}</td></tr>'
                               for k, v in pairs) + "</table>"


def cover_pdf(*, metadata: dict, archive: dict, volume: str, documents: int, pages: int) -> bytes:
    parties = "；".join(f"{p['role_label']} {p['name']}" for p in metadata["parties"])
    pairs = [("法院", metadata["court"]), ("档号", archive["archive_number"]), ("案号", metadata["case_number"]),
             ("案由", metadata["cause"]), ("当事人", parties), ("程序", metadata["procedure"]),
             ("结案方式", metadata.get("outcome_label")), ("合议庭", "、".join(metadata["panel"])),
             ("承办人", metadata["judge"]), ("书记员", metadata["clerk"]), ("收案日期", metadata["filed_on"]),
             ("立案日期", metadata["registered_on"]), ("结案日期", metadata["closed_on"]),
             ("归档日期", archive["archived_on"]), ("保管期限", archive["retention_label"]),
             ("密级", archive["security_level_label"]), ("本卷", f"共 {documents} 件 {pages} 页")]
    return _html_page(f"{metadata['court']}诉讼档案（{VOLUME_LABELS[volume]}）", _rows(pairs))


def catalogue_pdf(*, metadata: dict, volume: str, items: list[VolumeItem]) -> bytes:
    head = "<tr><th>顺序号</th><th>文号</th><th>责任者</th><th>题名</th><th>日期</th><th>页号</th></tr>"
    rows = "".join(
        f"<tr><td>{i.seq}</td><td>{escape(i.number or '—')}</td><td>{escape(i.responsible)}</td>"
        f"<td>{escape(i.title)}</td><td>{i.on:%Y%m%d}</td>"
        f"<td>{i.first_page}{'' if i.last_page == i.first_page else '–' + str(i.last_page)}</td></tr>"
        for i in items) or '<tr><td colspan="6">（本卷无文件）</td></tr>'
    body = f'<p class="r">{escape(metadata["case_number"])}</p><table>{head}{rows}</table>'
    return _html_page(f"卷内目录（{VOLUME_LABELS[volume]}）", body)


def backup_sheet_pdf(*, metadata: dict, archive: dict, volume: str, documents: int, pages: int) -> bytes:
    pairs = [("本卷情况说明", f"本卷共 {documents} 件 {pages} 页；电子文件与本院透明账本逐件核验一致，"
                         "每件文件的收录证明与签名树头随卷保存。"),
             ("文件形式", "原件按收录时的字节保存，未转换格式（转换后将不再是账本收录的文件）；"
                      "封面、卷内目录与本表由系统生成，字体已嵌入。"),
             ("立卷人", archive["archived_by"]), ("检查人", metadata["judge"]),
             ("立卷时间", archive["archived_on"])]
    return _html_page(f"卷内备考表（{VOLUME_LABELS[volume]}）", _rows(pairs))


def _write_bag(root: Path, payload: dict[str, str], info: dict[str, str]) -> None:
    (root / "bagit.txt").write_text(BAGIT_TXT, encoding="utf-8")
    size = sum((root / name).stat().st_size for name in payload)
    info = {**info, "Payload-Oxum": f"{size}.{len(payload)}", "Bagging-Date": timezone.localdate().isoformat()}
    (root / "bag-info.txt").write_text("".join(f"{k}: {v}\n" for k, v in info.items()), encoding="utf-8")
    (root / "manifest-sha256.txt").write_text("".join(f"{h}  {n}\n" for n, h in sorted(payload.items())),
                                              encoding="utf-8")


def write_tag_manifest(root: Path) -> None:
    from .bagcheck import sha256_file

    names = sorted(p.relative_to(root).as_posix() for p in root.rglob("*")
                   if p.is_file() and not p.relative_to(root).as_posix().startswith("data/")
                   and not p.name.startswith("tagmanifest-"))
    (root / "tagmanifest-sha256.txt").write_text("".join(f"{sha256_file(root / n)}  {n}\n" for n in names),
                                                 encoding="utf-8")


def build_volume(*, out: Path, volume: str, items: list[VolumeItem], metadata: dict, archive: dict,
                 head: TreeHead) -> Built:
    """Write `out` (created; must not exist) as the BagIt package of one volume, proofs under `head`."""
    out.mkdir(parents=True)
    try:
        return _build(out, volume, items, metadata, archive, head)
    except BaseException:
        shutil.rmtree(out, ignore_errors=True)
        raise


def _build(out: Path, volume: str, items, metadata, archive, head) -> Built:
    data, proofs = out / "data", out / "proofs"
    (data / "documents").mkdir(parents=True)
    proofs.mkdir()
    payload: dict[str, str] = {}
    pages = sum(i.last_page - i.first_page + 1 for i in items)
    public_key = keys.public_key_pem()
    sth_json = tree_head_json(head)
    documents = []
    for item in items:
        doc = item.document
        ext = EXTENSIONS.get(doc.blob.mime_type, "bin")
        name = f"data/documents/{item.seq:04d}.{ext}"
        sha = _copy_blob(doc.blob_id, out / name)
        payload[name] = sha
        proof = ledger_proof_by_document(sha, head.tree_size)
        proof_name = f"proofs/{item.seq:04d}.json"
        bundle = make_bundle(sha256_hex=sha, leaf_index=proof.leaf_index, leaf_input=proof.leaf_input,
                             audit_path=proof.audit_path, sth=SignedTreeHead.from_json(sth_json),
                             public_key_pem=public_key)
        (out / proof_name).write_text(json.dumps(bundle, ensure_ascii=False, indent=1), encoding="utf-8")
        documents.append({"seq": item.seq, "path": name, "proof": proof_name, "sha256": sha, "title": item.title,
                          "number": item.number, "responsible": item.responsible, "date": item.on.isoformat(),
                          "pages": [item.first_page, item.last_page], "kind": doc.kind, "section": item.section,
                          "mime_type": doc.blob.mime_type, "leaf_index": proof.leaf_index})
    generated = {
        "data/00-cover.pdf": cover_pdf(metadata=metadata, archive=archive, volume=volume, documents=len(items),
                                       pages=pages),
        "data/01-catalogue.pdf": catalogue_pdf(metadata=metadata, volume=volume, items=items),
        "data/99-backup-sheet.pdf": backup_sheet_pdf(metadata=metadata, archive=archive, volume=volume,
                                                     documents=len(items), pages=pages),
    }
    meta_doc = {"case": metadata, "archive": archive, "volume": volume, "volume_label": VOLUME_LABELS[volume]}
    generated["data/metadata.json"] = json.dumps(meta_doc, ensure_ascii=False, indent=1).encode()
    for name, content in generated.items():
        (out / name).write_bytes(content)
        payload[name] = hashlib.sha256(content).hexdigest()
    _write_bag(out, payload, {"Source-Organization": metadata["court"], "External-Identifier": metadata["case_number"],
                              "Internal-Sender-Identifier": archive["archive_number"],
                              "Bag-Group-Identifier": metadata["case_number"], "Yunting-Volume": volume})
    manifest = sign_manifest({
        "format": FORMAT, "volume": volume, "volume_label": VOLUME_LABELS[volume], "case": metadata,
        "archive": archive, "tree_head": sth_json, "log_id": keys.key_id(), "public_key": public_key,
        "documents": documents, "generated": [{"path": n, "sha256": payload[n]} for n in generated],
        "documents_form": DOCUMENTS_FORM, "built_at": datetime.now(SHANGHAI).isoformat(timespec="seconds"),
    })
    (out / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    write_tag_manifest(out)
    return Built(volume=volume, path=out, documents=len(items), pages=pages, manifest=manifest)
