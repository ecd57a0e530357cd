//! Alibaba Cloud's signature schemes.

pub mod acs3;
pub mod roa;
pub mod rpc;
