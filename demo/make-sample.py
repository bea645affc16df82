#!/usr/bin/env python3
"""Rebuilds demo/sample from ../shared/data (run from the repository root: python3 demo/make-sample.py).

Only permissively licensed pieces are taken (see demo/sample/README.md). Deterministic: the same
shared data gives byte-identical files (fixed gzip mtime, sorted selections).
"""
import gzip, io, json, os, hashlib, tarfile, zipfile

SHARED = os.environ.get("SLUICE_SHARED_DATA", "../shared/data")
OUT = "demo/sample"

def read_jsonl(path):
    with gzip.open(os.path.join(SHARED, path), "rt", encoding="utf-8") as f:
        for line in f:
            yield json.loads(line)

def gz_bytes(data):
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0) as g:
        g.write(data)
    return buf.getvalue()

def warc_record(uri, html, date):
    body = html.encode("utf-8")
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body
    rid = hashlib.sha1(uri.encode()).hexdigest()
    uuid = f"{rid[0:8]}-{rid[8:12]}-{rid[12:16]}-{rid[16:20]}-{rid[20:32]}"
    head = (f"WARC/1.1\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:{uuid}>\r\n"
            f"WARC-Date: {date}\r\nWARC-Target-URI: {uri}\r\n"
            f"Content-Type: application/http;msgtype=response\r\nContent-Length: {len(http)}\r\n\r\n").encode()
    return gz_bytes(head + http + b"\r\n\r\n")

# Debian handbook pages (GPL-2.0+ or CC-BY-SA-3.0) in several languages, as a WARC of HTTP responses.
langs = {"en-US", "de-DE", "fr-FR", "es-ES", "ja-JP", "zh-CN", "ru-RU", "ar-MA", "pt-BR", "it-IT"}
paths = {"sect.syslog.html", "sect.after-first-boot.html", "sect.creating-accounts.html",
         "sect.who-is-this-book-for.html", "security.html"}
pages = sorted((d["lang"], d["path"], d["html"]) for d in read_jsonl("web/multilingual-docs/debian-handbook-11.20220922-html.jsonl.gz")
               if d["lang"] in langs and d["path"] in paths)
with open(f"{OUT}/web/debian-handbook-sample.warc.gz", "wb") as f:
    for lang, path, html in pages:
        f.write(warc_record(f"https://debian-handbook.info/browse/{lang}/stable/{path}", html, "2022-09-22T00:00:00Z"))

# SciFact abstracts (CC BY 4.0 / ODC-By 1.0), BEIR corpus layout, first 300 by id.
docs = sorted(read_jsonl("retrieval/scifact/corpus.jsonl.gz"), key=lambda d: int(d["_id"]))[:300]
with open(f"{OUT}/web/scifact-sample.jsonl.gz", "wb") as f:
    f.write(gz_bytes("".join(json.dumps({"_id": d["_id"], "title": d["title"], "text": d["text"],
                                          "source": "scifact", "license": "CC-BY-4.0"}, ensure_ascii=False) + "\n" for d in docs).encode()))

# Lua sources (MIT) as a plain directory tree.
lua = sorted(read_jsonl("code/code-c.jsonl.gz"), key=lambda d: d["path"])
for d in lua[:12]:
    p = f"{OUT}/code/lua/{d['path']}"
    os.makedirs(os.path.dirname(p), exist_ok=True)
    with open(p, "w", encoding="utf-8") as f:
        f.write(d["text"])

# Kotlin stdlib sources (Apache-2.0) as a zip archive, Go (BSD-3-Clause) as a tar.gz.
kt = sorted((d for d in read_jsonl("code/code-kotlin.jsonl.gz") if d["bytes"] < 20000), key=lambda d: d["path"])[:15]
with zipfile.ZipFile(f"{OUT}/code/kotlin-stdlib-sample.zip", "w", zipfile.ZIP_DEFLATED) as z:
    for d in kt:
        info = zipfile.ZipInfo("kotlin/" + d["path"], date_time=(2024, 1, 1, 0, 0, 0))
        z.writestr(info, d["text"])
go = sorted(read_jsonl("code/code-go.jsonl.gz"), key=lambda d: d["path"])[:15]
buf = io.BytesIO()
with tarfile.open(fileobj=buf, mode="w") as t:
    for d in go:
        data = d["text"].encode()
        info = tarfile.TarInfo("go/" + d["path"]); info.size = len(data); info.mtime = 0
        t.addfile(info, io.BytesIO(data))
with open(f"{OUT}/code/go-std-sample.tar.gz", "wb") as f:
    f.write(gz_bytes(buf.getvalue()))

# Python (PSF-2.0) in the JSONL layout of shared/data/code: both sides of the first 10 labelled
# CPython/PyPy pairs, so the demo's dedup has real exact and near duplicates to find.
with open(os.path.join(SHARED, "code/code-near-dup-pairs.jsonl"), encoding="utf-8") as f:
    pairs = [json.loads(l) for l in f if json.loads(l)["lang"] == "python"][:10]
wanted = {p["id_a"] for p in pairs} | {p["id_b"] for p in pairs}
py = sorted((d for d in read_jsonl("code/code-python.jsonl.gz") if d["id"] in wanted), key=lambda d: d["id"])
with open(f"{OUT}/code/python-stdlib-sample.jsonl.gz", "wb") as f:
    f.write(gz_bytes("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in py).encode()))
print("sample written to", OUT)
