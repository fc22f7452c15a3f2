//! One module per command of `v4/recentcontact`: its parameters (validated
//! before anything is sent), its wire request, and its response parser.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};

use crate::client::{Client, Runtime, Verdict};
use crate::error::{Error, Result};

pub mod contact_groups;
pub mod create_group;
pub mod delete;
pub mod delete_group;
pub mod list;
pub mod mark;
pub mod reconcile;
pub mod update_group;

/// A call of one command: plain data that knows how to build its request
/// body and parse its answer. The transport only moves bytes.
#[allow(async_fn_in_trait)]
pub trait Endpoint {
    /// The command, the last segment of `v4/recentcontact/{command}`.
    const COMMAND: &'static str;
    /// Whether repeating the call after an ambiguous failure (timeout, lost
    /// connection, 5xx) is harmless.
    const IDEMPOTENT: bool;
    /// What a successful call returns.
    type Output;

    /// Checks every documented rule; run before anything is sent.
    fn validate(&self) -> Result<()>;
    /// The JSON request body (wire field names).
    fn body(&self) -> String;
    /// Parses a response body whose `ErrorCode` is 0 (checked by
    /// [`parse_envelope`]), straight from its bytes.
    fn parse_ok(&self, body: &[u8]) -> Result<Self::Output>;

    /// Whether `error`, the answer to a write sent again after reading the
    /// state back, may mean the first send was applied after all (e.g. "the
    /// group already exists"): the state is then read back once more.
    fn refused_as_done(&self, _error: &Error) -> bool {
        false
    }

    /// After an ambiguous failure of a non-idempotent write, reads the state
    /// back and says whether the write was applied. The default cannot tell.
    async fn reconcile<R: Runtime>(&self, _client: &Client<R>, _cancel: Option<&R::Cancel>) -> Verdict<Self::Output> {
        Verdict::Unknown
    }

    /// Parses any response body: service errors become [`Error::Api`] or
    /// [`Error::Auth`]; anything but the documented JSON is [`Error::Decode`].
    fn parse(&self, bytes: &[u8]) -> Result<Self::Output> {
        parse_envelope(Self::COMMAND, bytes)?;
        self.parse_ok(bytes)
    }
}

#[derive(Deserialize)]
struct Envelope {
    #[serde(rename = "ActionStatus")]
    action_status: Option<String>,
    #[serde(rename = "ErrorCode")]
    error_code: Option<i64>,
    #[serde(rename = "ErrorInfo", default)]
    error_info: Option<String>,
    #[serde(rename = "ErrorDisplay", default)]
    error_display: Option<String>,
}

/// A decode error for `command`.
pub fn decode_error(command: &str, message: impl Into<String>) -> Error {
    Error::Decode {
        message: message.into(),
        command: format!("v4/recentcontact/{command}"),
        status: None,
        excerpt: None,
    }
}

/// Reads the common part of every answer (`ActionStatus`, `ErrorCode`,
/// `ErrorInfo`, `ErrorDisplay`) straight from the bytes, skipping the rest
/// without building it; `Ok` when the answer says OK.
pub fn parse_envelope(command: &str, bytes: &[u8]) -> Result<()> {
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
    if first != Some(&b'{') {
        let what = if first.is_none() { "empty" } else { "not a JSON object" };
        return Err(decode_error(command, what));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| decode_error(command, format!("not UTF-8 ({e})")))?;
    let env: Envelope = serde_json::from_str(text).map_err(|e| {
        let what = if e.is_data() {
            "bad ActionStatus/ErrorCode"
        } else {
            "not JSON"
        };
        decode_error(command, format!("{what} ({e})"))
    })?;
    let code = match (env.action_status.as_deref(), env.error_code) {
        (None, None) => return Err(decode_error(command, "no ActionStatus and no ErrorCode")),
        (_, Some(c)) if c != 0 => c,
        (Some("FAIL"), _) => -1,
        _ => return Ok(()),
    };
    Err(Error::from_service(
        code,
        env.error_info.unwrap_or_default(),
        env.error_display,
        command,
    ))
}

/// Deserialises the part of an OK body that `T` describes, straight from
/// the bytes (unknown fields are skipped, not built).
pub fn parse_body<T: DeserializeOwned>(command: &str, body: &[u8]) -> Result<T> {
    // One reader type (str) for every parser in the crate keeps the wasm small.
    let text = std::str::from_utf8(body).map_err(|e| decode_error(command, format!("not UTF-8 ({e})")))?;
    serde_path_to_error::deserialize(&mut serde_json::Deserializer::from_str(text)).map_err(|e| {
        let path = e.path().to_string();
        decode_error(command, format!("at {path}: {}", e.into_inner()))
    })
}

/// Reads user input (the parameters of a method, or the client options) from
/// any serde deserializer, turning every mismatch into a
/// [`Error::Validation`] that names the field (`conversations[2].type`).
pub fn parse_input<'de, T: Deserialize<'de>, D: Deserializer<'de>>(root: &str, input: D) -> Result<T> {
    serde_path_to_error::deserialize(input).map_err(|e| {
        let path = e.path().to_string();
        let message = e.into_inner().to_string();
        // serde-wasm-bindgen's messages are JavaScript errors printed as "Error: …".
        let message = message.strip_prefix("Error: ").map(str::to_string).unwrap_or(message);
        let mut field = match path.as_str() {
            "." | "" => String::new(),
            p => p.to_string(),
        };
        // serde reports a missing or unknown member at its container: name the member.
        let named = ["missing field `", "unknown field `"]
            .iter()
            .find_map(|p| message.strip_prefix(p))
            .and_then(|rest| rest.split('`').next());
        let member = named.or(message.starts_with("unknown variant").then_some("type"));
        // Depending on the deserializer the path may already end at the member.
        if let Some(name) = member.filter(|n| field.rsplit('.').next() != Some(*n)) {
            if !field.is_empty() {
                field.push('.');
            }
            field.push_str(name);
        }
        if field.is_empty() {
            field = root.to_string();
        }
        let reason = crate::messages::reason(&message);
        Error::validation(field, reason)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    #[test]
    fn envelope_ok_fail_and_garbage() {
        assert!(parse_envelope("delete", br#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","X":1}"#).is_ok());
        let e = parse_envelope(
            "delete",
            br#"{"ActionStatus":"FAIL","ErrorCode":50002,"ErrorInfo":"bad","ErrorDisplay":"shown"}"#,
        )
        .unwrap_err();
        assert_eq!(
            e,
            Error::Api {
                code: 50002,
                info: "bad".into(),
                display: Some("shown".into()),
                command: "v4/recentcontact/delete".into(),
                retryable: false
            }
        );
        let e = parse_envelope(
            "delete",
            br#"{"ActionStatus":"FAIL","ErrorCode":70001,"ErrorInfo":"expired"}"#,
        )
        .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Auth);
        for junk in [
            &b""[..],
            b"<html>",
            b"[]",
            b"{}",
            b"null",
            b"{\"ErrorCode\":\"x\"}",
            b"\xff\xfe",
            b"{\"ActionStatus\":\"OK\"",
        ] {
            let e = parse_envelope("delete", junk).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::Decode, "{junk:?}");
        }
        // FAIL without a code is still a failure.
        assert_eq!(
            parse_envelope("delete", br#"{"ActionStatus":"FAIL"}"#)
                .unwrap_err()
                .kind(),
            ErrorKind::Api
        );
    }
}
