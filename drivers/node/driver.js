// docpact driver for the official Node SDKs (@alicloud/pop-core, tencentcloud-sdk-nodejs).
// Stream mode of the driver protocol, as drivers/python/driver.py: a declaration first,
// then cases on stdin and one answer per line on stdout. Clients (case `client`, else
// DOCPACT_CLIENT, else popcore-post / tc3): popcore-get (RPC GET, pop-core's default),
// popcore-post (RPC form POST), popcore-roa (ROA JSON), tc3, tc-hmacsha256, tc-hmacsha1.
// Keys come from the case's `credentials` or the environment; DOCPACT_CLIENT_TIMEOUT_MS is
// the clients' timeout. The SDKs keep their default retries (none).
"use strict";
const readline = require("readline");

const ENDPOINT = process.env.DOCPACT_ENDPOINT || "127.0.0.1:8080";
const AK = process.env.DOCPACT_ACCESS_KEY_ID || "testAccessKeyId";
const SK = process.env.DOCPACT_ACCESS_KEY_SECRET || "testAccessKeySecret";
const TC_ID = process.env.DOCPACT_SECRET_ID || "AKIDtest";
const TC_KEY = process.env.DOCPACT_SECRET_KEY || "testSecretKey";
const CLIENT = process.env.DOCPACT_CLIENT || null;
const TIMEOUT_MS = parseInt(process.env.DOCPACT_CLIENT_TIMEOUT_MS || "10000", 10);

function version(pkg) {
  try {
    return `${pkg} ${require(`${pkg}/package.json`).version}`;
  } catch (e) {
    return `${pkg} (not installed)`;
  }
}

async function popcore(c) {
  const [, , apiVersion, action] = c.operation.split("#")[0].split("/");
  const keys = c.credentials || { key_id: AK, secret: SK };
  const config = {
    accessKeyId: keys.key_id, accessKeySecret: keys.secret, endpoint: `http://${ENDPOINT}`, apiVersion,
    opts: { timeout: TIMEOUT_MS },
  };
  if (c.client === "popcore-roa") {
    const { ROAClient } = require("@alicloud/pop-core");
    const client = new ROAClient(config);
    const body = JSON.stringify((c.params || {}).body || {});
    return client.request("POST", "/openapi/ha3/instances", {}, body, { "content-type": "application/json" },
      { timeout: TIMEOUT_MS });
  }
  const { RPCClient } = require("@alicloud/pop-core");
  const client = new RPCClient(config);
  const opts = c.client === "popcore-post"
    ? { method: "POST", formatParams: false, timeout: TIMEOUT_MS }
    : { timeout: TIMEOUT_MS };
  return client.request(action, c.params || {}, opts);
}

async function tencent(c) {
  const { Client } = require("tencentcloud-sdk-nodejs/tencentcloud/services/tcr/v20190924/tcr_client");
  const signMethod = { tc3: "TC3-HMAC-SHA256", "tc-hmacsha256": "HmacSHA256", "tc-hmacsha1": "HmacSHA1" }[c.client];
  const keys = c.credentials || { key_id: TC_ID, secret: TC_KEY };
  const client = new Client({
    credential: { secretId: keys.key_id, secretKey: keys.secret },
    region: "ap-guangzhou",
    profile: {
      signMethod,
      httpProfile: { endpoint: ENDPOINT, protocol: "http://", reqTimeout: Math.max(TIMEOUT_MS / 1000, 0.001) },
    },
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
  const alibaba = CLIENT && CLIENT.startsWith("popcore");
  // pop-core's RPC client calls RPC operations; its ROA client, ROA ones.
  const operations = CLIENT === null ? ["*"]
    : CLIENT === "popcore-roa" ? ["alibaba/searchengine/*"]
      : alibaba ? ["alibaba/bssopenapi/*", "alibaba/ens/*"] : ["tencent/*"];
  const about = (CLIENT === null ? ["@alicloud/pop-core", "tencentcloud-sdk-nodejs"]
    : alibaba ? ["@alicloud/pop-core"] : ["tencentcloud-sdk-nodejs"]).map(version).join(", ");
  process.stdout.write(JSON.stringify({ docpact_driver: { protocol: 1, operations, about } }) + "\n");
  const rl = readline.createInterface({ input: process.stdin });
  for await (const line of rl) {
    if (!line.trim()) continue;
    const c = JSON.parse(line);
    c.client = c.client || CLIENT || (c.operation.startsWith("tencent/") ? "tc3" : "popcore-post");
    let result;
    try {
      const parsed = c.client.startsWith("popcore") ? await popcore(c) : await tencent(c);
      result = { id: c.id, ok: true, parsed };
    } catch (e) {
      result = { id: c.id, ok: false, error: errorOf(e) };
    }
    process.stdout.write(JSON.stringify(result) + "\n");
  }
}

main();
