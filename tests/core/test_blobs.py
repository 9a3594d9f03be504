import hashlib
import io
import os
import socket
import subprocess
import sys
import time

import pytest
from django.core.files.storage import storages

from yunting.kernel.blobs.models import Blob
from yunting.kernel.blobs.store import blob_iter, blob_key, blob_put, blob_put_bytes, blob_read, blob_verify
from yunting.kernel.common.errors import ValidationFailed
from yunting.kernel.pdf.make import simple_pdf

PDF = simple_pdf(title="证据", body="租赁合同")


class Chunks(io.RawIOBase):
    """A 500 MB-class stream that is generated, never held in memory."""

    def __init__(self, total: int, head: bytes):
        self.remaining, self.head = total, head

    def readable(self):
        return True

    def readinto(self, buf):
        if self.remaining <= 0:
            return 0
        n = min(len(buf), self.remaining)
        chunk = (self.head + b"\0" * n)[:n]
        self.head = b""
        buf[:n] = chunk
        self.remaining -= n
        return n


def test_content_addressed_and_write_once(db):
    a = blob_put_bytes(PDF)
    b = blob_put_bytes(PDF)
    assert a.sha256 == b.sha256 == hashlib.sha256(PDF).hexdigest()
    assert Blob.objects.count() == 1
    assert blob_read(a.sha256) == PDF
    assert a.mime_type == "application/pdf"


def test_a_batch_of_documents_is_stored_like_single_uploads(db):
    """blob_put_many (a batch's ZIP members) writes the files itself: same bytes, same permissions and the same
    rows as blob_put, each once; a file gone missing is written again; a refused item stores nothing."""
    from yunting.kernel.blobs.store import blob_put_many

    single = blob_put_bytes(simple_pdf(title="借据", body="JK000001"))
    other = simple_pdf(title="借据", body="JK000002")
    results = blob_put_many([PDF, other, b"MZ\x90\x00" + b"\0" * 100, PDF])
    assert [r.sha256 for r in results if isinstance(r, Blob)] == [hashlib.sha256(d).hexdigest() for d in (PDF, other, PDF)]
    assert isinstance(results[2], ValidationFailed) and results[2].code == "upload_type"
    assert Blob.objects.count() == 3 and blob_read(results[1].sha256) == other
    store = storages["blobs"]
    mode = os.stat(store.path(blob_key(single.sha256))).st_mode & 0o777
    assert os.stat(store.path(blob_key(results[0].sha256))).st_mode & 0o777 == mode
    os.unlink(store.path(blob_key(results[1].sha256)))  # lost from the disk, still in the database
    assert blob_put_many([other])[0].sha256 == results[1].sha256
    assert blob_read(results[1].sha256) == other and Blob.objects.count() == 3


def test_type_is_detected_from_content_not_name(db):
    with pytest.raises(ValidationFailed) as exc:
        blob_put(io.BytesIO(b"MZ\x90\x00 this is an .exe renamed to evidence.pdf" * 10))
    assert exc.value.code == "upload_type"
    assert Blob.objects.count() == 0
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
    assert blob_put(io.BytesIO(png)).mime_type == "image/png"


def test_size_limit_has_a_clear_message_and_stores_nothing(db, settings):
    before = set(os.listdir(settings.BLOB_TMP_DIR))
    with pytest.raises(ValidationFailed) as exc:
        blob_put(io.BytesIO(PDF), max_bytes=100)
    assert exc.value.code == "upload_too_large" and "MB" in exc.value.message
    assert Blob.objects.count() == 0
    assert set(os.listdir(settings.BLOB_TMP_DIR)) == before  # no temp file left behind


def test_empty_upload_refused(db):
    with pytest.raises(ValidationFailed) as exc:
        blob_put(io.BytesIO(b""))
    assert exc.value.code == "upload_empty"


@pytest.mark.parametrize("key", ["../../etc/passwd", "a" * 63, "A" * 64, "../" + "a" * 61, ""])
def test_keys_that_are_not_hashes_never_reach_a_path(key):
    with pytest.raises(ValidationFailed):
        blob_key(key)


def test_streaming_upload_keeps_memory_flat(db):
    import tracemalloc

    size = 64 * 1024 * 1024  # the code path is the same for 500 MB; 64 MB keeps the suite quick
    tracemalloc.start()
    blob = blob_put(Chunks(size, b"%PDF-1.7\n"), max_bytes=size)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert blob.size == size
    assert peak < 16 * 1024 * 1024, f"peak {peak} bytes"
    assert sum(len(c) for c in blob_iter(blob.sha256)) == size


def test_verify_detects_altered_bytes(db, settings):
    blob = blob_put_bytes(simple_pdf(title="将被篡改的文件", body="此文件仅用于篡改测试"))
    assert blob_verify(blob.sha256)
    path = storages["blobs"].path(blob_key(blob.sha256))
    with open(path, "r+b") as fh:
        fh.seek(20)
        fh.write(b"X")
    assert not blob_verify(blob.sha256)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def moto_s3(settings):
    """moto's S3 server: a stand-in for MinIO/Ceph RGW, which cannot be installed here. Named as such."""
    pytest.importorskip("moto")
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    endpoint = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90  # moto imports slowly on a loaded 2-core machine
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        import boto3

        creds = {"aws_access_key_id": "test", "aws_secret_access_key": "test", "region_name": "us-east-1"}
        boto3.client("s3", endpoint_url=endpoint, **creds).create_bucket(Bucket="yunting-blobs")
        settings.STORAGES = {
            **settings.STORAGES,
            "blobs": {
                "BACKEND": "storages.backends.s3.S3Storage",
                "OPTIONS": {"bucket_name": "yunting-blobs", "endpoint_url": endpoint, "access_key": "test",
                            "secret_key": "test", "region_name": "us-east-1", "file_overwrite": True},
            },
        }
        yield boto3.client("s3", endpoint_url=endpoint, **creds)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_s3_backend_round_trip(db, moto_s3):
    blob = blob_put_bytes(PDF)
    assert blob_read(blob.sha256) == PDF
    key = blob_key(blob.sha256)
    assert moto_s3.head_object(Bucket="yunting-blobs", Key=key)["ContentLength"] == len(PDF)
    assert blob_put_bytes(PDF).sha256 == blob.sha256  # write-once: the same key again stores nothing new
    assert len(moto_s3.list_objects_v2(Bucket="yunting-blobs")["Contents"]) == 1
    assert blob_verify(blob.sha256)


def test_bulk_insert_skips_rows_already_there_and_keeps_every_column(db):
    """Rows racing in from another transaction (a blob stored meanwhile) are skipped, not an error; the new
    rows get every column as given (PostgreSQL: one array per column; SQLite: multi-row VALUES)."""
    from yunting.kernel.common import rawsql

    there = blob_put_bytes(PDF)
    rows = [Blob(sha256=there.sha256, size=1, mime_type="image/png"),
            *(Blob(sha256=f"{i:064x}", size=1000 + i, mime_type="application/pdf") for i in range(3))]
    rawsql.bulk_insert(rows, ignore_conflicts=True, batch_size=2)
    assert Blob.objects.get(pk=there.sha256).size == len(PDF)  # the row already there is left as it was
    assert sorted(Blob.objects.exclude(pk=there.sha256).values_list("size", "mime_type")) == [
        (1000, "application/pdf"), (1001, "application/pdf"), (1002, "application/pdf")]
    assert None not in Blob.objects.values_list("created_at", flat=True)
