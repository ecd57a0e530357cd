//! Percent-encoding, query parsing, hashes and dates: the byte-exact pieces every signature
//! scheme is built from.

use std::borrow::Cow;

use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use super::call::Pair;

/// Why a query or form body could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormError {
    /// `%` not followed by two hex digits.
    BadPercent(String),
    /// The decoded bytes are not UTF-8.
    NotUtf8(String),
    /// A parameter name is empty.
    EmptyName,
    /// More than [`MAX_VALUES`] pairs.
    TooMany,
}

/// The most values docpact decodes from one request's query, form body or JSON body (pairs,
/// or JSON values of any kind). Decoded values take several times the bytes they were sent
/// in, so without a count a 10 MB body of `a&a&…` or `[0,0,…]` would cost hundreds of
/// megabytes; real requests carry a few hundred at most.
pub const MAX_VALUES: usize = 50_000;

/// Which bytes RFC 3986 leaves literal: `A-Z a-z 0-9 - _ . ~`.
const UNRESERVED: [bool; 256] = {
    let mut table = [false; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        table[i] = b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~');
        i += 1;
    }
    table
};

/// Whether RFC 3986 leaves `b` literal.
#[inline]
fn unreserved(b: u8) -> bool {
    UNRESERVED[usize::from(b)]
}

const HEX_UPPER: &[u8; 16] = b"0123456789ABCDEF";

/// RFC 3986 encoding: only `A-Z a-z 0-9 - _ . ~` stay literal (space is `%20`, `*` is `%2A`).
pub fn pct(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 2);
    pct_into(&mut out, s);
    out
}

/// [`pct`], appended to `out`: literal runs copied whole, the rest as `%XX`.
pub fn pct_into(out: &mut String, s: &str) {
    pct_with::<false>(out, s);
}

/// [`pct`] applied twice, appended to `out`: an encoded byte becomes `%25XX` directly.
pub fn pct_twice_into(out: &mut String, s: &str) {
    pct_with::<true>(out, s);
}

/// Literal runs copied whole; every other byte as `%` (`%25` when encoding `TWICE`) and two
/// hex digits. Inlined into its callers: most names and values are literal throughout, and
/// for them this is one check and one copy, without a call; the others go on in
/// [`pct_escaped`].
#[inline(always)]
fn pct_with<const TWICE: bool>(out: &mut String, s: &str) {
    let end = literal_run(s.as_bytes(), 0);
    if end == s.len() {
        out.push_str(s);
    } else {
        pct_escaped::<TWICE>(out, s, end);
    }
}

/// [`pct_with`] of `s`, whose first byte to encode is at `first`. The escape is a constant
/// of each copy of the function, so that writing it is a store rather than a call to copy
/// bytes of a length known only at run time.
#[inline(never)]
fn pct_escaped<const TWICE: bool>(out: &mut String, s: &str, first: usize) {
    let escape = if TWICE { "%25" } else { "%" };
    let bytes = s.as_bytes();
    out.reserve(bytes.len() + 4);
    out.push_str(&s[..first]);
    let mut start = first;
    loop {
        let end = literal_run(bytes, start);
        // `start` follows an encoded byte: it is a boundary only where a literal run began
        // (a literal byte is ASCII, so both ends of a run are character boundaries).
        if start < end {
            out.push_str(&s[start..end]);
        }
        let Some(&b) = bytes.get(end) else {
            return;
        };
        out.push_str(escape);
        out.push(char::from(HEX_UPPER[usize::from(b >> 4)]));
        out.push(char::from(HEX_UPPER[usize::from(b & 0xF)]));
        start = end + 1;
    }
}

/// Where the run of unreserved bytes that starts at `i` ends (the length if it does not).
/// Eight bytes are looked up at a time, without a branch per byte, while all are literal:
/// most names and values are literal throughout.
fn literal_run(bytes: &[u8], mut i: usize) -> usize {
    for chunk in bytes.get(i..).unwrap_or_default().chunks_exact(8) {
        if !chunk.iter().fold(true, |all, &b| all & unreserved(b)) {
            break;
        }
        i += 8;
    }
    while bytes.get(i).is_some_and(|&b| unreserved(b)) {
        i += 1;
    }
    i
}

/// Orders two strings as their [`pct`] encodings order, without encoding them. Up to the
/// first differing byte the encodings agree; there, two literal bytes or two encoded bytes
/// (`%` and the same-ordered hex digits) order as the bytes do, and an encoded byte (`%`,
/// 0x25) sorts before every literal one (all above 0x2C).
fn cmp_encoded(a: &str, b: &str) -> std::cmp::Ordering {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    match a.iter().zip(b).position(|(x, y)| x != y) {
        None => a.len().cmp(&b.len()),
        Some(i) => match (unreserved(a[i]), unreserved(b[i])) {
            (true, false) => std::cmp::Ordering::Greater,
            (false, true) => std::cmp::Ordering::Less,
            _ => a[i].cmp(&b[i]),
        },
    }
}

/// Pairs RFC 3986-encoded, sorted by encoded name then value, as `k=v` joined by `&`: the
/// canonical query of ACS3. `skip` names a parameter left out.
pub fn canonical_pairs<K: AsRef<str>, V: AsRef<str>>(
    pairs: &[(K, V)],
    skip: Option<&str>,
) -> String {
    let mut out = String::new();
    canonical_pairs_into(&mut out, pairs, skip, false);
    out
}

/// [`canonical_pairs`] appended to `out`, or, with `again`, that string encoded once more
/// (Alibaba RPC's string to sign: `=` as `%3D`, `&` as `%26`, `%XX` as `%25XX`). The pairs
/// are sorted by reference, in the order of their encodings, and written encoded in one
/// pass: no copy of a name or value.
pub fn canonical_pairs_into<'a, K: AsRef<str> + 'a, V: AsRef<str> + 'a>(
    out: &mut String,
    pairs: impl IntoIterator<Item = &'a (K, V)>,
    skip: Option<&str>,
    again: bool,
) {
    let order = CanonicalOrder::new(pairs, skip);
    out.reserve(order.room(again));
    order.write(out, again);
}

/// Pairs sorted by reference in the order of their encodings (name, then value), ready to be
/// written as [`canonical_pairs_into`] writes them; the room they take is known before, so
/// that a caller can size its text once.
pub struct CanonicalOrder<'a> {
    /// The pairs, by reference.
    order: Vec<(&'a str, &'a str)>,
    /// The bytes of the names and values, plus two separators a pair.
    size: usize,
}

