//! The contracts and pages compiled into the binary, so `docpact` works from any folder.
//! A test keeps these lists equal to the files under `contracts/`.

macro_rules! files {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_str!(concat!("../../contracts/", $path)))),*]
    };
}

/// Contract files, relative to `contracts/`.
pub const CONTRACTS: &[(&str, &str)] = files![
    "alibaba/bssopenapi/2017-12-14/CreateInstance.json",
    "alibaba/bssopenapi/2017-12-14/CreateInstance.acr.json",
    "alibaba/ens/2017-11-10/CreateInstance.json",
    "alibaba/searchengine/2021-10-25/CreateInstance.json",
    "tencent/tcr/2019-09-24/CreateInstance.json",
];

/// Source pages, by file name under `contracts/sources/`.
pub const PAGES: &[(&str, &str)] = &[
    (
        "000_96df98e607fdbb89.txt",
        include_str!("../../contracts/sources/000_96df98e607fdbb89.txt"),
    ),
    (
        "001_7266580e1a2d29d9.txt",
        include_str!("../../contracts/sources/001_7266580e1a2d29d9.txt"),
    ),
    (
        "002_c3aeaaafad8ee7c3.txt",
        include_str!("../../contracts/sources/002_c3aeaaafad8ee7c3.txt"),
    ),
    (
        "003_75818ab7a25c795f.txt",
        include_str!("../../contracts/sources/003_75818ab7a25c795f.txt"),
    ),
    (
        "004_f346dc7d6c0a1ab7.txt",
        include_str!("../../contracts/sources/004_f346dc7d6c0a1ab7.txt"),
    ),
];
