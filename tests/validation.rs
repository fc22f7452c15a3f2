//! Every documented rule refuses bad input with a validation error naming
//! the field, before anything is sent. Inputs are read the way the binding
//! layer reads JavaScript values: through `parse_input`.

use serde::de::DeserializeOwned;
use serde_json::{json, Value};
use tim_recentcontact::*;

fn check<E: Endpoint + DeserializeOwned>(v: &Value) -> Result<()> {
    let e: E = parse_input("params", &v.to_string())?;
    e.validate()
}

fn field_of(r: Result<()>) -> String {
    match r {
        Err(Error::Validation { field, .. }) => field,
        other => panic!("expected a validation error, got {other:?}"),
    }
}

fn c2c(a: &str) -> Value {
    json!({"type": "c2c", "toAccount": a})
}

#[test]
fn valid_inputs_pass() {
    check::<DeleteConversationParams>(&json!({"fromAccount": "u", "conversation": c2c("p")})).unwrap();
    check::<DeleteConversationParams>(
        &json!({"fromAccount": "u", "conversation": {"type": "group", "toGroupId": "g"}, "clearRoamingMessages": true}),
    )
    .unwrap();
    check::<CreateConversationGroupParams>(
        &json!({"fromAccount": "u", "groupName": "分".repeat(10), "conversations": [c2c("p")]}),
    )
    .unwrap();
    // An empty list and a duplicate conversation are not documented rules: they are sent.
    check::<CreateConversationGroupParams>(&json!({"fromAccount": "u", "groupName": "g", "conversations": []}))
        .unwrap();
    check::<CreateConversationGroupParams>(
        &json!({"fromAccount": "u", "groupName": "g", "conversations": [c2c("p"), c2c("p")]}),
    )
    .unwrap();
    let hundred: Vec<Value> = (0..100).map(|i| c2c(&format!("p{i}"))).collect();
    check::<UpdateConversationGroupParams>(
        &json!({"fromAccount": "u", "groupName": "g", "add": hundred[..60], "remove": hundred[60..]}),
    )
    .unwrap();
    check::<RenameConversationGroupParams>(
        &json!({"fromAccount": "u", "groupName": "a", "newGroupName": "b".repeat(32)}),
    )
    .unwrap();
    check::<DeleteConversationGroupParams>(&json!({"fromAccount": "u", "groupName": "a"})).unwrap();
}

