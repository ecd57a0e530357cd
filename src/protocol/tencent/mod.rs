//! Tencent Cloud's signature schemes.

pub mod tc3;
pub mod v1;
