#!/usr/bin/env python3
"""Writes the starting corpus of each fuzz target from the repository's own inputs: the SDK
request vectors, the built-in contracts, their pages, the test pages, the known-failure list.
Standard library only; run from anywhere. Existing files are kept."""

import base64
import glob
import hashlib
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "fuzz", "corpus")


def put(target, data):
    folder = os.path.join(CORPUS, target)
    os.makedirs(folder, exist_ok=True)
    name = hashlib.sha1(data).hexdigest()
    path = os.path.join(folder, name)
    if not os.path.exists(path):
        with open(path, "wb") as f:
            f.write(data)


def requests():
    with open(os.path.join(ROOT, "tests/fixtures/vectors/sdk-requests.jsonl")) as f:
        for line in f:
            if not line.strip():
                continue
            v = json.loads(line)
            head = "%s %s\n" % (v["method"], v["raw_path"])
            head += "".join("%s: %s\n" % (k, val) for k, val in v["headers"])
            body = base64.b64decode(v["body_b64"]) if v.get("body_b64") else v.get("body", "").encode()
            framed = head.encode() + b"\n" + body
            put("request", b"\x01" + framed)
            put("request", b"\x00" + framed)
            put("form", v["raw_path"].partition("?")[2].encode())
            if body:
                put("form", body)


def contracts():
    files = sorted(glob.glob(os.path.join(ROOT, "contracts/*/*/*/*.json")))
    for i, path in enumerate(files):
        with open(path, "rb") as f:
            text = f.read()
        put("contract", text)
        contract = json.loads(text)
        params = {
            p["name"]: p["example"]
            for p in contract.get("parameters", [])
            if "example" in p and p.get("in") != "common"
        }
        for wire in range(8):
            put("signed_params", bytes([i + 8 * wire]) + json.dumps(params).encode())


def pages():
    for path in glob.glob(os.path.join(ROOT, "contracts/sources/*.txt")) + glob.glob(
        os.path.join(ROOT, "tests/fixtures/pages/*.txt")
    ):
        with open(path, "rb") as f:
            put("derive", f.read())
    for path in glob.glob(os.path.join(ROOT, "contracts/sources/*.overlay.json")) + [
        os.path.join(ROOT, "drivers/known-failures.txt")
    ]:
        with open(path, "rb") as f:
            put("user_files", f.read())
    put("user_files", b'{"id":"c1","ok":true,"parsed":{"RequestId":"x"}}\n')
    put("user_files", b'{"id":"c1","ok":false,"error":{"code":"InvalidParameter","message":"m","request_id":"r"}}\n')


def cassettes():
    # A small cassette and a HAR log, written here rather than recorded.
    interaction = {
        "operation": "tencent/tcr/2019-09-24/CreateInstance",
        "recorded_at": "2026-12-02T00:00:00Z",
        "request": {"method": "POST", "path": "/", "scheme": "tc3",
                    "body": {"RegistryName": "tcr-a", "RegistryType": "basic"},
                    "common": {"Region": "ap-guangzhou"}},
        "response": {"status": 200, "headers": {"content-type": "application/json"},
                     "body": {"format": "json", "content": {"Response": {"RegistryId": "tcr-1", "RequestId": "r"}}}},
    }
    put("cassette", json.dumps({"format_version": 1, "salt": "00", "interactions": [interaction]}, indent=2).encode())
    put("cassette", json.dumps({"log": {"version": "1.2", "creator": {"name": "x", "version": "1"}, "entries": [
        {"startedDateTime": "2026-12-02T00:00:00Z", "time": 0,
         "request": {"method": "POST", "url": "https://tcr.tencentcloudapi.com/", "httpVersion": "HTTP/1.1",
                     "headers": [{"name": "X-TC-Action", "value": "CreateInstance"}, {"name": "X-TC-Version", "value": "2019-09-24"},
                                 {"name": "Content-Type", "value": "application/json"}],
                     "queryString": [], "cookies": [], "headersSize": -1, "bodySize": 2,
                     "postData": {"mimeType": "application/json", "text": "{\"RegistryName\":\"tcr-a\"}"}},
         "response": {"status": 200, "statusText": "OK", "httpVersion": "HTTP/1.1", "headers": [], "cookies": [],
                      "content": {"size": 2, "mimeType": "application/json", "text": "{}"},
                      "redirectURL": "", "headersSize": -1, "bodySize": 2},
         "cache": {}, "timings": {"send": 0, "wait": 0, "receive": 0}}]}}).encode())


if __name__ == "__main__":
    requests()
    contracts()
    pages()
    cassettes()
    for target in sorted(os.listdir(CORPUS)):
        print("%-14s %d files" % (target, len(os.listdir(os.path.join(CORPUS, target)))), file=sys.stderr)