#[test]
fn invalid_inputs_name_their_field() {
    let many: Vec<Value> = (0..101).map(|i| c2c(&format!("p{i}"))).collect();
    let thousand_one: Vec<Value> = (0..1001).map(|i| c2c(&format!("p{i}"))).collect();
    let cases: Vec<(&str, Result<()>, &str)> = vec![
        // deleteConversation
        (
            "missing fromAccount",
            check::<DeleteConversationParams>(&json!({"conversation": c2c("p")})),
            "fromAccount",
        ),
        (
            "empty fromAccount",
            check::<DeleteConversationParams>(&json!({"fromAccount": "", "conversation": c2c("p")})),
            "fromAccount",
        ),
        (
            "fromAccount not a string",
            check::<DeleteConversationParams>(&json!({"fromAccount": 5, "conversation": c2c("p")})),
            "fromAccount",
        ),
        (
            "missing conversation",
            check::<DeleteConversationParams>(&json!({"fromAccount": "u"})),
            "conversation",
        ),
        (
            "c2c without toAccount",
            check::<DeleteConversationParams>(&json!({"fromAccount": "u", "conversation": {"type": "c2c"}})),
            "conversation.toAccount",
        ),
        (
            "c2c with empty toAccount",
            check::<DeleteConversationParams>(&json!({"fromAccount": "u", "conversation": c2c("")})),
            "conversation.toAccount",
        ),
        (
            "group without toGroupId",
            check::<DeleteConversationParams>(&json!({"fromAccount": "u", "conversation": {"type": "group"}})),
            "conversation.toGroupId",
        ),
        (
            "group with empty toGroupId",
            check::<DeleteConversationParams>(
                &json!({"fromAccount": "u", "conversation": {"type": "group", "toGroupId": ""}}),
            ),
            "conversation.toGroupId",
        ),
        (
            "both identifiers",
            check::<DeleteConversationParams>(
                &json!({"fromAccount": "u", "conversation": {"type": "c2c", "toAccount": "a", "toGroupId": "g"}}),
            ),
            "conversation.toGroupId",
        ),
        (
            "group with toAccount",
            check::<DeleteConversationParams>(
                &json!({"fromAccount": "u", "conversation": {"type": "group", "toAccount": "a"}}),
            ),
            "conversation.toAccount",
        ),
        (
            "unknown type",
            check::<DeleteConversationParams>(
                &json!({"fromAccount": "u", "conversation": {"type": "C2C", "toAccount": "a"}}),
            ),
            "conversation.type",
        ),
        (
            "missing type",
            check::<DeleteConversationParams>(&json!({"fromAccount": "u", "conversation": {"toAccount": "a"}})),
            "conversation.type",
        ),
        (
            "clearRoamingMessages not boolean",
            check::<DeleteConversationParams>(
                &json!({"fromAccount": "u", "conversation": c2c("p"), "clearRoamingMessages": 1}),
            ),
            "clearRoamingMessages",
        ),
        (
            "misspelt field",
            check::<DeleteConversationParams>(&json!({"fromAcount": "u", "conversation": c2c("p")})),
            "fromAcount",
        ),
        (
            "not an object",
            check::<DeleteConversationParams>(&json!("x")),
            "params",
        ),
        ("null", check::<DeleteConversationParams>(&Value::Null), "params"),
        // createConversationGroup
        (
            "empty group name",
            check::<CreateConversationGroupParams>(&json!({"fromAccount": "u", "groupName": "", "conversations": []})),
            "groupName",
        ),
        (
            "33-byte group name",
            check::<CreateConversationGroupParams>(
                &json!({"fromAccount": "u", "groupName": "a".repeat(33), "conversations": []}),
            ),
            "groupName",
        ),
        (
            "11 CJK characters",
            check::<CreateConversationGroupParams>(
                &json!({"fromAccount": "u", "groupName": "分".repeat(11), "conversations": []}),
            ),
            "groupName",
        ),
        (
            "missing conversations",
            check::<CreateConversationGroupParams>(&json!({"fromAccount": "u", "groupName": "g"})),
            "conversations",
        ),
        (
            "bad third conversation",
            check::<CreateConversationGroupParams>(
                &json!({"fromAccount": "u", "groupName": "g", "conversations": [c2c("a"), c2c("b"), {"type": "c2c", "toAccount": ""}]}),
            ),
            "conversations[2].toAccount",
        ),
        (
            "over 1000 conversations",
            check::<CreateConversationGroupParams>(
                &json!({"fromAccount": "u", "groupName": "g", "conversations": thousand_one}),
            ),
            "conversations",
        ),
        (
            "create without fromAccount",
            check::<CreateConversationGroupParams>(&json!({"fromAccount": "", "groupName": "g", "conversations": []})),
            "fromAccount",
        ),
        // renameConversationGroup
        (
            "rename to empty",
            check::<RenameConversationGroupParams>(&json!({"fromAccount": "u", "groupName": "a", "newGroupName": ""})),
            "newGroupName",
        ),
        (
            "rename to 33 bytes",
            check::<RenameConversationGroupParams>(
                &json!({"fromAccount": "u", "groupName": "a", "newGroupName": "é".repeat(17)}),
            ),
            "newGroupName",
        ),
        (
            "rename without current name",
            check::<RenameConversationGroupParams>(&json!({"fromAccount": "u", "newGroupName": "b"})),
            "groupName",
        ),
        // updateConversationGroup
        (
            "update with nothing",
            check::<UpdateConversationGroupParams>(&json!({"fromAccount": "u", "groupName": "g"})),
            "add",
        ),
        (
            "update with empty lists",
            check::<UpdateConversationGroupParams>(
                &json!({"fromAccount": "u", "groupName": "g", "add": [], "remove": []}),
            ),
            "add",
        ),
        (
            "update with 101",
            check::<UpdateConversationGroupParams>(&json!({"fromAccount": "u", "groupName": "g", "add": many})),
            "add",
        ),
        (
            "update with 101 mostly removes",
            check::<UpdateConversationGroupParams>(
                &json!({"fromAccount": "u", "groupName": "g", "add": many[..1], "remove": many[1..]}),
            ),
            "remove",
        ),
        (
            "bad removal",
            check::<UpdateConversationGroupParams>(
                &json!({"fromAccount": "u", "groupName": "g", "remove": [{"type": "group", "toGroupId": ""}]}),
            ),
            "remove[0].toGroupId",
        ),
        (
            "update with long name",
            check::<UpdateConversationGroupParams>(
                &json!({"fromAccount": "u", "groupName": "x".repeat(40), "add": [c2c("a")]}),
            ),
            "groupName",
        ),
        // deleteConversationGroup
        (
            "delete group without name",
            check::<DeleteConversationGroupParams>(&json!({"fromAccount": "u", "groupName": ""})),
            "groupName",
        ),
        (
            "delete group without fromAccount",
            check::<DeleteConversationGroupParams>(&json!({"groupName": "g"})),
            "fromAccount",
        ),
    ];
    let c2c_many = |n: usize| -> Vec<Value> { (0..n).map(|i| c2c(&format!("p{i}"))).collect() };
    let mark = |item: Value| json!({"fromAccount": "u", "items": [item]});
    let hundred_one: Vec<Value> = (0..101)
        .map(|i| json!({"conversation": c2c(&format!("p{i}")), "set": [1]}))
        .collect();
    let more: Vec<(&str, Result<()>, &str)> = vec![
        // listConversations / listConversationsPage
        (
            "list without fromAccount",
            check::<ListConversationsParams>(&json!({"fromAccount": ""})),
            "fromAccount",
        ),
        (
            "list with a made-up cursor",
            check::<ListConversationsParams>(&json!({"fromAccount": "u", "cursor": "page2"})),
            "cursor",
        ),
        (
            "list flag not boolean",
            check::<ListConversationsParams>(&json!({"fromAccount": "u", "includePinned": "yes"})),
            "includePinned",
        ),
        // getConversationGroups(Page)
        (
            "groups with a made-up cursor",
            check::<GetConversationGroupsParams>(&json!({"fromAccount": "u", "cursor": "3"})),
            "cursor",
        ),
        (
            "groups without fromAccount",
            check::<GetConversationGroupsParams>(&json!({})),
            "fromAccount",
        ),
        // searchConversationGroups
        (
            "search nothing",
            check::<SearchConversationGroupsParams>(&json!({"fromAccount": "u", "conversations": []})),
            "conversations",
        ),
        (
            "search 301",
            check::<SearchConversationGroupsParams>(&json!({"fromAccount": "u", "conversations": c2c_many(301)})),
            "conversations",
        ),
        (
            "search a bad one",
            check::<SearchConversationGroupsParams>(
                &json!({"fromAccount": "u", "conversations": [c2c("a"), {"type": "group", "toGroupId": ""}]}),
            ),
            "conversations[1].toGroupId",
        ),
        // markConversations
        (
            "mark nothing",
            check::<MarkConversationsParams>(&json!({"fromAccount": "u", "items": []})),
            "items",
        ),
        (
            "mark 101",
            check::<MarkConversationsParams>(&json!({"fromAccount": "u", "items": hundred_one})),
            "items",
        ),
        (
            "mark bit 64",
            check::<MarkConversationsParams>(&mark(json!({"conversation": c2c("a"), "set": [1, 64]}))),
            "items[0].set[1]",
        ),
        (
            "clear bit 64",
            check::<MarkConversationsParams>(&mark(json!({"conversation": c2c("a"), "clear": [64]}))),
            "items[0].clear[0]",
        ),
        (
            "negative bit",
            check::<MarkConversationsParams>(&mark(json!({"conversation": c2c("a"), "set": [-1]}))),
            "items[0].set[0]",
        ),
        (
            "fractional bit",
            check::<MarkConversationsParams>(&mark(json!({"conversation": c2c("a"), "set": [1.5]}))),
            "items[0].set[0]",
        ),
        (
            "custom mark of 257 bytes",
            check::<MarkConversationsParams>(&mark(json!({"conversation": c2c("a"), "customMark": "x".repeat(257)}))),
            "items[0].customMark",
        ),
        (
            "mark that changes nothing",
            check::<MarkConversationsParams>(&mark(json!({"conversation": c2c("a"), "set": []}))),
            "items[0]",
        ),
        (
            "mark a bad conversation",
            check::<MarkConversationsParams>(&mark(
                json!({"conversation": {"type": "c2c", "toAccount": ""}, "set": [1]}),
            )),
            "items[0].conversation.toAccount",
        ),
    ];
    check::<MarkConversationsParams>(&mark(json!({"conversation": c2c("a"), "customMark": "分".repeat(85)}))).unwrap(); // 255 bytes
    check::<MarkConversationsParams>(&mark(json!({"conversation": c2c("a"), "set": [0, 63], "clear": [31]}))).unwrap();
    check::<SearchConversationGroupsParams>(&json!({"fromAccount": "u", "conversations": c2c_many(300)})).unwrap();
    for (what, result, field) in cases.into_iter().chain(more) {
        assert_eq!(field_of(result), field, "{what}");
    }
}