impl<'a> CanonicalOrder<'a> {
    /// `pairs` without the one named `skip`, in canonical order.
    pub fn new<K: AsRef<str> + 'a, V: AsRef<str> + 'a>(
        pairs: impl IntoIterator<Item = &'a (K, V)>,
        skip: Option<&str>,
    ) -> Self {
        let pairs = pairs.into_iter();
        // Sized from the pairs' count: collecting through the filter would start from
        // nothing and grow the list twice for a usual request.
        let mut order = Vec::with_capacity(pairs.size_hint().0);
        let mut size = 0;
        for (k, v) in pairs {
            let (k, v) = (k.as_ref(), v.as_ref());
            if skip != Some(k) {
                size += k.len() + v.len() + 2;
                order.push((k, v));
            }
        }
        // Clients often send their pairs sorted already: one pass says so.
        if !order.is_sorted_by(|x, y| cmp_pairs(x, y).is_le()) {
            sort_pairs(&mut order);
        }
        CanonicalOrder { order, size }
    }

    /// Room for the pairs' text: encoded, or (`again`) encoded twice, as most requests' are.
    pub fn room(&self, again: bool) -> usize {
        if again {
            self.size * 3 / 2
        } else {
            self.size * 5 / 4
        }
    }

    /// The pairs as `k=v` joined by `&`, encoded, or (`again`) that text encoded again.
    pub fn write(&self, out: &mut String, again: bool) {
        if again {
            write_pairs::<true>(out, &self.order);
        } else {
            write_pairs::<false>(out, &self.order);
        }
    }
}

/// Two pairs in canonical order: by name, then by value, as their encodings order.
fn cmp_pairs(x: &(&str, &str), y: &(&str, &str)) -> std::cmp::Ordering {
    cmp_encoded(x.0, y.0).then_with(|| cmp_encoded(x.1, y.1))
}

/// The most pairs [`sort_pairs`] sorts by number (the index takes a byte; the numbers live
/// on the stack). Longer lists are sorted pair by pair.
const SORT_BY_KEY: usize = 64;

/// Sorts pairs into canonical order. A list of pairs compares names byte by byte and moves
/// four words per step; instead, each pair becomes one number (its [`sort_key`], with its
/// position in the low byte), the numbers are sorted, and only the pairs whose names share
/// a key (`SignatureMethod`, `SignatureNonce`, ...) are then compared in full.
fn sort_pairs(order: &mut [(&str, &str)]) {
    let n = order.len();
    if n > SORT_BY_KEY {
        order.sort_unstable_by(cmp_pairs);
        return;
    }
    let mut keys = [0u64; SORT_BY_KEY];
    let keys = &mut keys[..n];
    for (i, (key, (name, _))) in keys.iter_mut().zip(order.iter()).enumerate() {
        *key = sort_key(name) | i as u64;
    }
    keys.sort_unstable();
    let at = |key: &u64| usize::from(key.to_le_bytes()[0]);
    let mut start = 0;
    while start < n {
        let end = start
            + keys[start..]
                .iter()
                .take_while(|k| *k >> 8 == keys[start] >> 8)
                .count();
        if end - start > 1 {
            keys[start..end].sort_unstable_by(|x, y| cmp_pairs(&order[at(x)], &order[at(y)]));
        }
        start = end;
    }
    // Slot `j` takes the pair that was at `at(keys[j])`, moved in place by swaps (no copy
    // of the list). The slots before `j` are final; a pair whose slot was filled before
    // was swapped out to where that slot's own pair came from, so following `at` from such
    // a slot until it leads to `j` or beyond finds where the pair is now (the property test
    // below holds the result to sorting a copy).
    for j in 0..n {
        let mut from = at(&keys[j]);
        while from < j {
            from = at(&keys[from]);
        }
        order.swap(j, from);
    }
}

/// A number whose top seven bytes order names as the first seven bytes of their encodings
/// do (its low byte is zero): the name's literal bytes, big-endian, up to its first encoded
/// byte, which counts as `%` (0x25, below every literal byte) and ends the key; a shorter
/// name leaves zeros, below both. Names whose keys differ order as the keys do; equal keys
/// say nothing.
fn sort_key(name: &str) -> u64 {
    let bytes = name.as_bytes();
    // Most names have their first seven bytes literal: read at once.
    if let Some(word) = bytes.first_chunk::<8>()
        && word[..7].iter().fold(true, |all, &b| all & unreserved(b))
    {
        return u64::from_be_bytes(*word) & !0xFF;
    }
    let mut key = [0u8; 8];
    for (slot, &b) in key[..7].iter_mut().zip(bytes) {
        if !unreserved(b) {
            *slot = b'%';
            break;
        }
        *slot = b;
    }
    u64::from_be_bytes(key)
}

/// `k=v` pairs joined by `&`, encoded once, or (`TWICE`) that string encoded again. Each copy
/// of the function has its separators as constants (see [`pct_with`]).
fn write_pairs<const TWICE: bool>(out: &mut String, pairs: &[(&str, &str)]) {
    let (equals, and) = if TWICE { ("%3D", "%26") } else { ("=", "&") };
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push_str(and);
        }
        pct_with::<TWICE>(out, k);
        out.push_str(equals);
        pct_with::<TWICE>(out, v);
    }
}

/// The value of an ASCII hex digit.
fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Decodes one form-encoded component: `+` is a space, `%XX` a byte; the result must be UTF-8.
pub fn form_decode(s: &str) -> Result<String, FormError> {
    decode_from(s, memchr::memchr2(b'%', b'+', s.as_bytes())).map(Cow::into_owned)
}

/// [`form_decode`] of `s`, whose first `%` or `+` is at `first` (none: `s` itself, borrowed).
/// Inlined, so that the usual borrowed text is built in registers: a `Cow` handed back
/// through memory is written field by field and read back whole, which stalls the load on
/// the stores it overlaps (store forwarding fails) for every name and value of a form.
#[inline(always)]
fn decode_from(s: &str, first: Option<usize>) -> Result<Cow<'_, str>, FormError> {
    match first {
        None => Ok(Cow::Borrowed(s)),
        Some(first) => decode_escaped(s, first).map(Cow::Owned),
    }
}

