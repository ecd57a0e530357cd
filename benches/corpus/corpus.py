#!/usr/bin/env python3
"""The derive corpus: real API reference pages of both providers, and how well docpact
derive reads them, measured against ground truth nobody typed by hand.

Third-party page text stays out of the repository: `manifest.tsv` names each page by
repository, commit and path, and this script rebuilds the corpus from the fetched
repositories. Ground truth:
  - Tencent Cloud: tccli's API descriptions (`tccli/services/<svc>/v<ver>/api.json`), from
    the PyPI package pinned below;
  - Alibaba Cloud: the SDK request classes of the pinned aliyun-python-sdk-<product> packages
    (`add_query_param('Name', ...)` and friends; the trailing type comments).

Usage:
  corpus.py select REPOS          write manifest.tsv from the repositories under REPOS
  corpus.py build REPOS [OUT]     write the pages named by manifest.tsv under OUT
                                  (default target/corpus/pages)
  corpus.py measure [OUT]         derive every page, compare with the ground truth, print the
                                  table (Markdown) and write OUT/results.json

REPOS holds one bare git directory per repository, as `owner+name/repo` (or
`owner+name/repo/.git`); a repository missing there is cloned from its public host when the
network allows.
"""
import csv
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
MANIFEST = HERE / "manifest.tsv"
TCCLI = "tccli==3.1.189.1"
# Alibaba product code (as OpenAPI Explorer names it) -> pinned SDK package.
ALIBABA_SDK = {
    "Ecs": "aliyun-python-sdk-ecs==4.24.83",
    "Cdn": "aliyun-python-sdk-cdn==3.8.8",
    "Cms": "aliyun-python-sdk-cms==7.0.33",
    "elasticsearch": "aliyun-python-sdk-elasticsearch==3.1.2",
    "vod": "aliyun-python-sdk-vod==2.16.32",
    "Smartag": "aliyun-python-sdk-smartag==2.0.4",
    "Dds": "aliyun-python-sdk-dds==3.7.26",
    "Ess": "aliyun-python-sdk-ess==2.3.32",
    "Kms": "aliyun-python-sdk-kms==2.16.5",
    "ROS": "aliyun-python-sdk-ros==3.6.1",
    "alikafka": "aliyun-python-sdk-alikafka==1.0.6",
    "Vpc": "aliyun-python-sdk-vpc==3.0.48",
    "Ga": "aliyun-python-sdk-ga==1.0.19",
    "ARMS": "aliyun-python-sdk-arms==2.7.32",
}
# The same products' Darabonba ("tea") packages: their request models mark required
# parameters with a `# This parameter is required.` comment, which the request classes lack.
ALIBABA_TEA = {
    "Ecs": "alibabacloud_ecs20140526==7.11.8",
    "Cdn": "alibabacloud_cdn20180510==9.2.0",
    "Cms": "alibabacloud_cms20190101==4.0.10",
    "elasticsearch": "alibabacloud_elasticsearch20170613==5.4.1",
    "vod": "alibabacloud_vod20170321==3.12.1",
    "Smartag": "alibabacloud_smartag20180313==2.1.2",
    "Dds": "alibabacloud_dds20151201==9.5.0",
    "Ess": "alibabacloud_ess20140828==1.0.1",
    "Kms": "alibabacloud_kms20160120==3.3.1",
    "ROS": "alibabacloud_ros20190910==3.7.0",
    "alikafka": "alibabacloud_alikafka20190916==2.16.0",
    "Vpc": "alibabacloud_vpc20160428==7.2.2",
    "Ga": "alibabacloud_ga20191120==3.0.2",
    "ARMS": "alibabacloud_arms20190808==10.1.0",
}
ALIBABA_REPOS = ["ecs", "cdn", "cms", "elasticsearch", "vod", "smartag", "mongodb", "ess",
                 "kms", "ros", "alikafka", "nat", "eip", "ga", "arms"]
# Repositories whose 2018-era pages name neither product nor version.
REPO_PRODUCT = {"ecs": "Ecs", "kms": "Kms", "cms": "Cms", "ess": "Ess"}
TENCENT_REPO = "tencentyun/intlcloud-documents"
PER_PRODUCT = 12


def git_dir(repos: Path, repo: str) -> Path:
    base = repos / repo.replace("/", "+") / "repo"
    if (base / ".git").is_dir():
        return base / ".git"
    if base.is_dir():
        return base
    dest = repos / repo.replace("/", "+") / "repo"
    dest.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "clone", "--bare", "--filter=blob:none",
                    f"https://github.com/{repo}", str(dest)], check=True)
    return dest


