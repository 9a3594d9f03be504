"""Scanning (issue 16): OCR throughput and full-text search at scale.

`python bench/bench_ocr.py ocr` — OCR pages per minute on this machine: RapidOCR alone on one page (after a warm-up,
one thread, as each worker runs it), then the whole per-page job (render at 200 dpi, QR look-up, blank check,
deskew, OCR) over the same A4 pages with one worker per core (a process pool, as the job workers would run).
`python bench/bench_ocr.py search` — full-text search over BENCH_PAGES (default 1,000,000) synthetic pages of
Chinese legal text on PostgreSQL (kernel.search: bigram tokens, GIN over a 'simple' tsvector), loaded with COPY;
p50/p95 of queries of two-character words, phrases and two words, court-wide and within one case.
Each prints one JSON object (bench/run.py renders it)."""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WORDS = ("原告 被告 借款 合同 民间借贷 纠纷 判决 裁定 归还 利息 本金 违约金 担保 保证人 租赁 房屋 买卖 货款 "
         "工程款 劳动 工资 赔偿 损失 交通事故 医疗费 误工费 证据 证人 质证 答辩 起诉 上诉 调解 执行 查封 冻结 "
         "财产 保全 送达 传票 开庭 庭审 笔录 鉴定 评估 审计 银行 转账 收条 借条 欠条 协议 约定 履行 期限 逾期 "
         "利率 年利率 月息 人民币 万元 元整 支付 承担 连带 责任 诉讼费 受理费 管辖 法院 本院 认为 事实 理由 "
         "请求 判令 驳回 支持 部分 全部 当事人 代理人 律师 委托 授权 身份证 营业执照 法定代表人 公司 有限 "
         "股份 股东 清算 破产 债权 债务 抵押 质押 物业 服务费 离婚 抚养 财产分割 继承 遗嘱 赡养 名誉 侵权 "
         "肖像 隐私 知识产权 商标 专利 著作权 不正当竞争 合伙 加工 承揽 运输 仓储 保险 理赔 信用卡 透支 网络 "
         "购物 平台 消费者 退款 三倍 惩罚性 宝安区 深圳市 广东省 南山 福田 龙岗 二〇二六年 十二月 一日").split()


def _text(rng: random.Random, chars: int) -> str:
    out, n = [], 0
    while n < chars:
        w = rng.choice(WORDS)
        out.append(w)
        n += len(w)
        if rng.random() < 0.12:
            out.append("，" if rng.random() < 0.7 else "。\n")
    return "".join(out)


# --- OCR ------------------------------------------------------------------------------------------------------
def _page_pdf(seed: int) -> bytes:
    """An A4 page scanned at 200 dpi: 22 lines of legal text (a typical typed page), slightly skewed."""
    from PIL import Image, ImageDraw, ImageFont

    sys.path.insert(0, str(ROOT))
    from tests.scanning.samples import scanner_pdf

    rng = random.Random(seed)
    image = Image.new("L", (1654, 2339), 250)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", 34)
    for i in range(22):
        draw.text((150, 180 + i * 90), _text(rng, 36)[:36].replace("\n", ""), font=font, fill=20)
    return scanner_pdf([image.rotate(rng.uniform(-2, 2), fillcolor=250)])


def _worker_init() -> None:
    from yunting.kernel.ocr.engine import _engine

    _engine()


def _job(pdf: bytes) -> int:
    """The page job's work without the database: render, QR, blank, deskew, OCR."""
    from yunting.kernel.ocr import deskew, find_qr, is_blank, ocr_image, render_page

    image = render_page(pdf, 1, dpi=200)
    if find_qr(image) or is_blank(image):
        return 0
    straight, _angle = deskew(image)
    return len(ocr_image(straight).text)


def bench_ocr(pages: int = int(os.environ.get("BENCH_OCR_PAGES", "6"))) -> dict:
    from yunting.kernel.ocr import ocr_image, render_page

    pdfs = [_page_pdf(i) for i in range(pages)]
    image = render_page(pdfs[0], 1, dpi=200)
    _worker_init()
    ocr_image(image)  # warm-up
    alone = []
    for _ in range(3):
        t = time.perf_counter()
        chars = len(ocr_image(image).text)
        alone.append(time.perf_counter() - t)
    one = min(alone)
    cores = os.cpu_count() or 1
    with ProcessPoolExecutor(max_workers=cores, initializer=_worker_init) as pool:
        list(pool.map(_job, pdfs[:cores]))  # each worker warm
        t = time.perf_counter()
        done = list(pool.map(_job, pdfs))
        pooled = time.perf_counter() - t
    return {
        "page": "A4, 200 dpi, 22 lines of Chinese (~790 characters)",
        "characters_read_on_one_page": chars,
        "rapidocr_alone_s_per_page (best of 3)": round(one, 2),
        "rapidocr_alone_pages_per_min": round(60 / one, 1),
        f"page_jobs_{cores}_workers_pages": len(done),
        f"page_jobs_{cores}_workers_pages_per_min": round(60 * len(done) / pooled, 1),
        "speed-up over RapidOCR alone": round((60 * len(done) / pooled) / (60 / one), 2),
        "load_average_1min_at_end": round(os.getloadavg()[0], 2),
    }