/// [`form_decode`] of `s`, whose first `%` or `+` is at `first`.
fn decode_escaped(s: &str, first: usize) -> Result<String, FormError> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(&bytes[..first]);
    let mut i = first;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b'%' => {
                let hi = bytes.get(i + 1).copied().and_then(hex_value);
                let lo = bytes.get(i + 2).copied().and_then(hex_value);
                match hi.zip(lo) {
                    Some((hi, lo)) => {
                        out.push(hi << 4 | lo);
                        i += 3;
                    }
                    None => return Err(FormError::BadPercent(s.to_string())),
                }
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).map_err(|_| FormError::NotUtf8(s.to_string()))
}

/// The form bytes (`&`, `=`, `%`, `+`) among 16: bit `i` set where byte `i` is one, found
/// eight bytes at a time. A byte of `x` is zero where its high bit is clear in
/// `((x & 0x7F..) + 0x7F..) | x`: the sum stays inside each byte, so no byte flags another
/// (unlike the borrow of `x - 0x01..`). The flags are then gathered into the low byte by one
/// multiplication (each flag lands on its own bit of the top byte, with no carries).
fn form_bytes(chunk: &[u8; 16]) -> u32 {
    const LOW7: u64 = u64::from_le_bytes([0x7F; 8]);
    const ONES: u64 = u64::from_le_bytes([1; 8]);
    let zero = |x: u64| !(((x & LOW7) + LOW7) | x) & !LOW7;
    let word = |half: &[u8]| {
        let w = u64::from_le_bytes(half.try_into().unwrap_or_default());
        let flags = zero(w ^ (ONES * u64::from(b'&')))
            | zero(w ^ (ONES * u64::from(b'=')))
            | zero(w ^ (ONES * u64::from(b'%')))
            | zero(w ^ (ONES * u64::from(b'+')));
        ((flags >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56) as u32
    };
    let (lo, hi) = chunk.split_at(8);
    word(lo) | word(hi) << 8
}

/// One part of a form as it is read: where it starts, its first `=`, and the first escape of
/// its name and of its value (relative to each).
#[derive(Default)]
struct FormPart {
    start: usize,
    eq: Option<usize>,
    escape_name: Option<usize>,
    escape_value: Option<usize>,
}

impl FormPart {
    /// Ends the part at `end` (an `&` or the end of the text): its pair, if it has any text.
    #[inline(always)]
    fn end<'a>(
        &self,
        s: &'a str,
        end: usize,
        pairs: &mut Vec<Pair<'a>>,
        limit: usize,
    ) -> Result<(), FormError> {
        if end == self.start {
            return Ok(());
        }
        // `&` and `=` are ASCII, so every cut is a character boundary.
        let (k, v) = match self.eq {
            Some(eq) => (&s[self.start..eq], &s[eq + 1..end]),
            None => (&s[self.start..end], ""),
        };
        if pairs.len() == limit {
            return Err(FormError::TooMany);
        }
        let k = decode_from(k, self.escape_name)?;
        if k.is_empty() {
            return Err(FormError::EmptyName);
        }
        pairs.push((k, decode_from(v, self.escape_value)?));
        Ok(())
    }
}

/// Parses `a=1&b=2` into decoded pairs in order; a part without `=` has an empty value. More
/// than [`MAX_VALUES`] pairs are refused. A name or value without escapes is borrowed from
/// `s`; only the others are decoded into text of their own.
pub fn parse_form(s: &str) -> Result<Vec<Pair<'_>>, FormError> {
    // Room for a typical request's pairs; a large body grows the list as it goes, so the
    // first allocation is never a multiple of what the body holds.
    let mut pairs = Vec::with_capacity(form_room(s.len()));
    parse_form_into(s, &mut pairs)?;
    Ok(pairs)
}

/// Room for the pairs of a typical form of `len` bytes, at most 64 (see [`parse_form`]).
pub(crate) fn form_room(len: usize) -> usize {
    (len / 16 + 1).min(64)
}

/// [`parse_form`], appending to `pairs` (a query and a form body into one list); the bound
/// of [`MAX_VALUES`] is on the pairs of `s`. On an error, `pairs` may hold the pairs of `s`
/// read before it.
pub fn parse_form_into<'a>(s: &'a str, pairs: &mut Vec<Pair<'a>>) -> Result<(), FormError> {
    let bytes = s.as_bytes();
    let limit = pairs.len() + MAX_VALUES;
    // One pass, visiting only the form bytes, found sixteen bytes at a time (see
    // [`form_bytes`]); the last few are read padded with zeros, which are not form bytes.
    let mut part = FormPart::default();
    let mut base = 0;
    while base < bytes.len() {
        let mut found = match bytes.get(base..base + 16) {
            Some(chunk) => form_bytes(chunk.try_into().unwrap_or(&[0; 16])),
            None => {
                let mut last = [0u8; 16];
                last[..bytes.len() - base].copy_from_slice(&bytes[base..]);
                form_bytes(&last)
            }
        };
        while found != 0 {
            let i = base + found.trailing_zeros() as usize;
            found &= found - 1;
            match bytes[i] {
                b'&' => {
                    part.end(s, i, pairs, limit)?;
                    part = FormPart {
                        start: i + 1,
                        ..FormPart::default()
                    };
                }
                b'=' => {
                    part.eq.get_or_insert(i);
                }
                // `%` or `+`.
                _ => match part.eq {
                    None => {
                        part.escape_name.get_or_insert(i - part.start);
                    }
                    Some(eq) => {
                        part.escape_value.get_or_insert(i - eq - 1);
                    }
                },
            }
        }
        base += 16;
    }
    part.end(s, bytes.len(), pairs, limit)
}

/// `s` split at every `sep`, an ASCII byte, as `str::split` does: found with the memchr
/// crate, which costs far less per call than the standard library's `char` searcher on the
/// short header values this splits.
pub fn split_ascii(s: &str, sep: u8) -> impl Iterator<Item = &str> {
    debug_assert!(sep.is_ascii());
    let mut rest = Some(s);
    std::iter::from_fn(move || {
        let r = rest?;
        match memchr::memchr(sep, r.as_bytes()) {
            // An ASCII byte is a character boundary on both sides.
            Some(i) => {
                rest = Some(&r[i + 1..]);
                Some(&r[..i])
            }
            None => {
                rest = None;
                Some(r)
            }
        }
    })
}

