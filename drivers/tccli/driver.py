"""docpact driver for tccli, Tencent Cloud's command line (oneshot mode of the driver protocol).

One process per call: the case is the whole of standard input, the answer the whole of
standard output. The call becomes `tccli <service> <Action> --cli-input-json file://...`,
run by the python of .venv-tccli (drivers/setup-tccli.sh installs it; DOCPACT_TCCLI_PYTHON
names another). tccli speaks https only, so run `docpact check --tls`: tccli's trust store
is pointed at DOCPACT_CA_CERT. Keys come from DOCPACT_SECRET_ID and DOCPACT_SECRET_KEY (the
checker sets them per call for authentication cases); DOCPACT_CLIENT_TIMEOUT_MS becomes
--timeout (whole seconds, at least 1). Standard library only."""
import json
import math
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
PYTHON = os.environ.get("DOCPACT_TCCLI_PYTHON") or os.path.join(HERE, "..", "..", ".venv-tccli", "bin", "python")
# tccli's SDK passes certifi's bundle to requests itself; the bundle is replaced here.
BOOT = ("import os, sys, certifi; ca = os.environ.get('DOCPACT_CA_CERT');\n"
        "if ca: certifi.where = lambda: ca\n"
        "sys.argv[0] = 'tccli'; from tccli.main import main; sys.exit(main())")
ERROR = re.compile(r"\[TencentCloudSDKException\] code:(?P<code>\S*) message:(?P<message>.*?) requestId:(?P<rid>\S*)\s*$", re.S)


def answer(case_id, ok, parsed=None, code=None, message=None, request_id=None):
    if ok:
        return {"id": case_id, "ok": True, "parsed": parsed}
    return {"id": case_id, "ok": False,
            "error": {"code": code, "message": message, "request_id": request_id, "http_status": None}}


def main():
    case = json.loads(sys.stdin.read())
    _, service, version, action = case["operation"].split("#")[0].split("/")
    timeout = max(1, math.ceil(int(os.environ.get("DOCPACT_CLIENT_TIMEOUT_MS", "60000")) / 1000))
    env = dict(os.environ)
    env["TENCENTCLOUD_SECRET_ID"] = os.environ.get("DOCPACT_SECRET_ID", "AKIDtest")
    env["TENCENTCLOUD_SECRET_KEY"] = os.environ.get("DOCPACT_SECRET_KEY", "testSecretKey")
    with tempfile.TemporaryDirectory() as home:
        env["HOME"] = home  # tccli writes its configuration and log under ~/.tccli
        path = os.path.join(home, "input.json")
        with open(path, "w") as f:
            json.dump(case.get("params", {}), f)
        command = [PYTHON, "-c", BOOT, service, action, "--version", version, "--region", "ap-guangzhou",
                   "--endpoint", os.environ.get("DOCPACT_ENDPOINT", "127.0.0.1:8080"),
                   "--timeout", str(timeout), "--cli-input-json", "file://" + path]
        done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode == 0:
        result = answer(case["id"], True, parsed=json.loads(done.stdout))
    else:
        err = done.stderr.strip()
        m = ERROR.search(err)
        if m:
            rid = m.group("rid")
            result = answer(case["id"], False, code=m.group("code"), message=m.group("message"),
                            request_id=None if rid in ("", "None") else rid)
        else:
            # tccli refused the call itself (a missing or mistyped argument).
            last = err.splitlines()[-1] if err else "tccli exited with status %d" % done.returncode
            result = answer(case["id"], False, code="TccliExit%d" % done.returncode, message=last)
    print(json.dumps(result))


main()
