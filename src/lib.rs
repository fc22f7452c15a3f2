//! # tim-recentcontact
//!
//! A client for the conversation service (`v4/recentcontact`) of Tencent
//! Cloud Chat (IM): list and delete conversations; create, rename, fill, read
//! and delete conversation groups; read, search and set conversation marks.
//!
//! The crate is a pure Rust core — request models, validation of every
//! documented limit, URLs for all regions, response parsing, a typed error
//! catalog, UserSig signing and verifying, retry decisions — and, on
//! `wasm32`, one binding layer ([`bindings`]) that makes it the
//! `tim-recentcontact` npm package for Node.js, Deno and Cloudflare Workers.
//!
//! ```no_run
//! use tim_recentcontact::{Conversation, DeleteConversationParams, Endpoint};
//! let call = DeleteConversationParams {
//!     from_account: "user1".into(),
//!     conversation: Conversation::C2c { to_account: "user2".into() },
//!     clear_roaming_messages: Some(true),
//! };
//! call.validate().unwrap();
//! assert_eq!(DeleteConversationParams::COMMAND, "delete");
//! let _json = call.body();
//! ```
#![deny(missing_docs)]

pub mod client;
pub mod endpoint;
mod error;
mod inflate_small;
pub mod input;
pub mod json_in;
pub mod json_out;
pub mod limits;
pub mod marks;
pub mod messages;
mod model;
mod region;
pub mod shapes;
pub mod text;
pub mod usersig;

#[cfg(target_arch = "wasm32")]
pub mod bindings;

#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

pub use client::{
    get_all_conversation_groups, get_all_conversation_groups_with, Acquired, BaseUrl, CallOptions, Client,
    ClientOptions, Config, Credential, Effective, Event, HttpRequest, HttpResponse, Pages, Runtime, TransportError,
};
pub use endpoint::reconcile::ReadBack;
pub use endpoint::types::*;
pub use endpoint::{parse_envelope, parse_input, Endpoint};
pub use error::{
    classify_code, codes_table, redact, secret_forms, CodeClass, Error, ErrorKind, Result, Secret, CODES, EXCERPT_CHARS,
};
pub use model::{Conversation, ConversationGroup, ConversationResult, MarkedConversation, WireContact};
pub use region::{encode_query_value, normalize_base_url, redact_url, request_url, Region};