/// `v` with ASCII letters in lowercase, borrowed when it has no capital (header names
/// arrive lowercase from HTTP/1 servers: copied only where they do not).
pub fn lowercase(v: &str) -> Cow<'_, str> {
    if v.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(v.to_ascii_lowercase())
    } else {
        Cow::Borrowed(v)
    }
}

/// `s` cut at its first `sep`, an ASCII byte, as `str::split_once` does (see [`split_ascii`]).
pub fn split_once_ascii(s: &str, sep: u8) -> Option<(&str, &str)> {
    debug_assert!(sep.is_ascii());
    memchr::memchr(sep, s.as_bytes()).map(|i| (&s[..i], &s[i + 1..]))
}

/// Lowercase hex.
pub fn hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    push_hex(&mut out, bytes);
    out
}

/// [`hex`], appended to `out` (through a stack buffer: one copy, no per-character push).
pub fn push_hex(out: &mut String, bytes: &[u8]) {
    let mut buf = [0u8; 128];
    for chunk in bytes.chunks(64) {
        hex_into(&mut buf, chunk);
        // Hex digits are ASCII.
        out.push_str(std::str::from_utf8(&buf[..chunk.len() * 2]).unwrap_or_default());
    }
}

/// Writes the lowercase hex digits of `bytes` at the start of `buf` (two bytes each).
fn hex_into(buf: &mut [u8], bytes: &[u8]) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    for (pair, b) in buf.chunks_exact_mut(2).zip(bytes) {
        pair[0] = DIGITS[usize::from(b >> 4)];
        pair[1] = DIGITS[usize::from(b & 0xF)];
    }
}

/// Lowercase hex SHA-256.
pub fn sha256_hex(data: &[u8]) -> String {
    hex(&Sha256::digest(data))
}

/// Appends the lowercase hex SHA-256 of `data` to `out` (an empty body's is known).
pub fn push_sha256_hex(out: &mut String, data: &[u8]) {
    const EMPTY: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    if data.is_empty() {
        out.push_str(EMPTY);
    } else {
        push_hex(out, &Sha256::digest(data));
    }
}

/// Appends `items` joined by `sep`.
pub fn push_joined(out: &mut String, items: &[&str], sep: char) {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(sep);
        }
        out.push_str(item);
    }
}

/// `str::trim`, answered at once for a value whose first and last bytes are visible ASCII
/// (most header values): those bytes are whole characters, and none of them is white space.
pub fn trim(value: &str) -> &str {
    let visible = |b: Option<&u8>| b.is_some_and(|&b| b > b' ' && b.is_ascii());
    let bytes = value.as_bytes();
    if visible(bytes.first()) && visible(bytes.last()) {
        value
    } else {
        value.trim()
    }
}

/// Appends `name:value\n` with the value trimmed (and lowercased when asked), without
/// intermediate allocations: canonical header lines are built once per signed header.
pub fn push_header_line(out: &mut String, name: &str, value: &str, lowercase: bool) {
    out.push_str(name);
    out.push(':');
    let value = trim(value);
    let start = out.len();
    out.push_str(value);
    if lowercase {
        out[start..].make_ascii_lowercase();
    }
    out.push('\n');
}

/// HMAC-SHA256.
pub fn hmac_sha256(key: &[u8], data: &[u8]) -> [u8; 32] {
    hmac_sha256_with(&sha256_key(key), data)
}

/// HMAC-SHA1.
pub fn hmac_sha1(key: &[u8], data: &[u8]) -> [u8; 20] {
    hmac_sha1_with(&sha1_key(key), data)
}

/// An HMAC-SHA1 key with its two padded blocks already hashed: a signature with it costs the
/// message's blocks only. A verifier keeps one per key (see `SigningKeys`).
pub type Sha1Key = Hmac<sha1::Sha1>;

/// [`Sha1Key`] for HMAC-SHA256.
pub type Sha256Key = Hmac<Sha256>;

/// `key` prepared for HMAC-SHA1.
pub fn sha1_key(key: &[u8]) -> Sha1Key {
    // HMAC accepts keys of any length, so construction cannot fail.
    <Sha1Key as Mac>::new_from_slice(key).unwrap_or_else(|_| unreachable!())
}

/// `key` prepared for HMAC-SHA256.
pub fn sha256_key(key: &[u8]) -> Sha256Key {
    <Sha256Key as Mac>::new_from_slice(key).unwrap_or_else(|_| unreachable!())
}

/// HMAC-SHA1 with a prepared key.
pub fn hmac_sha1_with(key: &Sha1Key, data: &[u8]) -> [u8; 20] {
    key.clone()
        .chain_update(data)
        .finalize()
        .into_bytes()
        .into()
}

/// HMAC-SHA256 with a prepared key.
pub fn hmac_sha256_with(key: &Sha256Key, data: &[u8]) -> [u8; 32] {
    key.clone()
        .chain_update(data)
        .finalize()
        .into_bytes()
        .into()
}

/// Standard base64 with padding.
pub fn b64(data: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(data)
}

/// Base64 of the MD5 of `data` (the `Content-MD5` header).
pub fn content_md5(data: &[u8]) -> String {
    content_md5_text(data).to_string()
}

/// [`content_md5`], held on the stack (to check a header against, without allocating).
pub fn content_md5_text(data: &[u8]) -> DigestText {
    DigestText::b64(&md5::Md5::digest(data).into())
}

/// The text of a digest of at most 32 bytes (base64 or hex), held on the stack: checking a
/// signature allocates nothing.
#[derive(Clone, Copy)]
pub struct DigestText {
    buf: [u8; 64],
    len: usize,
}

impl DigestText {
    /// Standard base64 with padding.
    pub fn b64<const N: usize>(digest: &[u8; N]) -> Self {
        const { assert!(N <= 32) };
        let mut buf = [0u8; 64];
        // At most 44 bytes of text for 32 of digest: the buffer always holds it (an error,
        // were there one, would leave an empty text, which matches no signature).
        let len = base64::engine::general_purpose::STANDARD
            .encode_slice(digest, &mut buf)
            .unwrap_or(0);
        DigestText { buf, len }
    }

