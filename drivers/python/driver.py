"""docpact driver for the official Python SDKs (stream mode of the driver protocol).

Reads cases, one JSON object per line, on standard input and prints one JSON answer per line:
{"id", "ok": true, "parsed": {...}} or {"id", "ok": false, "error": {"code", "message",
"request_id", "http_status"}}. First it prints a declaration of the operations its client
drives. A case is {"id", "operation", "params", "client"?, "credentials"?}:
  client: tea | core | tc3 | tc-hmacsha256 | tc-hmacsha1 (case, else DOCPACT_CLIENT, else tea
          for Alibaba operations and tc3 for Tencent ones)
  operation: a contract id such as alibaba/ens/2017-11-10/CreateInstance
  params: documented names; flat for Alibaba RPC (Parameter.1.Code), nested for Tencent and
          for the Havenask body ({"body": {...}})
  credentials: {"key_id", "secret"} to sign with instead of the environment's keys
  raw: true sends Tencent parameters as given (no model), to reach undocumented ones.
Environment: DOCPACT_ENDPOINT (host:port), DOCPACT_ACCESS_KEY_ID, DOCPACT_ACCESS_KEY_SECRET,
DOCPACT_SECRET_ID, DOCPACT_SECRET_KEY, DOCPACT_CLIENT, DOCPACT_CLIENT_TIMEOUT_MS, and
DOCPACT_CA_CERT (https for Tencent, trusting that PEM). Each SDK keeps its default retries."""
import json
import os
import sys
from importlib import metadata

ENDPOINT = os.environ.get("DOCPACT_ENDPOINT", "127.0.0.1:8080")
AK = os.environ.get("DOCPACT_ACCESS_KEY_ID", "testAccessKeyId")
SK = os.environ.get("DOCPACT_ACCESS_KEY_SECRET", "testAccessKeySecret")
TC_ID = os.environ.get("DOCPACT_SECRET_ID", "AKIDtest")
TC_KEY = os.environ.get("DOCPACT_SECRET_KEY", "testSecretKey")
CLIENT = os.environ.get("DOCPACT_CLIENT") or None
TIMEOUT_MS = int(os.environ.get("DOCPACT_CLIENT_TIMEOUT_MS", "10000"))
# With a CA certificate (docpact check --tls sets one), Tencent calls go over https.
CA_CERT = os.environ.get("DOCPACT_CA_CERT")

PACKAGES = {
    "tea": ["alibabacloud-tea-openapi", "alibabacloud-bssopenapi20171214", "alibabacloud-ens20171110",
            "alibabacloud-searchengine20211025"],
    "core": ["aliyun-python-sdk-core", "aliyun-python-sdk-bssopenapi", "aliyun-python-sdk-ens"],
    "tc": ["tencentcloud-sdk-python-common", "tencentcloud-sdk-python-tcr"],
}


def about(client):
    family = "tc" if client and client.startswith("tc") else (client or "tea")
    versions = []
    for p in PACKAGES.get(family, []):
        try:
            versions.append(f"{p} {metadata.version(p)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{p} (not installed)")
    return ", ".join(versions)


def nest(flat):
    """Parameter.1.Code=x, SystemDisk.Size=40 -> {"Parameter": [{"Code": x}], "SystemDisk": {"Size": 40}}."""
    root = {}
    for name, value in flat.items():
        node = root
        parts = name.split(".")
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value

    def listify(v):
        if isinstance(v, dict):
            if v and all(k.isdigit() for k in v):
                return [listify(v[k]) for k in sorted(v, key=int)]
            return {k: listify(x) for k, x in v.items()}
        return v
    return listify(root)


def tea(operation, params, ak, sk):
    from alibabacloud_tea_openapi import models as open_api_models
    config = open_api_models.Config(access_key_id=ak, access_key_secret=sk, endpoint=ENDPOINT,
                                    protocol="http", region_id="cn-hangzhou",
                                    connect_timeout=TIMEOUT_MS, read_timeout=TIMEOUT_MS)
    if "/bssopenapi/" in operation:
        from alibabacloud_bssopenapi20171214.client import Client
        from alibabacloud_bssopenapi20171214 import models
        request = models.CreateInstanceRequest().from_map(nest(params))
    elif "/ens/" in operation:
        from alibabacloud_ens20171110.client import Client
        from alibabacloud_ens20171110 import models
        request = models.CreateInstanceRequest().from_map(nest(params))
    elif "/searchengine/" in operation:
        from alibabacloud_searchengine20211025.client import Client
        from alibabacloud_searchengine20211025 import models
        request = models.CreateInstanceRequest().from_map(params.get("body", {}))
    else:
        raise ValueError("tea drives Alibaba operations only")
    response = Client(config).create_instance(request)
    return response.body.to_map()