# --- search ---------------------------------------------------------------------------------------------------
def bench_search() -> dict:
    from bench.common import pg_available, setup_django

    if not pg_available():
        return {"skipped": "PostgreSQL not reachable on 127.0.0.1"}
    pages = int(os.environ.get("BENCH_PAGES", "1000000"))
    url = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/yt_scan")
    if os.environ.get("BENCH_SEARCH_REUSE") == "1":
        import tempfile

        import django

        os.environ.update(DATABASE_URL=url, YUNTING_DATA_DIR=tempfile.mkdtemp(prefix="yunting-bench-"))
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        django.setup()
    else:
        setup_django(url)
    from django.db import connection

    from yunting.kernel.search.engine import search_ids
    from yunting.kernel.search.tokens import tokenize

    rng = random.Random(16)
    cases = max(1, pages // 100)
    out = {"pages": pages, "cases": cases}
    if os.environ.get("BENCH_SEARCH_REUSE") != "1":  # REUSE=1: query the table a previous run loaded
        t = time.perf_counter()
        with connection.cursor() as cur:
            cur.execute("DROP INDEX IF EXISTS search_tokens_gin")
            raw = cur.connection
            with raw.cursor().copy("COPY search_searchentry (scope, object_id, group_id, tokens) FROM STDIN") as copy:
                for i in range(1, pages + 1):
                    copy.write_row(("document", i, 1 + (i - 1) // 100, " ".join(tokenize(_text(rng, 180)))))
        out["load_copy_s"] = round(time.perf_counter() - t, 1)
        t = time.perf_counter()
        with connection.cursor() as cur:
            cur.execute("SET maintenance_work_mem = '512MB'")
            cur.execute("CREATE INDEX search_tokens_gin ON search_searchentry USING gin "
                        "(to_tsvector('simple', tokens))")
            cur.execute("ANALYZE search_searchentry")
        out["gin_index_build_s"] = round(time.perf_counter() - t, 1)
    with connection.cursor() as cur:
        cur.execute("SELECT pg_size_pretty(pg_total_relation_size('search_searchentry'))")
        out["table_and_index_size"] = cur.fetchone()[0]
        cur.execute("SET statement_timeout = '30s'")
    runs = int(os.environ.get("BENCH_SEARCH_RUNS", "20"))
    queries = {
        "two-character word (借款)": "借款", "rare two-character word (肖像)": "肖像", "phrase (民间借贷)": "民间借贷",
        "two words (利息 逾期)": "利息 逾期", "no hit (飞机)": "飞机"}
    for label, q in queries.items():
        for scope_label, kwargs in (("court-wide", {}), ("one case", {"group_id": cases // 2})):
            times = []
            for i in range(runs):
                t = time.perf_counter()
                try:
                    search_ids(scope="document", query=q, limit=21, offset=20 * (i % 3), **kwargs)
                except Exception:  # noqa: BLE001 (statement_timeout: recorded as 30 s)
                    connection.rollback() if not connection.get_autocommit() else None
                times.append((time.perf_counter() - t) * 1000)
            times.sort()
            out[f"{label}, {scope_label}: p50 / p95 ms"] = (f"{statistics.median(times):.1f} / "
                                                             f"{times[int(len(times) * 0.95) - 1]:.1f}")
    # The no-hit query's plan: the GIN probe (kernel/search/engine.py) may only take the bitmap path.
    from yunting.kernel.search import engine

    where = "to_tsvector('simple', e.tokens) @@ phraseto_tsquery('simple', %s) AND e.scope = %s"
    plan = engine._gin_probe(f"FROM search_searchentry e WHERE {where}", [" ".join(tokenize("飞机")), "document"],
                             explain=True)
    out["no hit (飞机), court-wide: plan of the probe"] = " → ".join(
        line.strip().lstrip("-> ").split("  ")[0] for line in plan if "Scan" in line or line.startswith("Limit"))
    return out


if __name__ == "__main__":
    which = sys.argv[1] if len(sys.argv) > 1 else "ocr"
    if which == "ocr":
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        import django

        django.setup()
        print(json.dumps(bench_ocr(), ensure_ascii=False))
    else:
        print(json.dumps(bench_search(), ensure_ascii=False))
    sys.stdout.flush()

