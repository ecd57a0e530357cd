// docpact driver for the official Node SDKs (@alicloud/pop-core, tencentcloud-sdk-nodejs).
// Same protocol as drivers/python/driver.py: cases on stdin, one JSON per line; one result
// per line on stdout. Clients: popcore-get (RPC GET, pop-core's default), popcore-post (RPC
// form POST), popcore-roa (ROA JSON), tc3, tc-hmacsha256, tc-hmacsha1.
"use strict";
const readline = require("readline");

const ENDPOINT = process.env.DOCPACT_ENDPOINT || "127.0.0.1:8080";
const AK = process.env.DOCPACT_ACCESS_KEY_ID || "testAccessKeyId";
const SK = process.env.DOCPACT_ACCESS_KEY_SECRET || "testAccessKeySecret";
const TC_ID = process.env.DOCPACT_SECRET_ID || "AKIDtest";
const TC_KEY = process.env.DOCPACT_SECRET_KEY || "testSecretKey";

async function popcore(c) {
  const [, , version, action] = c.operation.split("#")[0].split("/");
  const config = { accessKeyId: AK, accessKeySecret: SK, endpoint: `http://${ENDPOINT}`, apiVersion: version };
  if (c.client === "popcore-roa") {
    const { ROAClient } = require("@alicloud/pop-core");
    const client = new ROAClient(config);
    const body = JSON.stringify((c.params || {}).body || {});
    return client.request("POST", "/openapi/ha3/instances", {}, body, { "content-type": "application/json" });
  }
  const { RPCClient } = require("@alicloud/pop-core");
  const client = new RPCClient(config);
  const opts = c.client === "popcore-post" ? { method: "POST", formatParams: false } : {};
  return client.request(action, c.params || {}, opts);
}

async function tencent(c) {
  const { Client } = require("tencentcloud-sdk-nodejs/tencentcloud/services/tcr/v20190924/tcr_client");
  const signMethod = { tc3: "TC3-HMAC-SHA256", "tc-hmacsha256": "HmacSHA256", "tc-hmacsha1": "HmacSHA1" }[c.client];
  const client = new Client({
    credential: { secretId: TC_ID, secretKey: TC_KEY },
    region: "ap-guangzhou",
    profile: { signMethod, httpProfile: { endpoint: ENDPOINT, protocol: "http://" } },
  });
  return client.CreateInstance(c.params || {});
}

function errorOf(e) {
  const data = e.data || e.result || {};
  const status = e.statusCode || e.httpCode || (e.entry && e.entry.response && e.entry.response.statusCode) || null;
  return {
    code: e.code || e.name || "Error",
    message: e.message || String(e),
    request_id: e.requestId || data.RequestId || data.requestId || null,
    http_status: status,
  };
}

async function main() {
  const rl = readline.createInterface({ input: process.stdin });
  for await (const line of rl) {
    if (!line.trim()) continue;
    const c = JSON.parse(line);
    const client = c.client || (c.operation.startsWith("tencent/") ? "tc3" : "popcore-post");
    c.client = client;
    let result;
    try {
      const parsed = client.startsWith("popcore") ? await popcore(c) : await tencent(c);
      result = { id: c.id, ok: true, parsed };
    } catch (e) {
      result = { id: c.id, ok: false, error: errorOf(e) };
    }
    process.stdout.write(JSON.stringify(result) + "\n");
  }
}

main();