    /// Lowercase hex.
    pub fn hex<const N: usize>(digest: &[u8; N]) -> Self {
        const { assert!(N <= 32) };
        let mut buf = [0u8; 64];
        hex_into(&mut buf, digest);
        DigestText { buf, len: 2 * N }
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        // Base64 and hex are ASCII.
        std::str::from_utf8(&self.buf[..self.len]).unwrap_or_default()
    }
}

impl std::ops::Deref for DigestText {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl std::fmt::Display for DigestText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::fmt::Debug for DigestText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

/// Compares two strings in time that depends only on their lengths.
pub fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// [`same`] for hex signatures, ignoring ASCII case.
pub fn same_hex(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| {
            acc | (x.to_ascii_lowercase() ^ y.to_ascii_lowercase())
        }) == 0
}

/// Days since 1970-01-01 of a civil date (proleptic Gregorian).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date (year, month, day) of a day count since 1970-01-01.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// The UTC date `YYYY-MM-DD` of a Unix time.
pub fn utc_date(unix: i64) -> String {
    let (y, m, d) = civil_from_days(unix.div_euclid(86_400));
    format!("{y:04}-{m:02}-{d:02}")
}

/// Whether `date` is `YYYY-MM-DD` of the Unix time `unix` (without formatting it).
pub fn is_utc_date(date: &str, unix: i64) -> bool {
    let (y, m, d) = civil_from_days(unix.div_euclid(86_400));
    if !(0..=9999).contains(&y) {
        return date == utc_date(unix);
    }
    let b = date.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let part = b.get(r)?;
        part.iter().try_fold(0i64, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + i64::from(c - b'0'))
        })
    };
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && num(0..4) == Some(y)
        && num(5..7) == Some(i64::from(m))
        && num(8..10) == Some(i64::from(d))
}

