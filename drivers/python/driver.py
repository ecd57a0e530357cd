"""docpact driver for the official Python SDKs.

Reads cases (one JSON object per line) on standard input and prints one JSON result per line:
{"id", "ok": true, "parsed": {...}} or {"id", "ok": false, "error": {"code", "message",
"request_id", "http_status"}}. A case is {"id", "client", "operation", "params"}:
  client: tea | core | tc3 | tc-hmacsha256 | tc-hmacsha1  (default: tea or tc3)
  operation: an operation id such as alibaba/ens/2017-11-10/CreateInstance
  params: documented names; flat for Alibaba RPC (Parameter.1.Code), nested for Tencent and
          for the Havenask body ({"body": {...}})
  raw: true sends Tencent parameters as given (no model), to reach undocumented ones.
Environment: DOCPACT_ENDPOINT (host:port), DOCPACT_ACCESS_KEY_ID, DOCPACT_ACCESS_KEY_SECRET,
DOCPACT_SECRET_ID, DOCPACT_SECRET_KEY, and DOCPACT_CA_CERT (https for Tencent, trusting that PEM)."""
import json
import os
import sys

ENDPOINT = os.environ.get("DOCPACT_ENDPOINT", "127.0.0.1:8080")
AK = os.environ.get("DOCPACT_ACCESS_KEY_ID", "testAccessKeyId")
SK = os.environ.get("DOCPACT_ACCESS_KEY_SECRET", "testAccessKeySecret")
TC_ID = os.environ.get("DOCPACT_SECRET_ID", "AKIDtest")
TC_KEY = os.environ.get("DOCPACT_SECRET_KEY", "testSecretKey")
# With a CA certificate (docpact serve --tls writes one), Tencent calls go over https.
CA_CERT = os.environ.get("DOCPACT_CA_CERT")


def nest(flat):
    """Parameter.1.Code=x, SystemDisk.Size=40 -> {"Parameter": [{"Code": x}], "SystemDisk": {"Size": 40}}."""
    root = {}
    for name, value in flat.items():
        node = root
        parts = name.split(".")
        for i, part in enumerate(parts[:-1]):
            node = node.setdefault(part, {})
        node[parts[-1]] = value

    def listify(v):
        if isinstance(v, dict):
            if v and all(k.isdigit() for k in v):
                return [listify(v[k]) for k in sorted(v, key=int)]
            return {k: listify(x) for k, x in v.items()}
        return v
    return listify(root)


def tea(operation, params):
    from alibabacloud_tea_openapi import models as open_api_models
    config = open_api_models.Config(access_key_id=AK, access_key_secret=SK, endpoint=ENDPOINT,
                                    protocol="http", region_id="cn-hangzhou")
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


def core(operation, params):
    from aliyunsdkcore.client import AcsClient
    from aliyunsdkcore.request import CommonRequest
    _, product, version, action = operation.split("#")[0].split("/")
    client = AcsClient(AK, SK, "cn-hangzhou", auto_retry=False)
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


def tencent(operation, params, sign_method, raw):
    from tencentcloud.common import credential
    from tencentcloud.common.profile.client_profile import ClientProfile
    from tencentcloud.common.profile.http_profile import HttpProfile
    from tencentcloud.tcr.v20190924 import tcr_client, models
    if CA_CERT:
        http_profile = HttpProfile(endpoint=ENDPOINT, protocol="https", certification=CA_CERT)
    else:
        http_profile = HttpProfile(endpoint=ENDPOINT, protocol="http")
    profile = ClientProfile(httpProfile=http_profile, signMethod=sign_method)
    client = tcr_client.TcrClient(credential.Credential(TC_ID, TC_KEY), "ap-guangzhou", profile)
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
    client = case.get("client") or ("tc3" if operation.startswith("tencent/") else "tea")
    if client == "tea":
        return tea(operation, params)
    if client == "core":
        return core(operation, params)
    methods = {"tc3": "TC3-HMAC-SHA256", "tc-hmacsha256": "HmacSHA256", "tc-hmacsha1": "HmacSHA1"}
    if client in methods:
        return tencent(operation, params, methods[client], case.get("raw", False))
    raise ValueError("unknown client " + client)


for line in sys.stdin:
    if not line.strip():
        continue
    case = json.loads(line)
    try:
        result = {"id": case.get("id"), "ok": True, "parsed": run(case)}
    except Exception as e:  # every SDK failure is a result, not a crash
        result = {"id": case.get("id"), "ok": False, "error": error_of(e)}
    print(json.dumps(result, default=str), flush=True)