fn options(v: Value) -> Result<Config> {
    let o: ClientOptions = parse_input("options", &v.to_string())?;
    Config::from_options(&o)
}

#[test]
fn client_options() {
    let ok = options(json!({"sdkAppId": 1400000000u32, "identifier": "admin", "secretKey": "k"})).unwrap();
    assert_eq!(
        ok.origins,
        ["https://console.tim.qq.com", "https://adminapi.my-imcloud.com"]
    );
    assert_eq!(
        (ok.timeout_ms, ok.max_retries, ok.max_requests_per_second),
        (10_000, 2, 200.0)
    );
    assert_eq!(
        (ok.max_response_bytes, ok.max_pages, ok.max_items),
        (8 << 20, 1000, 50_000)
    );
    // A lone UTF-16 surrogate (legal in JavaScript) is no type error: the
    // UserSig is read with U+FFFD in its place and refused by the service.
    let text = r#"{"sdkAppId": 1, "identifier": "a", "userSig": "ab\udc00"}"#;
    let o: ClientOptions = parse_input("options", text).unwrap();
    let c = Config::from_options(&o).unwrap();
    assert!(
        matches!(c.credential, Credential::UserSig(ref s) if s.expose().starts_with("ab\u{fffd}") && !s.expose().contains("dc00"))
    );
    let o =
        options(json!({"sdkAppId": 4294967295u32, "identifier": "a", "userSig": "s", "region": "jakarta"})).unwrap();
    assert_eq!(
        o.origins,
        [
            "https://adminapiidn.im.qcloud.com",
            "https://adminapiidn.my-imcloud.com"
        ]
    );
    let o = options(json!({"sdkAppId": 1, "identifier": "a", "userSig": "s", "baseUrl": "http://127.0.0.1:8787/"}))
        .unwrap();
    assert_eq!(o.origins, ["http://127.0.0.1:8787"]);
    let o = options(json!({"sdkAppId": 1, "identifier": "a", "userSig": "s", "baseUrl": ["http://127.0.0.1:1/", "http://127.0.0.1:2"]}))
        .unwrap();
    assert_eq!(o.origins, ["http://127.0.0.1:1", "http://127.0.0.1:2"]);

    let base = |extra: Value| {
        let mut v = json!({"sdkAppId": 1400000000u32, "identifier": "admin", "secretKey": "k"});
        for (k, x) in extra.as_object().unwrap() {
            if x.is_null() {
                v.as_object_mut().unwrap().remove(k);
            } else {
                v[k] = x.clone();
            }
        }
        options(v).map(|_| ())
    };
    let cases = [
        (json!({"sdkAppId": 4294967296u64}), "sdkAppId"),
        (json!({"sdkAppId": -1}), "sdkAppId"),
        (json!({"sdkAppId": 1.5}), "sdkAppId"),
        (json!({"sdkAppId": "1400000000"}), "sdkAppId"),
        (json!({"sdkAppId": null}), "sdkAppId"),
        (json!({"identifier": ""}), "identifier"),
        (json!({"identifier": null}), "identifier"),
        (json!({"secretKey": null}), "secretKey"),
        (json!({"secretKey": ""}), "secretKey"),
        (json!({"userSig": "s"}), "secretKey"),
        (json!({"secretKey": null, "userSig": ""}), "userSig"),
        (json!({"region": "mars"}), "region"),
        (json!({"region": "singapore", "baseUrl": "http://x"}), "baseUrl"),
        (json!({"baseUrl": "127.0.0.1:8787"}), "baseUrl"),
        (json!({"timeoutMs": 0}), "timeoutMs"),
        (json!({"timeoutMs": -5}), "timeoutMs"),
        (json!({"timeoutMs": 2147483648u64}), "timeoutMs"),
        (json!({"maxRequestsPerSecond": 0.001}), "maxRequestsPerSecond"),
        (json!({"maxRetries": 11}), "maxRetries"),
        (json!({"maxRetries": 1.5}), "maxRetries"),
        (json!({"userSigTtlSeconds": 10}), "userSigTtlSeconds"),
        (
            json!({"secretKey": null, "userSig": "s", "userSigTtlSeconds": 100}),
            "userSigTtlSeconds",
        ),
        (json!({"maxRequestsPerSecond": 0}), "maxRequestsPerSecond"),
        (json!({"maxRequestsPerSecond": -3}), "maxRequestsPerSecond"),
        (json!({"regoin": "china"}), "regoin"),
        (json!({"maxResponseBytes": 1023}), "maxResponseBytes"),
        (json!({"baseUrl": []}), "baseUrl"),
        (json!({"baseUrl": ["http://a", "ftp://b"]}), "baseUrl[1]"),
        (json!({"baseUrl": ["http://a", "http://a/"]}), "baseUrl[1]"),
        (
            json!({"baseUrl": ["http://a", "http://b", "http://c", "http://d", "http://e"]}),
            "baseUrl",
        ),
        (json!({"baseUrl": 5}), "baseUrl"),
        (json!({"maxResponseBytes": 67108865}), "maxResponseBytes"),
        (json!({"maxResponseBytes": -1}), "maxResponseBytes"),
        (json!({"maxPages": 0}), "maxPages"),
        (json!({"maxPages": 10000001}), "maxPages"),
        (json!({"maxItems": 0}), "maxItems"),
        (json!({"maxItems": 2.5}), "maxItems"),
    ];
    for (extra, field) in cases {
        assert_eq!(field_of(base(extra.clone())), field, "{extra}");
    }
}