/// `YYYY-MM-DDTHH:MM:SSZ` of a Unix time.
pub fn iso8601(unix: i64) -> String {
    let secs = unix.rem_euclid(86_400);
    format!(
        "{}T{:02}:{:02}:{:02}Z",
        utc_date(unix),
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

/// `Sun, 22 Nov 2026 18:54:58 GMT` (RFC 1123, as ROA clients send `Date`) of a Unix time.
pub fn rfc1123(unix: i64) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let days = unix.div_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    let secs = unix.rem_euclid(86_400);
    format!(
        "{}, {d:02} {} {y:04} {:02}:{:02}:{:02} GMT",
        DAYS[days.rem_euclid(7) as usize],
        MONTHS[(m as usize).saturating_sub(1).min(11)],
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

/// One to nine ASCII digits as a number (`None` for anything else: nine cannot overflow). By
/// hand: the generic integer parser costs several times more on the short fields of a date.
fn digits(b: &[u8]) -> Option<i64> {
    if !(1..=9).contains(&b.len()) {
        return None;
    }
    b.iter().try_fold(0i64, |n, &c| {
        c.is_ascii_digit().then(|| n * 10 + i64::from(c - b'0'))
    })
}

/// A date and time of day as Unix seconds, if its fields are in range (a leap second allowed).
fn unix_seconds(y: i64, mo: i64, d: i64, h: i64, mi: i64, se: i64) -> Option<i64> {
    if !(1..=12).contains(&mo)
        || !(1..=31).contains(&d)
        || !(0..=23).contains(&h)
        || !(0..=59).contains(&mi)
        || !(0..=60).contains(&se)
    {
        return None;
    }
    Some(days_from_civil(y, mo as u32, d as u32) * 86_400 + h * 3600 + mi * 60 + se)
}

/// Whether `b` is `len` bytes long with each `(at, byte)` of `marks` in its place.
fn laid_out(b: &[u8], len: usize, marks: &[(usize, u8)]) -> bool {
    b.len() == len && marks.iter().all(|&(at, m)| b[at] == m)
}

/// Parses `YYYY-MM-DDTHH:MM:SSZ` (the only form Alibaba accepts) into Unix seconds.
pub fn parse_iso8601(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    let marks = [
        (4, b'-'),
        (7, b'-'),
        (10, b'T'),
        (13, b':'),
        (16, b':'),
        (19, b'Z'),
    ];
    if !laid_out(b, 20, &marks) {
        return None;
    }
    let num = |r: std::ops::Range<usize>| digits(&b[r]);
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (h, mi, se) = (num(11..13)?, num(14..16)?, num(17..19)?);
    unix_seconds(y, mo, d, h, mi, se)
}

/// Parses an RFC 1123 date (`Sun, 22 Nov 2026 18:54:58 GMT`) into Unix seconds.
pub fn parse_rfc1123(s: &str) -> Option<i64> {
    // The fixed-width form every client sends (two-digit day, single spaces) is read by
    // position; anything else goes through the general reading below, which also decides
    // every date the fast reading refuses.
    parse_rfc1123_fixed(s.as_bytes()).or_else(|| parse_rfc1123_general(s))
}

/// `Www, DD Mon YYYY HH:MM:SS GMT`, exactly 29 bytes: ROA's `Date` header as SDKs write it.
fn parse_rfc1123_fixed(b: &[u8]) -> Option<i64> {
    let marks = [
        (3, b','),
        (4, b' '),
        (7, b' '),
        (11, b' '),
        (16, b' '),
        (19, b':'),
        (22, b':'),
    ];
    if !laid_out(b, 29, &marks)
        || b[25..] != *b" GMT"
        || !b[..3].iter().all(|c| c.is_ascii_alphabetic())
    {
        return None;
    }
    let num = |r: std::ops::Range<usize>| digits(&b[r]);
    const MONTHS: &[u8; 36] = b"JanFebMarAprMayJunJulAugSepOctNovDec";
    let mo = MONTHS.chunks_exact(3).position(|m| *m == b[8..11])? as i64 + 1;
    let (d, y) = (num(5..7)?, num(12..16)?);
    let (h, mi, se) = (num(17..19)?, num(20..22)?, num(23..25)?);
    unix_seconds(y, mo, d, h, mi, se)
}

/// [`parse_rfc1123`] for any spacing and field widths. Every number is plain [`digits`] (no
/// sign), and the time has exactly three fields.
fn parse_rfc1123_general(s: &str) -> Option<i64> {
    let number = |t: &str| digits(t.as_bytes());
    let mut it = s.split_whitespace();
    let _weekday = it.next()?;
    let d = number(it.next()?)?;
    let months = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month = it.next()?;
    let mo = months.iter().position(|m| Some(*m) == month.get(..3))? as i64 + 1;
    let y = number(it.next()?)?;
    let mut hms = it.next()?.split(':').map(number);
    let (h, mi, se) = (hms.next()??, hms.next()??, hms.next()??);
    if hms.next().is_some() || it.next()? != "GMT" {
        return None;
    }
    unix_seconds(y, mo, d, h, mi, se)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The definition, byte by byte.
    fn pct_slow(s: &str) -> String {
        s.bytes()
            .map(|b| {
                if unreserved(b) {
                    char::from(b).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect()
    }

    #[test]
    fn pct_encodes_every_byte_of_multibyte_characters() {
        assert_eq!(pct("d中o cpact*~"), "d%E4%B8%ADo%20cpact%2A~");
        assert_eq!(pct("中中"), "%E4%B8%AD%E4%B8%AD");
        assert_eq!(pct(""), "");
        assert_eq!(pct("a-b_c.d~"), "a-b_c.d~");
    }

    proptest! {
        #[test]
        fn pct_matches_its_definition(s in any::<String>()) {
            prop_assert_eq!(pct(&s), pct_slow(&s));
        }

        #[test]
        fn literal_run_ends_at_the_first_reserved_byte(s in "[a-zA-Z0-9._~-]{0,20}[ %é/]?[a-zA-Z0-9._~-]{0,20}", from in 0usize..45) {
            let bytes = s.as_bytes();
            let from = from.min(bytes.len());
            let slow = bytes[from..].iter().position(|&b| !unreserved(b)).map_or(bytes.len(), |p| from + p);
            prop_assert_eq!(literal_run(bytes, from), slow);
        }

        #[test]
        fn canonical_pairs_sorts_encoded_pairs(
            pairs in proptest::collection::vec((any::<String>(), any::<String>()), 0..12)
        ) {
            let mut slow: Vec<(String, String)> = pairs
                .iter()
                .filter(|(k, _)| k != "Signature")
                .map(|(k, v)| (pct_slow(k), pct_slow(v)))
                .collect();
            slow.sort();
            let slow: Vec<String> = slow.into_iter().map(|(k, v)| format!("{k}={v}")).collect();
            prop_assert_eq!(canonical_pairs(&pairs, Some("Signature")), slow.join("&"));
        }

        // Shared prefixes longer than a word, and bytes encoded and not, at every offset.
        #[test]
        fn cmp_encoded_orders_as_the_encodings_do(a in "[aA%~é-]{0,20}", b in "[aA%~é-]{0,20}") {
            let prefix = "SignatureNonce-";
            for (a, b) in [(a.clone(), b.clone()), (format!("{prefix}{a}"), format!("{prefix}{b}"))] {
                prop_assert_eq!(cmp_encoded(&a, &b), pct_slow(&a).cmp(&pct_slow(&b)));
            }
        }

        // The fixed-width reading agrees with the general one wherever it answers, and it
        // answers for every date in the usual form.
        #[test]
        fn rfc1123_fast_reading_agrees(
            wd in "[A-Za-z]{3}|[A-Z][a-z]{4}", d in 0u32..40, mo in "Jan|Feb|Dec|Jun|jan|Foo",
            y in 0i64..12000, h in 0i64..30, mi in 0i64..70, se in 0i64..70,
            gap in prop::sample::select(vec![" ", "  "]), tz in "GMT|UTC|gmt",
        ) {
            let s = format!("{wd},{gap}{d:02} {mo} {y:04} {h:02}:{mi:02}:{se:02} {tz}");
            let fixed = parse_rfc1123_fixed(s.as_bytes());
            if fixed.is_some() {
                prop_assert_eq!(fixed, parse_rfc1123_general(&s), "{}", s);
            }
            prop_assert_eq!(parse_rfc1123(&s), parse_rfc1123_general(&s), "{}", s);
            let usual = wd.len() == 3 && gap == " " && d < 100 && y < 10000 && tz == "GMT";
            if usual && parse_rfc1123_general(&s).is_some() {
                prop_assert!(fixed.is_some(), "{}", s);
            }
        }

        #[test]
        fn pct_twice_matches_its_definition(s in "[a-zA-Z0-9._~-]{0,40}[ %é/]?[a-zA-Z0-9._~-]{0,40}") {
            let mut twice = String::new();
            pct_twice_into(&mut twice, &s);
            prop_assert_eq!(twice, pct_slow(&pct_slow(&s)));
        }

        #[test]
        fn split_ascii_matches_str_split(s in "[a;,=é]{0,16}", sep in prop::sample::select(vec![b';', b',', b'='])) {
            let ours: Vec<&str> = split_ascii(&s, sep).collect();
            let std: Vec<&str> = s.split(char::from(sep)).collect();
            prop_assert_eq!(ours, std);
            prop_assert_eq!(split_once_ascii(&s, sep), s.split_once(char::from(sep)));
        }

        // Every second from 1970 to the end of 9999 reads back as itself.
        #[test]
        fn parse_iso8601_reads_back_every_time(t in 0i64..253_402_300_800) {
            prop_assert_eq!(parse_iso8601(&iso8601(t)), Some(t));
        }

        // The one-pass parser agrees with splitting at `&` and the first `=`, and borrows
        // exactly the names and values that hold no escape.
        #[test]
        fn parse_form_matches_splitting(s in "[ab=&%+2Fé]{0,60}|[abé]{0,20}[=&%+]?[abé]{0,20}[&=]?[a%+2F]{0,12}") {
            let slow = || -> Result<Vec<(String, String, bool, bool)>, FormError> {
                let mut out = Vec::new();
                let plain = |t: &str| !t.contains(['%', '+']);
                for part in s.split('&').filter(|p| !p.is_empty()) {
                    let (k, v) = part.split_once('=').unwrap_or((part, ""));
                    let name = form_decode(k)?;
                    if name.is_empty() {
                        return Err(FormError::EmptyName);
                    }
                    out.push((name, form_decode(v)?, plain(k), plain(v)));
                }
                Ok(out)
            };
            let fast = parse_form(&s).map(|pairs| {
                pairs
                    .into_iter()
                    .map(|(k, v)| {
                        let borrowed = (matches!(k, Cow::Borrowed(_)), matches!(v, Cow::Borrowed(_)));
                        (k.into_owned(), v.into_owned(), borrowed.0, borrowed.1)
                    })
                    .collect::<Vec<_>>()
            });
            prop_assert_eq!(fast, slow());
        }

        // Header lines trim as `str::trim` does (white space beyond ASCII included, DEL
        // kept) and lowercase ASCII only.
        #[test]
        fn header_lines_trim_and_lowercase_as_defined(
            value in "[ \t\u{a0}\u{2003}\u{85}]{0,2}[aZ\u{7f}é \u{a0}-]{0,6}[ \t\u{a0}\u{3000}]{0,2}",
            lowercase in any::<bool>(),
        ) {
            let mut out = "x".to_string();
            push_header_line(&mut out, "n", &value, lowercase);
            let trimmed = value.trim();
            let want = if lowercase { trimmed.to_ascii_lowercase() } else { trimmed.to_string() };
            prop_assert_eq!(out, format!("xn:{want}\n"));
        }

        // Form bytes are flagged exactly where a byte-at-a-time test finds them, with every
        // byte value around (0x25 `%` and 0x26 `&` are neighbours; 0x80 and 0xFF
        // test the high bits).
        #[test]
        fn form_bytes_are_flagged_as_a_byte_loop_flags_them(
            bytes in proptest::collection::vec(prop_oneof![Just(b'a'), Just(0x24u8), Just(0x25), Just(0x26), Just(0x27), Just(b'='), Just(b'+'), Just(0), Just(1), Just(0x7F), Just(0x80), Just(0xFF), any::<u8>()], 16),
        ) {
            let chunk: [u8; 16] = bytes.clone().try_into().unwrap();
            let slow = (0..16)
                .filter(|&i| matches!(bytes[i], b'&' | b'=' | b'%' | b'+'))
                .fold(0u32, |m, i| m | 1 << i);
            prop_assert_eq!(form_bytes(&chunk), slow);
        }

        // Names that share their first seven bytes or fewer, and encoded bytes on both
        // sides of the seventh: the keys never order two names against their encodings, and
        // names that share a key are still ordered in full.
        #[test]
        fn sorting_by_key_orders_as_the_encodings_do(
            pairs in proptest::collection::vec(
                ("(Signatu|Sign|)[a-c/_~ %é\u{0}-]{0,9}", "[a%é]{0,2}"), 0..40),
        ) {
            for (a, _) in &pairs {
                for (b, _) in &pairs {
                    if sort_key(a) < sort_key(b) {
                        prop_assert!(pct_slow(a) < pct_slow(b), "{:?} {:?}", a, b);
                    }
                }
            }
            let mut slow: Vec<(String, String)> =
                pairs.iter().map(|(k, v)| (pct_slow(k), pct_slow(v))).collect();
            slow.sort();
            let slow: Vec<String> = slow.into_iter().map(|(k, v)| format!("{k}={v}")).collect();
            prop_assert_eq!(canonical_pairs(&pairs, None), slow.join("&"));
        }

        // A small alphabet of literal and encoded bytes with shared prefixes: the ordering
        // without encoding must agree with sorting the encodings, and encoding twice with
        // encoding the canonical string again.
        #[test]
        fn canonical_pairs_agree_with_their_encodings_on_near_names(
            pairs in proptest::collection::vec(("[a-c/_~ %*é-]{0,4}", "[a-c/_~ %é-]{0,3}"), 0..10)
        ) {
            let mut slow: Vec<(String, String)> =
                pairs.iter().map(|(k, v)| (pct_slow(k), pct_slow(v))).collect();
            slow.sort();
            let slow: Vec<String> = slow.into_iter().map(|(k, v)| format!("{k}={v}")).collect();
            let once = canonical_pairs(&pairs, None);
            prop_assert_eq!(&once, &slow.join("&"));
            let mut twice = String::new();
            canonical_pairs_into(&mut twice, &pairs, None, true);
            prop_assert_eq!(twice, pct(&once));
        }
    }

    #[test]
    fn more_pairs_than_sorted_by_key_are_sorted_all_the_same() {
        for n in [SORT_BY_KEY, SORT_BY_KEY + 1, 300] {
            // Names in reverse order, sharing their first nine bytes.
            let pairs: Vec<(String, String)> = (0..n)
                .rev()
                .map(|i| (format!("Parameter{i:04}"), format!("v {i}")))
                .collect();
            let mut slow: Vec<String> = pairs
                .iter()
                .map(|(k, v)| format!("{}={}", pct_slow(k), pct_slow(v)))
                .collect();
            slow.sort();
            assert_eq!(canonical_pairs(&pairs, None), slow.join("&"), "{n} pairs");
        }
    }

    #[test]
    fn digest_text_is_the_heap_encoding() {
        let d20 = [0xA5u8; 20];
        let d32: [u8; 32] = std::array::from_fn(|i| u8::try_from(i * 9 % 256).unwrap_or(0));
        assert_eq!(DigestText::b64(&d20).as_str(), b64(&d20));
        assert_eq!(DigestText::b64(&d32).as_str(), b64(&d32));
        assert_eq!(DigestText::hex(&d20).as_str(), hex(&d20));
        assert_eq!(DigestText::hex(&d32).as_str(), hex(&d32));
        assert_eq!(DigestText::b64(&[]).as_str(), "");
    }

    #[test]
    fn the_empty_body_hash_is_the_hash_of_nothing() {
        let mut out = String::new();
        push_sha256_hex(&mut out, b"");
        assert_eq!(out, sha256_hex(b""));
    }

    #[test]
    fn utc_dates_are_recognised_without_formatting() {
        for t in [
            0,
            86_399,
            86_400,
            951_782_400,
            1_795_373_698,
            253_402_300_799,
        ] {
            assert!(is_utc_date(&utc_date(t), t), "{t}");
            assert!(!is_utc_date(&utc_date(t + 86_400), t), "{t}");
        }
        for bad in [
            "2026-11-2",
            "2026-11-022",
            "2026/11/22",
            "2026-1a-22",
            "+026-11-22",
            "",
        ] {
            assert!(!is_utc_date(bad, 1_795_373_698), "{bad}");
        }
        // Years beyond four digits are compared as formatted.
        assert!(is_utc_date(&utc_date(253_402_300_800), 253_402_300_800));
    }

    #[test]
    fn rfc1123_round_trips() {
        // The date pop-core sent in the captured vectors.
        assert_eq!(rfc1123(1_795_373_698), "Sun, 22 Nov 2026 18:54:58 GMT");
        for t in [0, 951_782_400, 1_795_373_698, 4_102_444_800] {
            assert_eq!(parse_rfc1123(&rfc1123(t)), Some(t), "{t}");
        }
        // Other spacing and widths are read too.
        assert_eq!(
            parse_rfc1123("Sun,  22 Nov 2026 18:54:58  GMT"),
            Some(1_795_373_698)
        );
        assert_eq!(
            parse_rfc1123("Sun, 2 Nov 2026 8:4:5 GMT"),
            Some(1_793_606_645)
        );
    }

    #[test]
    fn rfc1123_refuses_signs_and_extra_time_fields() {
        for bad in [
            "Sun, 22 Nov 2026 -1:54:58 GMT",
            "Sun, 22 Nov 2026 18:-5:58 GMT",
            "Sun, 22 Nov 2026 18:54:-8 GMT",
            "Sun, +22 Nov 2026 18:54:58 GMT",
            "Sun, 22 Nov +2026 18:54:58 GMT",
            "Sun, 22 Nov 2026 18:54:58:00 GMT",
            "Sun, 22 Nov 2026 18::58 GMT",
            // Numbers too long to hold are refused, not wrapped.
            "Sun, 22 Nov 99999999999999999999999 18:54:58 GMT",
            "Sun, 22 Nov 2026 18:54:00000000000000000000058 GMT",
        ] {
            assert_eq!(parse_rfc1123(bad), None, "{bad}");
        }
    }

    #[test]
    fn rfc3986_encoding_matches_the_sdk_test_vector() {
        // darabonba-openapi-util pins ` ~/*-+` → `%20~%2F%2A-%2B`.
        assert_eq!(pct(" ~/*-+"), "%20~%2F%2A-%2B");
        assert_eq!(pct("é"), "%C3%A9");
    }

    /// Form decoding by its definition: byte by byte, checked as UTF-8 at the end.
    fn form_decode_slow(s: &str) -> Result<String, FormError> {
        let bytes = s.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'+' => out.push(b' '),
                b'%' => {
                    let hex = s
                        .get(i + 1..i + 3)
                        .filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()));
                    let b = hex.and_then(|h| u8::from_str_radix(h, 16).ok());
                    out.push(b.ok_or_else(|| FormError::BadPercent(s.to_string()))?);
                    i += 2;
                }
                b => out.push(b),
            }
            i += 1;
        }
        String::from_utf8(out).map_err(|_| FormError::NotUtf8(s.to_string()))
    }

    proptest! {
        #[test]
        fn form_decoding_matches_its_definition(s in "([a-z0-9é+]|%[0-9a-fA-F]{2}|%[C-Fc-f][0-9A-F]|%[2-7][0-9a-f]|%g?){0,12}") {
            prop_assert_eq!(form_decode(&s), form_decode_slow(&s), "{:?}", s);
        }
    }

    #[test]
    fn form_decoding_handles_plus_percent_and_garbage() {
        assert_eq!(form_decode("a+b%2Ac").unwrap(), "a b*c");
        assert_eq!(form_decode("a%20b").unwrap(), "a b");
        assert!(matches!(form_decode("%zz"), Err(FormError::BadPercent(_))));
        assert!(matches!(form_decode("%4"), Err(FormError::BadPercent(_))));
        assert!(matches!(form_decode("%ff%fe"), Err(FormError::NotUtf8(_))));
        // A sign is not a hex digit, though integer parsing would take `+1`.
        assert!(matches!(form_decode("%+1"), Err(FormError::BadPercent(_))));
        assert_eq!(form_decode("%4a%4A").unwrap(), "JJ");
        assert_eq!(form_decode("é+%C3%A9").unwrap(), "é é");
        assert_eq!(
            parse_form("a=1&&b&c=").unwrap(),
            vec![
                ("a".into(), "1".into()),
                ("b".into(), "".into()),
                ("c".into(), "".into())
            ]
        );
        assert_eq!(parse_form("=x"), Err(FormError::EmptyName));
        assert_eq!(
            parse_form("&k=a=b&é=ü&").unwrap(),
            vec![("k".into(), "a=b".into()), ("é".into(), "ü".into())]
        );
    }

    #[test]
    fn a_second_form_appends_to_the_first_and_is_bounded_on_its_own() {
        let mut pairs = Vec::new();
        parse_form_into("a=1&b=%41", &mut pairs).unwrap();
        parse_form_into("", &mut pairs).unwrap();
        parse_form_into("c=x+y", &mut pairs).unwrap();
        let want: Vec<Pair> = vec![
            ("a".into(), "1".into()),
            ("b".into(), "A".into()),
            ("c".into(), "x y".into()),
        ];
        assert_eq!(pairs, want);
        // The bound counts the pairs of the text being read, not those already listed.
        let full = vec!["k=v"; MAX_VALUES].join("&");
        parse_form_into(&full, &mut pairs).unwrap();
        assert_eq!(pairs.len(), MAX_VALUES + 3);
        let over = vec!["k=v"; MAX_VALUES + 1].join("&");
        assert_eq!(parse_form_into(&over, &mut pairs), Err(FormError::TooMany));
    }

    #[test]
    fn dates_round_trip() {
        let t = parse_iso8601("2026-11-22T18:54:57Z").unwrap();
        assert_eq!(iso8601(t), "2026-11-22T18:54:57Z");
        assert_eq!(utc_date(1_795_373_698), "2026-11-22");
        assert_eq!(utc_date(1_551_113_065), "2019-02-25");
        assert_eq!(parse_rfc1123("Sun, 22 Nov 2026 18:54:58 GMT"), Some(t + 1));
        assert_eq!(parse_iso8601("2026-11-22 18:54:57"), None);
        assert_eq!(parse_iso8601("2026-13-22T18:54:57Z"), None);
        assert_eq!(parse_iso8601("２０２６-11-22T18:54:5Z"), None);
        assert_eq!(parse_rfc1123("garbage"), None);
    }

    #[test]
    fn hashes_match_known_values() {
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert!(same("abc", "abc"));
        assert!(!same("abc", "abd"));
        assert!(!same("abc", "abcd"));
    }
}