def git(gd: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "core.quotepath=off", "--git-dir", str(gd), *args],
                          check=True, capture_output=True, text=True).stdout


EXPLORER = re.compile(r"[#?&]product=([A-Za-z][A-Za-z0-9_-]*)&api=([A-Za-z][A-Za-z0-9]*)"
                      r"&type=(RPC|ROA)&version=(\d{4}-\d{2}-\d{2})")
TC_ACTION = re.compile(r"^\|\s*Action\s*\|.*?(?:API|api):\s*([A-Z][A-Za-z0-9]+)", re.M)
TC_VERSION = re.compile(r"^\|\s*Version\s*\|.*?(?:API|api):\s*(\d{4}-\d{2}-\d{2})", re.M)
TC_DOMAIN = re.compile(r"([a-z][a-z0-9]*)\.tencentcloudapi\.com")
TC_EXPLORER = re.compile(r"Product=([a-z][a-z0-9]*)&Version=(\d{4}-\d{2}-\d{2})")


def layout_of(text: str) -> str:
    """The layout family of a page, from its request table's header (independent of derive)."""
    for line in text.splitlines():
        t = line.strip().replace(" ", "").lower()
        if t.startswith("|parametername|required|type|"):
            return "tencent api3"
        if t.startswith("|parameter|type|position|"):
            return "alibaba roa (position column)"
        if t.startswith("|name|type|required|description|"):
            return "alibaba 2018 (name type required description)"
        if t.startswith("|parameter|type|required|example|description|") or \
                t.startswith("|name|type|required|example|description|"):
            return "alibaba (parameter type required example description)"
    return "other"