#[test]
fn validation_errors_never_show_secrets() {
    let e = options(json!({"sdkAppId": 1, "identifier": "a", "secretKey": "SECRET-KEY-123", "userSig": "SIG-456"}))
        .unwrap_err();
    let text = format!("{e} {e:?}");
    assert!(!text.contains("SECRET-KEY-123") && !text.contains("SIG-456"), "{text}");
    let o: ClientOptions = parse_input(
        "options",
        &json!({"sdkAppId": 1, "identifier": "a", "secretKey": "SECRET-KEY-123"}).to_string(),
    )
    .unwrap();
    assert!(!format!("{o:?}").contains("SECRET-KEY-123"));
    let c = options(json!({"sdkAppId": 1, "identifier": "a", "secretKey": "SECRET-KEY-123"})).unwrap();
    assert!(!format!("{c:?}").contains("SECRET-KEY-123"));
}

#[test]
fn client_option_reasons() {
    // The reasons built out of line (`cold_*`), word for word.
    let reason = |extra: Value| {
        let mut v = json!({"sdkAppId": 1400000000u32, "identifier": "admin", "secretKey": "k"});
        for (k, x) in extra.as_object().unwrap() {
            v[k] = x.clone();
        }
        options(v).map(|_| ()).unwrap_err().to_string()
    };
    let cases = [
        (
            json!({"timeoutMs": 0}),
            "invalid `timeoutMs`: must be 1 to 2147483647 milliseconds (the longest timer JavaScript keeps)",
        ),
        (json!({"maxRetries": 11}), "invalid `maxRetries`: must be 0 to 10"),
        (json!({"userSigTtlSeconds": 10}), "invalid `userSigTtlSeconds`: must be at least 60"),
        (json!({"maxPages": 0}), "invalid `maxPages`: must be 1 to 10000000"),
        (json!({"baseUrl": []}), "invalid `baseUrl`: give 1 to 4 origins, got 0"),
        (json!({"baseUrl": ["http://a", "http://a/"]}), "invalid `baseUrl[1]`: is listed twice"),
        (
            json!({"baseUrl": ["http://a", "ftp://b"]}),
            "invalid `baseUrl[1]`: must start with http:// or https://",
        ),
        (
            json!({"region": "tokio"}),
            "invalid `region`: must be one of \"china\", \"singapore\", \"seoul\", \"tokyo\", \"frankfurt\", \"mumbai\", \"silicon-valley\", \"jakarta\", \"riyadh\"; did you mean \"tokyo\"?",
        ),
    ];
    for (extra, expected) in cases {
        assert_eq!(reason(extra.clone()), expected, "{extra}");
    }
    // A call's own options, checked against the client's settings.
    let config = options(json!({"sdkAppId": 1400000000u32, "identifier": "admin", "secretKey": "k"})).unwrap();
    let call = |v: Value| {
        let o: CallOptions = parse_input("options", &v.to_string()).unwrap();
        o.resolve(&config).unwrap_err().to_string()
    };
    assert_eq!(
        call(json!({"timeoutMs": 0})),
        "invalid `options.timeoutMs`: must be 1 to 2147483647 milliseconds"
    );
    assert_eq!(
        call(json!({"maxRetries": 11})),
        "invalid `options.maxRetries`: must be 0 to 10"
    );
}
