//! Writes raw HTTP/1.1 requests, each signed on its own, for the replay benchmark: TC3
//! (TCR CreateInstance) and ACS3 (ENS CreateInstance) alternating, separated by NUL bytes.
//! Usage: gen_requests HOST:PORT COUNT OUT

use std::io::Write;
use std::time::{SystemTime, UNIX_EPOCH};

use docpact::protocol::SignInput;
use docpact::protocol::alibaba::acs3;
use docpact::protocol::tencent::tc3;

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let [_, host, count, out] = args.as_slice() else {
        eprintln!("usage: gen_requests HOST:PORT COUNT OUT");
        std::process::exit(2);
    };
    let count: usize = count.parse().map_err(std::io::Error::other)?;
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_err(std::io::Error::other)?
        .as_secs() as i64;
    let mut file = std::io::BufWriter::new(std::fs::File::create(out)?);
    for i in 0..count {
        let nonce = format!("{i:032x}");
        let req = if i % 2 == 0 {
            let body = format!(
                r#"{{"RegistryName":"tcr-bench-{i}","RegistryType":"basic","SyncTag":true}}"#
            );
            let s = SignInput {
                host,
                key_id: "AKIDtest",
                secret: "testSecretKey",
                timestamp: now,
                nonce: "",
            };
            tc3::build(
                "tcr",
                "CreateInstance",
                "2019-09-24",
                "ap-guangzhou",
                body.as_bytes(),
                &s,
            )
        } else {
            let params: Vec<(String, String)> = [
                ("InstanceType", "ens.se1.tiny".to_string()),
                ("EnsRegionId", "cn-hangzhou".to_string()),
                ("Period", "1".to_string()),
                ("Quantity", "1".to_string()),
                ("InstanceName", format!("bench-{i}")),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect();
            let s = SignInput {
                host,
                key_id: "testAccessKeyId",
                secret: "testAccessKeySecret",
                timestamp: now,
                nonce: &nonce,
            };
            acs3::build(
                "POST",
                "/",
                "CreateInstance",
                "2017-11-10",
                &params,
                None,
                &s,
            )
        };
        file.write_all(&req.to_http1())?;
        file.write_all(b"\0")?;
    }
    file.flush()
}