def core(operation, params, ak, sk):
    from aliyunsdkcore.client import AcsClient
    from aliyunsdkcore.request import CommonRequest
    _, product, version, action = operation.split("#")[0].split("/")
    seconds = max(TIMEOUT_MS / 1000.0, 0.001)
    client = AcsClient(ak, sk, "cn-hangzhou", connect_timeout=seconds, timeout=seconds)
    if product == "searchengine":
        r = CommonRequest(domain=ENDPOINT, version=version, action_name=action,
                          uri_pattern="/openapi/ha3/instances")
        r.set_method("POST")
        r.add_header("Content-Type", "application/json")
        r.set_content(json.dumps(params.get("body", {})).encode())
    else:
        # The product packages' request classes, as their users write them.
        if product == "bssopenapi":
            from aliyunsdkbssopenapi.request.v20171214.CreateInstanceRequest import CreateInstanceRequest
        else:
            from aliyunsdkens.request.v20171110.CreateInstanceRequest import CreateInstanceRequest
        r = CreateInstanceRequest()
        r.set_endpoint(ENDPOINT)
        for k, v in params.items():
            r.add_query_param(k, v)
    r.set_protocol_type("http")
    return json.loads(client.do_action_with_exception(r))


def tencent(operation, params, sign_method, raw, secret_id, secret_key):
    from tencentcloud.common import credential
    from tencentcloud.common.profile.client_profile import ClientProfile
    from tencentcloud.common.profile.http_profile import HttpProfile
    from tencentcloud.tcr.v20190924 import tcr_client, models
    seconds = max(TIMEOUT_MS / 1000.0, 0.001)
    if CA_CERT:
        http_profile = HttpProfile(endpoint=ENDPOINT, protocol="https", certification=CA_CERT,
                                   reqTimeout=seconds)
    else:
        http_profile = HttpProfile(endpoint=ENDPOINT, protocol="http", reqTimeout=seconds)
    profile = ClientProfile(httpProfile=http_profile, signMethod=sign_method)
    client = tcr_client.TcrClient(credential.Credential(secret_id, secret_key), "ap-guangzhou", profile)
    if raw:
        return client.call_json("CreateInstance", params)["Response"]
    request = models.CreateInstanceRequest()
    request.from_json_string(json.dumps(params))
    return json.loads(client.CreateInstance(request).to_json_string())


def error_of(e):
    if hasattr(e, "get_code"):  # TencentCloudSDKException
        return {"code": e.get_code(), "message": e.get_message(), "request_id": e.get_request_id(), "http_status": None}
    if hasattr(e, "get_error_code"):  # aliyunsdkcore ServerException / ClientException
        status = e.get_http_status() if hasattr(e, "get_http_status") else None
        rid = e.get_request_id() if hasattr(e, "get_request_id") else None
        return {"code": e.get_error_code(), "message": e.get_error_msg(), "request_id": rid, "http_status": status}
    data = getattr(e, "data", None) or {}
    return {"code": getattr(e, "code", type(e).__name__), "message": getattr(e, "message", str(e)),
            "request_id": data.get("RequestId") or data.get("requestId"),
            "http_status": getattr(e, "status_code", None) or getattr(e, "statusCode", None)}


def run(case):
    operation = case["operation"]
    params = case.get("params", {})
    client = case.get("client") or CLIENT or ("tc3" if operation.startswith("tencent/") else "tea")
    keys = case.get("credentials")
    if client in ("tea", "core"):
        ak, sk = (keys["key_id"], keys["secret"]) if keys else (AK, SK)
        return (tea if client == "tea" else core)(operation, params, ak, sk)
    methods = {"tc3": "TC3-HMAC-SHA256", "tc-hmacsha256": "HmacSHA256", "tc-hmacsha1": "HmacSHA1"}
    if client in methods:
        sid, skey = (keys["key_id"], keys["secret"]) if keys else (TC_ID, TC_KEY)
        return tencent(operation, params, methods[client], case.get("raw", False), sid, skey)
    raise ValueError("unknown client " + client)


def declare():
    if CLIENT is None:
        operations = ["*"]
    elif CLIENT in ("tea", "core"):
        operations = ["alibaba/*"]
    else:
        operations = ["tencent/*"]
    print(json.dumps({"docpact_driver": {"protocol": 1, "operations": operations,
                                         "about": about(CLIENT)}}), flush=True)


declare()
for line in sys.stdin:
    if not line.strip():
        continue
    case = json.loads(line)
    try:
        result = {"id": case.get("id"), "ok": True, "parsed": run(case)}
    except Exception as e:  # every SDK failure is a result, not a crash
        result = {"id": case.get("id"), "ok": False, "error": error_of(e)}
    print(json.dumps(result, default=str), flush=True)