def select(repos: Path) -> None:
    rows = []
    for name in ALIBABA_REPOS:
        repo = f"AlibabaCloudDocs/{name}"
        gd = git_dir(repos, repo)
        commit = git(gd, "rev-parse", "HEAD").strip()
        paths = [p for p in git(gd, "ls-tree", "-r", "HEAD", "--name-only").splitlines()
                 if p.startswith("intl.en-US/") and "API" in p.split("/")[1]
                 and re.fullmatch(r"[A-Z][A-Za-z0-9]+\.md", p.rsplit("/", 1)[-1])]
        picked = defaultdict(list)
        for p in sorted(paths):
            text = git(gd, "show", f"HEAD:{p}")
            m = EXPLORER.search(text)
            if m and m.group(1) in ALIBABA_SDK:
                picked[layout_of(text)].append((p, (m.group(1), m.group(4), m.group(2))))
            elif layout_of(text).startswith("alibaba 2018") and name in REPO_PRODUCT:
                # 2018 pages have no explorer link: the product from the repository, the
                # action from the file name, the version from the SDK at measuring time.
                action = p.rsplit("/", 1)[-1][:-3]
                picked[layout_of(text)].append((p, (REPO_PRODUCT[name], "", action)))
        # Every layout the product has, then the most common one, up to PER_PRODUCT pages.
        chosen = []
        for lay in sorted(picked, key=lambda k: len(picked[k])):
            chosen += picked[lay][: max(2, PER_PRODUCT // len(picked))]
        for p, (product, version, action) in chosen[:PER_PRODUCT]:
            rows.append(["alibaba", repo, commit, p, product, version, action])
    gd = git_dir(repos, TENCENT_REPO)
    commit = git(gd, "rev-parse", "HEAD").strip()
    paths = [p for p in git(gd, "ls-tree", "-r", "HEAD", "--name-only").splitlines()
             if p.startswith("API/API 3.0/") and p.endswith("_intl.md")]
    by_service = defaultdict(list)
    for p in sorted(paths):
        text = git(gd, "show", f"HEAD:{p}")
        a, v = TC_ACTION.search(text), TC_VERSION.search(text)
        svc = TC_DOMAIN.search(text) or TC_EXPLORER.search(text)
        if not (a and v and svc):
            continue
        by_service[(svc.group(1), v.group(1))].append((p, a.group(1)))
    big = sorted(by_service, key=lambda k: -len(by_service[k]))
    for svc, ver in big[:14]:
        for p, action in by_service[(svc, ver)][:PER_PRODUCT]:
            rows.append(["tencent", TENCENT_REPO, commit, p, svc, ver, action])
    # One page per operation (some operations have two pages).
    seen = set()
    rows = [r for r in rows if not ((r[0], r[4], r[6]) in seen or seen.add((r[0], r[4], r[6])))]
    with open(MANIFEST, "w", newline="") as f:
        w = csv.writer(f, delimiter="\t", lineterminator="\n")
        w.writerow(["provider", "repository", "commit", "path", "product", "version", "action"])
        w.writerows(rows)
    print(f"{len(rows)} pages written to {MANIFEST}")


def manifest():
    with open(MANIFEST, newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def page_file(out: Path, row) -> Path:
    return out / row["provider"] / row["product"] / f"{row['action']}.md"


def build(repos: Path, out: Path) -> None:
    if out.exists():
        shutil.rmtree(out)
    n = 0
    for row in manifest():
        gd = git_dir(repos, row["repository"])
        text = git(gd, "show", f"{row['commit']}:{row['path']}")
        dest = page_file(out, row)
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text(text)
        n += 1
    print(f"{n} pages under {out}")


# ---- ground truth -------------------------------------------------------------------------

def pip_download(spec: str, cache: Path) -> Path:
    cache.mkdir(parents=True, exist_ok=True)
    name = spec.split("==")[0].replace("-", "_")
    version = spec.split("==")[1]
    for whl in cache.glob(f"{name}-{version}-*.whl"):
        return whl
    python = ROOT / ".venv" / "bin" / "python"
    python = str(python) if python.exists() else sys.executable
    subprocess.run([python, "-m", "pip", "download", "-q", "--no-deps",
                    "--only-binary=:all:", "-d", str(cache), spec], check=True)
    return next(cache.glob(f"{name}-{version}-*.whl"))


SDK_PARAM = re.compile(r"add_(query|body|path|header)_params?\(\s*'([A-Za-z0-9_]+)")
SDK_SETTER = re.compile(r"def set_(\w+)\(self, \w+\):\s*#\s*(\w+)")


def alibaba_truth(cache: Path):
    truth = {}
    for product, spec in ALIBABA_SDK.items():
        whl = pip_download(spec, cache)
        with zipfile.ZipFile(whl) as z:
            for name in z.namelist():
                m = re.search(r"/request/v(\d{8})/(\w+)Request\.py$", name)
                if not m:
                    continue
                src = z.read(name).decode()
                ver = f"{m.group(1)[:4]}-{m.group(1)[4:6]}-{m.group(1)[6:]}"
                params = {}
                types = dict(SDK_SETTER.findall(src))
                for where, p in SDK_PARAM.findall(src):
                    if where == "header":
                        continue
                    params.setdefault(p, {"in": where, "type": types.get(p)})
                truth[(product, ver, m.group(2))] = {"params": params, "source": spec}
    return truth


TEA_CLASS = re.compile(r"^class (\w+)Request\((?:DaraModel|TeaModel)\):", re.M)


def tea_required(cache: Path):
    """{(product, action): {wire name: required}} from the tea request models."""
    out = {}
    for product, spec in ALIBABA_TEA.items():
        whl = pip_download(spec, cache)
        with zipfile.ZipFile(whl) as z:
            sources = [z.read(n).decode() for n in z.namelist()
                       if re.search(r"/models(?:/_\w+_request|)\.py$", n)]
        for src in sources:
            starts = [(m.start(), m.group(1)) for m in TEA_CLASS.finditer(src)]
            for k, (at, action) in enumerate(starts):
                end = starts[k + 1][0] if k + 1 < len(starts) else len(src)
                body = src[at:end]
                required, comments = set(), []
                for line in body.splitlines():
                    t = line.strip()
                    if t.startswith("#"):
                        comments.append(t)
                        continue
                    m = re.match(r"self\.(\w+) = \1$", t)
                    if m and "# This parameter is required." in comments:
                        required.add(m.group(1))
                    comments = []
                wire, field = {}, None
                for line in body.splitlines():
                    m = re.search(r"if self\.(\w+) is not None", line)
                    if m:
                        field = m.group(1)
                    m = re.search(r"result\['([A-Za-z0-9_]+)'\]", line)
                    if m and field and field not in wire:
                        wire[field] = m.group(1)
                if wire:
                    out[(product, action)] = {w: f in required for f, w in wire.items()}
    return out


def tencent_truth(cache: Path):
    whl = pip_download(TCCLI, cache)
    z = zipfile.ZipFile(whl)
    index = {}
    for name in z.namelist():
        m = re.search(r"tccli/services/(\w+)/v(\d{8})/api\.json$", name)
        if m:
            index[(m.group(1), f"{m.group(2)[:4]}-{m.group(2)[4:6]}-{m.group(2)[6:]}")] = name
    loaded = {}

    def lookup(svc, ver, action):
        key = (svc, ver)
        if key not in index:
            return None
        if key not in loaded:
            loaded[key] = json.loads(z.read(index[key]))
        api = loaded[key]
        act = api["actions"].get(action)
        if not act:
            return None
        members = api["objects"][act["input"]]["members"]
        return {"params": {m["name"]: {"required": m.get("required"), "type": m["type"],
                                       "member": m.get("member")} for m in members},
                "source": TCCLI}
    return lookup


# ---- measuring ----------------------------------------------------------------------------

COMMON = {"alibaba": {"Action", "Version", "RegionId", "AccessKeyId", "Format", "Signature"},
          "tencent": {"Action", "Version", "Region"}}


def top(name: str) -> str:
    return name.split(".")[0]


HEADER_WORDS = {"description", "errormessage", "httpstatuscode", "httpcode", "errorcode",
                "errorinformation", "note"}


def page_error_codes(text: str):
    """Codes in the page's error tables, read by this script on its own."""
    codes = set()
    in_errors = False
    code_col = None
    for line in text.splitlines():
        t = line.strip()
        if t.startswith("#"):
            in_errors = "error" in t.lower()
            code_col = None
            continue
        if not in_errors or not t.startswith("|"):
            continue
        cells = [c.strip() for c in t.strip("|").split("|")]
        low = [c.lower().replace(" ", "") for c in cells]
        if "errorcode" in low:
            code_col = low.index("errorcode")
            continue
        if code_col is None or code_col >= len(cells) or set(cells[code_col]) <= set("-: "):
            continue
        code = cells[code_col].replace("\\_", "_")
        # Cells that start lines of their own put header words in the code column.
        if code.lower().replace(" ", "") in HEADER_WORDS:
            continue
        if re.fullmatch(r"[A-Za-z][A-Za-z0-9._%-]*", code):
            codes.add(code)
    return codes


def request_text(text: str) -> str:
    """The page up to its response section: where request parameters are named."""
    m = re.search(r"^#+\s*(?:\d+\.\s*)?(?:Response|Output|Return)", text, re.M | re.I)
    return text[: m.start()] if m else text


def derive_all(files):
    binary = ROOT / "target" / "release" / "docpact"
    # Always through cargo: a stale binary would measure old code.
    subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "docpact"],
                   cwd=ROOT, check=True)
    r = subprocess.run([str(binary), "derive", "--format", "json", *map(str, files)],
                       capture_output=True, text=True)
    if r.returncode not in (0, 1, 3):
        sys.exit(f"derive failed ({r.returncode}): {r.stderr[:2000]}")
    out = json.loads(r.stdout)
    return out if isinstance(out, list) else [out], r.stderr


def measure(out: Path) -> None:
    cache = ROOT / "target" / "corpus" / "sdk"
    rows = manifest()
    files = [page_file(out, r) for r in rows]
    missing = [f for f in files if not f.exists()]
    if missing:
        sys.exit(f"{len(missing)} pages missing (run `corpus.py build REPOS` first): {missing[0]}")
    contracts, _ = derive_all(files)
    ali = alibaba_truth(cache)
    ali_required = tea_required(cache)
    tc = tencent_truth(cache)
    stats = defaultdict(lambda: defaultdict(int))
    pages = []
    for row, f, c in zip(rows, files, contracts):
        text = f.read_text()
        prov = row["provider"]
        if prov == "alibaba":
            t = ali.get((row["product"], row["version"], row["action"]))
            if t is None and not row["version"]:
                t = next((v for k, v in sorted(ali.items(), reverse=True)
                          if k[0] == row["product"] and k[2] == row["action"]), None)
        else:
            t = tc(row["product"], row["version"], row["action"])
        fam = layout_of(text)
        entry = {"page": str(f.relative_to(out)), "layout": fam, "draft": c.get("draft", False)}
        errors_on_page = page_error_codes(text)
        errors_read = {e["code"] for e in c.get("errors", [])}
        entry["errors_on_page"] = len(errors_on_page)
        entry["errors_read"] = len(errors_on_page & errors_read)
        for key in ("all", fam, prov):
            stats[key]["pages"] += 1
            stats[key]["errors_on_page"] += len(errors_on_page)
            stats[key]["errors_read"] += len(errors_on_page & errors_read)
            stats[key]["empty"] += int(not c.get("parameters"))
        if t is None:
            entry["truth"] = "none"
            pages.append(entry)
            for key in ("all", fam, prov):
                stats[key]["no_truth"] += 1
            continue
        derived = {}
        for p in c.get("parameters", []):
            if p.get("location") == "common" or p["name"] in COMMON[prov]:
                continue
            if prov == "alibaba" and c.get("style") == "alibaba_roa" and p.get("location") == "body":
                continue  # the ROA SDKs take the body as one document
            derived.setdefault(top(p["name"]), p)
        truth = {top(k): v for k, v in t["params"].items() if top(k) not in COMMON[prov]}
        # A parameter the SDK has and the page never names is documentation drift, not a
        # derive miss: counted apart.
        request_part = request_text(text)
        on_page = {k for k in truth
                   if re.search(rf"(?<![A-Za-z0-9]){re.escape(k)}(?![A-Za-z0-9])", request_part)}
        hit = set(derived) & set(truth)
        entry.update(truth_params=sorted(truth), derived=sorted(derived),
                     missed=sorted(on_page - set(derived)), extra=sorted(set(derived) - set(truth)),
                     sdk_only=sorted(set(truth) - on_page))
        req_agree = req_total = type_agree = type_total = 0
        for k in hit:
            d, g = derived[k], truth[k]
            if prov == "tencent":
                req_total += 1
                req_agree += int(bool(d.get("required")) == bool(g.get("required")))
                gt = {"string": "string", "int": "integer", "float": "float", "bool": "boolean",
                      "list": "array", "object": "object", "binary": "string"}.get(g["type"])
                dt = d.get("type")
                if dt == "long":
                    dt = "integer"
                type_total += 1
                type_agree += int(gt == dt)
            else:
                flags = ali_required.get((row["product"], row["action"]), {})
                if k in flags:
                    req_total += 1
                    req_agree += int(bool(d.get("required")) == flags[k])
            if prov == "alibaba" and g.get("type"):
                gt = {"String": "string", "Integer": "integer", "Long": "integer",
                      "Boolean": "boolean", "Float": "float", "Double": "float",
                      "RepeatList": "array", "Array": "array", "Json": "object",
                      "Struct": "object", "Map": "object"}.get(g["type"])
                if gt:
                    dt = d.get("type")
                    if dt == "long":
                        dt = "integer"
                    type_total += 1
                    type_agree += int(gt == dt or (gt == "array" and "." in d["name"]))
        for key in ("all", fam, prov):
            s = stats[key]
            s["truth"] += len(on_page)
            s["sdk_only"] += len(set(truth) - on_page)
            s["recalled"] += len(hit & on_page)
            s["derived"] += len(derived)
            s["correct"] += len(hit)
            s["req_agree"] += req_agree
            s["req_total"] += req_total
            s["type_agree"] += type_agree
            s["type_total"] += type_total
        pages.append(entry)
    (out / "results.json").write_text(json.dumps({"pages": pages, "stats": stats}, indent=1))

    def pct(a, b):
        return f"{100 * a / b:.1f}%" if b else "n/a"
    print("| pages | layout | recall | precision | required agrees | type agrees | error codes read | SDK-only parameters |")
    print("|---|---|---|---|---|---|---|---|")
    order = ["all", "alibaba", "tencent"] + sorted(k for k in stats if k not in ("all", "alibaba", "tencent"))
    for k in order:
        s = stats[k]
        print(f"| {s['pages']} | {k} | {pct(s['recalled'], s['truth'])} ({s['recalled']}/{s['truth']}) "
              f"| {pct(s['correct'], s['derived'])} ({s['correct']}/{s['derived']}) "
              f"| {pct(s['req_agree'], s['req_total'])} | {pct(s['type_agree'], s['type_total'])} "
              f"| {s['errors_read']}/{s['errors_on_page']} | {s['sdk_only']} |")


def main(argv):
    if len(argv) < 2 or argv[1] not in ("select", "build", "measure"):
        sys.exit(__doc__)
    if argv[1] == "select":
        select(Path(argv[2]))
    elif argv[1] == "build":
        build(Path(argv[2]), Path(argv[3]) if len(argv) > 3 else ROOT / "target/corpus/pages")
    else:
        measure(Path(argv[2]) if len(argv) > 2 else ROOT / "target/corpus/pages")


if __name__ == "__main__":
    main(sys.argv)
