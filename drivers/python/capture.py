"""Sends one CreateInstance request per official Python SDK and signing scheme to ENDPOINT
(host:port, plain http), with the test credentials. Answers are ignored: the caller captures
what was sent. Usage: capture.py HOST:PORT"""
import json
import sys

ENDPOINT = sys.argv[1]
AK, SK = "testAccessKeyId", "testAccessKeySecret"
TC_ID, TC_KEY = "AKIDtest", "testSecretKey"


def tea_config():
    from alibabacloud_tea_openapi import models as open_api_models
    return open_api_models.Config(access_key_id=AK, access_key_secret=SK,
                                  endpoint=ENDPOINT, protocol="http", region_id="cn-hangzhou")


def tea_bss():
    from alibabacloud_bssopenapi20171214.client import Client
    from alibabacloud_bssopenapi20171214 import models as m
    params = [m.CreateInstanceRequestParameter(code=c, value=v) for c, v in [
        ("InstanceType", "Standard"), ("InstanceName", "auto-create-instance"), ("Region", "cn-shanghai"),
        ("DefaultOssBucket", "true")]]
    Client(tea_config()).create_instance(m.CreateInstanceRequest(
        product_code="acr", subscription_type="Subscription", period=12, parameter=params,
        client_token="tok a*b~c"))


def tea_ens():
    from alibabacloud_ens20171110.client import Client
    from alibabacloud_ens20171110 import models as m
    Client(tea_config()).create_instance(m.CreateInstanceRequest(
        instance_type="ens.se1.tiny", ens_region_id="cn-hangzhou", period="12", quantity="1",
        password="yourPassword:1", unique_suffix=False,
        data_disk=[m.CreateInstanceRequestDataDisk(size="50")],
        system_disk=m.CreateInstanceRequestSystemDisk(size="40")))


def tea_searchengine():
    from alibabacloud_searchengine20211025.client import Client
    from alibabacloud_searchengine20211025 import models as m
    Client(tea_config()).create_instance(m.CreateInstanceRequest(
        charge_type="PREPAY", order=m.CreateInstanceRequestOrder(auto_renew=True, duration=1, pricing_cycle="Month")))


def core_client():
    from aliyunsdkcore.client import AcsClient
    return AcsClient(AK, SK, "cn-hangzhou")


def core_rpc():
    from aliyunsdkcore.request import CommonRequest
    r = CommonRequest(domain=ENDPOINT, version="2017-12-14", action_name="CreateInstance")
    r.set_protocol_type("http")
    r.set_method("POST")
    for k, v in [("ProductCode", "rds"), ("SubscriptionType", "PayAsYouGo"), ("Parameter.1.Code", "Spec"),
                 ("Parameter.1.Value", "a b/c*d~e+f=g&h")]:
        r.add_query_param(k, v)
    core_client().do_action_with_exception(r)


def core_roa():
    from aliyunsdkcore.request import CommonRequest
    r = CommonRequest(domain=ENDPOINT, version="2021-10-25", action_name="CreateInstance",
                      uri_pattern="/openapi/ha3/instances")
    r.set_protocol_type("http")
    r.set_method("POST")
    r.add_header("Content-Type", "application/json")
    r.set_content(json.dumps({"chargeType": "PREPAY", "order": {"autoRenew": True, "duration": 1}}).encode())
    core_client().do_action_with_exception(r)


def tencent(sign_method):
    from tencentcloud.common import credential
    from tencentcloud.common.profile.client_profile import ClientProfile
    from tencentcloud.common.profile.http_profile import HttpProfile
    from tencentcloud.tcr.v20190924 import tcr_client, models
    hp = HttpProfile(endpoint=ENDPOINT, protocol="http")
    cp = ClientProfile(httpProfile=hp, signMethod=sign_method)
    client = tcr_client.TcrClient(credential.Credential(TC_ID, TC_KEY), "ap-guangzhou", cp)
    req = models.CreateInstanceRequest()
    req.from_json_string(json.dumps({"RegistryName": "tcr-test", "RegistryType": "standard", "SyncTag": True,
                                     "TagSpecification": {"ResourceType": "instance",
                                                          "Tags": [{"Key": "env", "Value": "a b*~"}]}}))
    client.CreateInstance(req)


CALLS = [
    ("py-tea/bss", tea_bss), ("py-tea/ens", tea_ens), ("py-tea/searchengine", tea_searchengine),
    ("py-core/bss", core_rpc), ("py-core/searchengine", core_roa),
    ("py-tc/tc3", lambda: tencent("TC3-HMAC-SHA256")), ("py-tc/hmacsha256", lambda: tencent("HmacSHA256")),
    ("py-tc/hmacsha1", lambda: tencent("HmacSHA1")),
]

for name, call in CALLS:
    try:
        call()
        outcome = "answered"
    except Exception as e:  # the capture server's answer is not what the SDK parses
        outcome = type(e).__name__
    print(json.dumps({"driver": name, "outcome": outcome}), flush=True)
