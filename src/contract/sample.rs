//! Reading the samples pages print.

/// Parses a sample request printed as a URL, one `&name=value` per line, into pairs in
/// order. The `&<Common request parameters>` placeholder is skipped; values are taken as
/// printed (pages do not percent-encode them).
pub fn parse_url_sample(text: &str) -> Result<Vec<(String, String)>, String> {
    let joined: String = text.lines().map(str::trim).collect();
    let Some((_, query)) = joined.split_once('?') else {
        return Err("has no query string".into());
    };
    let mut pairs = Vec::new();
    for part in query.split('&') {
        if part.is_empty() || (part.starts_with('<') && part.ends_with('>')) {
            continue;
        }
        match part.split_once('=') {
            Some((name, value)) if !name.is_empty() => {
                pairs.push((name.to_string(), value.to_string()));
            }
            _ => return Err(format!("has a part without name=value: {part:?}")),
        }
    }
    Ok(pairs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_printed_url_samples() {
        let text =
            "http(s)://[Endpoint]/?Action=CreateInstance\n&Period=12\n&<Common request parameters>";
        let pairs = parse_url_sample(text).unwrap();
        assert_eq!(
            pairs,
            vec![
                ("Action".to_string(), "CreateInstance".to_string()),
                ("Period".to_string(), "12".to_string())
            ]
        );
        assert!(parse_url_sample("no query").is_err());
        assert!(parse_url_sample("x/?a").is_err());
    }
}
