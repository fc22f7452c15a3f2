//! The call flow (sign, rate-limit, send, decode, retry) against a scripted
//! runtime: no network, no JavaScript.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::future::Future;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use serde_json::{json, Value};
use tim_recentcontact::*;

const KEY: &str = "the-secret-key-0123456789";
const APP: u32 = 1400000000;

#[derive(Default)]
struct Mock {
    answers: RefCell<VecDeque<std::result::Result<HttpResponse, TransportError>>>,
    sent: RefCell<Vec<(String, String, u32)>>,
    sleeps: RefCell<Vec<u64>>,
    events: RefCell<Vec<String>>,
    /// Fire the call's cancel handle while it sleeps.
    abort_in_sleep: Cell<bool>,
    now_ms: Cell<f64>,
    rng: Cell<u32>,
    /// A shared limiter's answers (`None`: no `rateLimiter`); past the
    /// script it grants.
    limiter: RefCell<Option<VecDeque<Acquired>>>,
    /// What the client asked the shared limiter: `acquire x` / `penalize x`.
    limiter_calls: RefCell<Vec<String>>,
}

#[derive(Clone)]
struct Rt(Rc<Mock>);

impl Runtime for Rt {
    /// Fires when set; tests set it from inside the scripted answers.
    type Cancel = Cell<bool>;

    async fn send(
        &self,
        req: &HttpRequest<'_>,
        cancel: Option<&Cell<bool>>,
    ) -> std::result::Result<HttpResponse, TransportError> {
        if cancel.is_some_and(Cell::get) {
            return Err(TransportError::Aborted);
        }
        let url = req.url;
        self.0
            .sent
            .borrow_mut()
            .push((url.to_string(), req.body.to_string(), req.timeout_ms));
        let answer = self.0.answers.borrow_mut().pop_front();
        // Past the script the service is unreachable.
        match answer.unwrap_or(Err(TransportError::Network("nothing scripted".into()))) {
            // Stands for a runtime that quotes the URL in its message, as Deno does.
            Err(TransportError::Network(m)) if m == "QUOTE_URL" => Err(TransportError::Network(format!(
                "error sending request for url ({url})"
            ))),
            answer => answer,
        }
    }
    async fn sleep(&self, ms: u64, cancel: Option<&Cell<bool>>) -> bool {
        self.0.sleeps.borrow_mut().push(ms);
        if let Some(c) = cancel.filter(|_| self.0.abort_in_sleep.get()) {
            // Aborted at once, before the wait is over.
            c.set(true);
            return false;
        }
        self.0.now_ms.set(self.0.now_ms.get() + ms as f64);
        !cancel.is_some_and(Cell::get)
    }
    fn is_cancelled(&self, cancel: &Cell<bool>) -> bool {
        cancel.get()
    }
    fn event(&self, event: &Event<'_>) {
        self.0.events.borrow_mut().push(format!("{event:?}"));
    }
    fn now_ms(&self) -> f64 {
        self.0.now_ms.get()
    }
    fn has_limiter(&self) -> bool {
        self.0.limiter.borrow().is_some()
    }
    async fn acquire(&self, command: &'static str, cancel: Option<&Cell<bool>>) -> Acquired {
        self.0.limiter_calls.borrow_mut().push(format!("acquire {command}"));
        let next = self.0.limiter.borrow_mut().as_mut().and_then(VecDeque::pop_front);
        if next == Some(Acquired::Aborted) {
            if let Some(c) = cancel {
                c.set(true);
            }
        }
        next.unwrap_or(Acquired::Granted)
    }
    fn penalize(&self, command: &'static str) {
        self.0.limiter_calls.borrow_mut().push(format!("penalize {command}"));
    }
    fn random_u32(&self) -> u32 {
        let x = self.0.rng.get().wrapping_mul(1664525).wrapping_add(1013904223);
        self.0.rng.set(x);
        x
    }
}

fn block_on<F: Future>(f: F) -> F::Output {
    let mut f = Box::pin(f);
    let mut cx = Context::from_waker(Waker::noop());
    match f.as_mut().poll(&mut cx) {
        Poll::Ready(v) => v,
        Poll::Pending => panic!("the mock runtime never waits"),
    }
}

fn ok(body: Value) -> std::result::Result<HttpResponse, TransportError> {
    Ok(HttpResponse {
        status: 200,
        body: body.to_string().into_bytes(),
        retry_after_ms: None,
    })
}

fn fail(code: i64) -> std::result::Result<HttpResponse, TransportError> {
    ok(json!({"ActionStatus": "FAIL", "ErrorCode": code, "ErrorInfo": format!("error {code}")}))
}

fn client(extra: Value, answers: Vec<std::result::Result<HttpResponse, TransportError>>) -> (Client<Rt>, Rc<Mock>) {
    let mut opts = json!({"sdkAppId": APP, "identifier": "admin", "secretKey": KEY, "baseUrl": "http://127.0.0.1:1"});
    for (k, v) in extra.as_object().unwrap() {
        if v.is_null() {
            opts.as_object_mut().unwrap().remove(k);
        } else {
            opts[k] = v.clone();
        }
    }
    let options: ClientOptions = parse_input("options", &opts.to_string()).unwrap();
    let mock = Rc::new(Mock::default());
    mock.now_ms.set(1_700_000_000_000.0);
    mock.answers.borrow_mut().extend(answers);
    (Client::new(&options, Rt(mock.clone())).unwrap(), mock)
}

fn delete() -> DeleteConversationParams {
    DeleteConversationParams {
        from_account: "u1".into(),
        conversation: Conversation::C2c {
            to_account: "u2".into(),
        },
        clear_roaming_messages: None,
    }
}

fn create() -> CreateConversationGroupParams {
    CreateConversationGroupParams {
        from_account: "u1".into(),
        group_name: "g".into(),
        conversations: vec![Conversation::C2c {
            to_account: "u2".into(),
        }],
    }
}

fn query(url: &str) -> Vec<(String, String)> {
    url.split_once('?')
        .unwrap()
        .1
        .split('&')
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap();
            (k.to_string(), v.to_string())
        })
        .collect()
}

fn sig_of(url: &str) -> String {
    query(url).into_iter().find(|(k, _)| k == "usersig").unwrap().1
}

#[test]
fn a_call_sends_the_documented_request() {
    let (c, m) = client(
        json!({}),
        vec![ok(json!({"ActionStatus": "OK", "ErrorCode": 0, "ErrorInfo": ""}))],
    );
    block_on(c.call(&delete())).unwrap();
    let sent = m.sent.borrow();
    let (url, body, timeout) = &sent[0];
    assert!(url.starts_with("http://127.0.0.1:1/v4/recentcontact/delete?"));
    let q = query(url);
    let keys: Vec<_> = q.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(keys, ["sdkappid", "identifier", "usersig", "random", "contenttype"]);
    assert_eq!(q[0].1, "1400000000");
    assert_eq!(q[1].1, "admin");
    assert!(q[3].1.parse::<u32>().is_ok());
    assert_eq!(q[4].1, "json");
    let info = usersig::verify(APP, KEY, &q[2].1, 1_700_000_000).unwrap();
    assert_eq!((info.identifier.as_str(), info.expire), ("admin", 86400));
    assert_eq!(
        serde_json::from_str::<Value>(body).unwrap(),
        json!({"From_Account":"u1","Type":1,"To_Account":"u2"})
    );
    assert_eq!(*timeout, 10_000);
}

#[test]
fn random_is_fresh_and_the_signature_is_cached_then_renewed() {
    let okb = || ok(json!({"ActionStatus": "OK", "ErrorCode": 0}));
    let (c, m) = client(json!({"userSigTtlSeconds": 3600}), vec![okb(), okb(), okb()]);
    block_on(c.call(&delete())).unwrap();
    block_on(c.call(&delete())).unwrap();
    m.now_ms.set(m.now_ms.get() + 1_800_000.0); // half the lifetime later
    block_on(c.call(&delete())).unwrap();
    let sent = m.sent.borrow();
    let randoms: Vec<_> = sent.iter().map(|(u, _, _)| query(u)[3].1.clone()).collect();
    assert_ne!(randoms[0], randoms[1]);
    assert_eq!(sig_of(&sent[0].0), sig_of(&sent[1].0));
    assert_ne!(sig_of(&sent[1].0), sig_of(&sent[2].0));
    let renewed = usersig::verify(APP, KEY, &sig_of(&sent[2].0), 1_700_001_800).unwrap();
    assert_eq!(renewed.time, 1_700_001_800);
}

#[test]
fn an_expired_signature_is_renewed_and_the_call_retried_once() {
    let (c, m) = client(
        json!({}),
        vec![fail(70001), ok(json!({"ActionStatus": "OK", "ErrorCode": 0}))],
    );
    block_on(c.call(&delete())).unwrap();
    assert_eq!(m.sent.borrow().len(), 2);
    // No back-off: at most the pacer's 5 ms between two sends.
    assert!(m.sleeps.borrow().iter().all(|s| *s <= 6), "{:?}", m.sleeps.borrow());

    let (c, m) = client(json!({}), vec![fail(70052), fail(70001)]);
    let e = block_on(c.call(&create())).unwrap_err();
    assert_eq!((e.kind(), e.code()), (ErrorKind::Auth, Some(70001)));
    assert_eq!(m.sent.borrow().len(), 2);

    // A given UserSig cannot be renewed.
    let (c, m) = client(json!({"secretKey": null, "userSig": "given"}), vec![fail(70001)]);
    let e = block_on(c.call(&delete())).unwrap_err();
    assert_eq!(e.code(), Some(70001));
    assert_eq!(m.sent.borrow().len(), 1);
    assert_eq!(sig_of(&m.sent.borrow()[0].0), "given");
}

#[test]
fn transient_and_throttled_answers_are_retried_with_backoff() {
    let (c, m) = client(
        json!({}),
        vec![
            fail(50004),
            fail(60007),
            ok(json!({"ActionStatus": "OK", "ErrorCode": 0})),
        ],
    );
    block_on(c.call(&delete())).unwrap();
    let sleeps = m.sleeps.borrow().clone();
    assert_eq!(sleeps.len(), 2);
    assert!((375..=500).contains(&sleeps[0]), "{sleeps:?}");
    assert!(sleeps[1] >= 1000, "{sleeps:?}");

    let (c, m) = client(json!({"maxRetries": 1}), vec![fail(50005), fail(50005)]);
    let e = block_on(c.call(&delete())).unwrap_err();
    assert_eq!((e.code(), e.retryable()), (Some(50005), true));
    assert_eq!(m.sent.borrow().len(), 2);

    let (c, m) = client(json!({}), vec![fail(51009)]);
    let e = block_on(c.call(&delete())).unwrap_err();
    assert_eq!((e.kind(), e.retryable()), (ErrorKind::Api, false));
    assert_eq!(m.sent.borrow().len(), 1);
}

#[test]
fn ambiguous_failures_are_retried_only_for_idempotent_calls() {
    let (c, m) = client(
        json!({}),
        vec![
            Err(TransportError::Timeout),
            ok(json!({"ActionStatus": "OK", "ErrorCode": 0})),
        ],
    );
    block_on(c.call(&delete())).unwrap();
    assert_eq!(m.sent.borrow().len(), 2);

    // A write is never sent again blindly: the state is read back first,
    // and when it cannot be read the outcome is unknown.
    let (c, m) = client(
        json!({"timeoutMs": 1234, "maxRetries": 0}),
        vec![Err(TransportError::Timeout)],
    );
    let e = block_on(c.call(&create())).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Timeout);
    assert!(!e.retryable());
    assert!(e.to_string().contains("may or may not have been applied"), "{e}");
    let sent = m.sent.borrow();
    assert!(sent[0].0.contains("/create_contact_group?"));
    assert_eq!(sent[0].2, 1234);
    assert!(
        sent[1..].iter().all(|(u, _, _)| u.contains("/get_contact_group?")),
        "only reads follow"
    );
    drop(sent);

    let (c, _) = client(
        json!({"maxRetries": 0}),
        vec![Err(TransportError::Network("refused".into()))],
    );
    let e = block_on(c.call(&create())).unwrap_err();
    assert_eq!((e.kind(), e.retryable()), (ErrorKind::Network, false));

    let bad = |status| {
        Ok(HttpResponse {
            status,
            body: b"<html>bad gateway</html>".to_vec(),
            retry_after_ms: None,
        })
    };
    let (c, m) = client(json!({}), vec![bad(502), bad(502), bad(502)]);
    let e = block_on(c.call(&delete())).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Http);
    assert_eq!(m.sent.borrow().len(), 3);
    let (c, m) = client(json!({"maxRetries": 0}), vec![bad(502)]);
    let e = block_on(c.call(&create())).unwrap_err();
    assert!(matches!(
        e,
        Error::Http {
            status: 502,
            retryable: false,
            ..
        }
    ));
    assert_eq!(
        m.sent.borrow()[0].0.split('?').next(),
        Some("http://127.0.0.1:1/v4/recentcontact/create_contact_group")
    );
}

#[test]
fn errors_never_carry_the_key_or_the_signature() {
    let answers = vec![
        Ok(HttpResponse {
            status: 500,
            body: vec![],
            retry_after_ms: None,
        }),
        Err(TransportError::Network("boom".into())),
        Err(TransportError::Timeout),
        ok(json!({"not": "documented"})),
        fail(70009),
        fail(51009),
        Err(TransportError::Network("QUOTE_URL".into())),
    ];
    let (c, m) = client(json!({"maxRetries": 0}), answers);
    let mut errors = vec![];
    for _ in 0..7 {
        errors.push(block_on(c.call(&delete())).unwrap_err());
    }
    let sent = m.sent.borrow();
    for (e, (url, _, _)) in errors.iter().zip(sent.iter()) {
        let sig = sig_of(url);
        let text = format!("{e} | {e:?}");
        assert!(!text.contains(KEY) && !text.contains(&sig), "{text}");
        if let Error::Http { url, .. } | Error::Network { url, .. } | Error::Timeout { url, .. } = e {
            assert!(url.contains("usersig=REDACTED"), "{url}");
        }
    }
    assert!(!format!("{c:?}").contains(KEY));
    let kinds: Vec<_> = errors.iter().map(Error::kind).collect();
    assert_eq!(
        kinds,
        [
            ErrorKind::Http,
            ErrorKind::Network,
            ErrorKind::Timeout,
            ErrorKind::Decode,
            ErrorKind::Auth,
            ErrorKind::Api,
            ErrorKind::Network
        ]
    );
    assert!(
        errors[6].to_string().contains("usersig=REDACTED&random"),
        "{}",
        errors[6]
    );
}

#[test]
fn the_client_keeps_under_its_rate() {
    let answers: Vec<_> = (0..5)
        .map(|_| ok(json!({"ActionStatus": "OK", "ErrorCode": 0})))
        .collect();
    let (c, m) = client(json!({"maxRequestsPerSecond": 2}), answers);
    for _ in 0..5 {
        block_on(c.call(&delete())).unwrap();
    }
    // The first at once, then one every 1000 / (2 × 96 %) ms.
    assert_eq!(*m.sleeps.borrow(), [521, 521, 521, 521]);
}

#[test]
fn invalid_input_sends_nothing() {
    let (c, m) = client(json!({}), vec![]);
    let mut bad = create();
    bad.group_name = "x".repeat(33);
    let e = block_on(c.call(&bad)).unwrap_err();
    assert!(matches!(e, Error::Validation { ref field, .. } if field == "groupName"));
    assert!(m.sent.borrow().is_empty());
}

#[test]
fn all_conversation_groups_follow_every_page_and_stop_on_a_stuck_index() {
    let page = |items: Value, groups: Value, complete: u8, next: u64| {
        ok(
            json!({"ContactItem": items, "GroupItem": groups, "CompleteFlag": complete, "NextStartIndex": next,
                  "ActionStatus": "OK", "ErrorCode": 0, "ErrorInfo": ""}),
        )
    };
    let g = |id: u64| json!({"GroupName": format!("g{id}"), "GroupId": id});
    let item = |a: &str| json!({"Type": 1, "To_Account": a, "ContactGroupId": [1]});
    let (c, m) = client(
        json!({}),
        vec![
            page(json!([item("a"), item("b")]), json!([g(1), g(2)]), 0, 2),
            page(json!([item("c")]), json!([g(1), g(2)]), 0, 3),
            page(json!([]), json!([g(2), g(3)]), 1, 0),
        ],
    );
    let all = block_on(get_all_conversation_groups(
        &c,
        &AllConversationGroupsParams {
            from_account: "u".into(),
        },
    ))
    .unwrap();
    let ids: Vec<_> = all.groups.iter().map(|g| g.group_id).collect();
    assert_eq!(ids, [1, 2, 3]);
    let who: Vec<_> = all.conversations.iter().map(|c| c.conversation.clone()).collect();
    assert_eq!(who, ["a", "b", "c"].map(|a| Conversation::C2c { to_account: a.into() }));
    let starts: Vec<Value> = m
        .sent
        .borrow()
        .iter()
        .map(|(_, b, _)| serde_json::from_str::<Value>(b).unwrap()["StartIndex"].clone())
        .collect();
    assert_eq!(starts, [json!(0), json!(2), json!(3)]);

    let (c, m) = client(
        json!({}),
        vec![page(json!([]), json!([]), 0, 4), page(json!([]), json!([]), 0, 4)],
    );
    let e = block_on(get_all_conversation_groups(
        &c,
        &AllConversationGroupsParams {
            from_account: "u".into(),
        },
    ))
    .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Decode);
    assert_eq!(m.sent.borrow().len(), 2, "stopped instead of looping");
    let e = block_on(get_all_conversation_groups(
        &c,
        &AllConversationGroupsParams {
            from_account: String::new(),
        },
    ))
    .unwrap_err();
    assert!(matches!(e, Error::Validation { ref field, .. } if field == "fromAccount"));
}

fn all_groups_of(c: &Client<Rt>) -> Result<ConversationGroups> {
    block_on(get_all_conversation_groups(
        c,
        &AllConversationGroupsParams {
            from_account: "u".into(),
        },
    ))
}

fn groups_page(
    items: usize,
    groups: std::ops::Range<u64>,
    next: u64,
) -> std::result::Result<HttpResponse, TransportError> {
    let items: Vec<Value> = (0..items)
        .map(|i| json!({"Type": 1, "To_Account": format!("p{next}-{i}")}))
        .collect();
    let groups: Vec<Value> = groups
        .map(|id| json!({"GroupName": format!("g{id}"), "GroupId": id}))
        .collect();
    ok(
        json!({"ContactItem": items, "GroupItem": groups, "CompleteFlag": 0, "NextStartIndex": next,
              "ActionStatus": "OK", "ErrorCode": 0, "ErrorInfo": ""}),
    )
}

#[test]
fn a_body_over_the_cap_is_a_decode_error_and_never_retried() {
    let big = format!(
        r#"{{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","Pad":"{}"}}"#,
        "x".repeat(2000)
    );
    let (c, m) = client(
        json!({"maxResponseBytes": 1024}),
        vec![Ok(HttpResponse {
            status: 200,
            body: big.into_bytes(),
            retry_after_ms: None,
        })],
    );
    let e = block_on(c.call(&delete())).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Decode);
    assert!(e.to_string().contains("maxResponseBytes (1024 bytes)"), "{e}");
    assert_eq!(m.sent.borrow().len(), 1);

    // The runtime stopped reading at the cap it was given.
    let (c, m) = client(json!({}), vec![Err(TransportError::TooLarge { limit: 8 << 20 })]);
    let e = block_on(c.call(&delete())).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Decode);
    assert!(e.to_string().contains("8388608 bytes"), "{e}");
    assert_eq!(m.sent.borrow().len(), 1, "not retried");
}

#[test]
fn an_endless_pager_stops_at_max_pages_and_max_items() {
    // A service that always says "one more page".
    let endless: Vec<_> = (1..=10).map(|i| groups_page(1, 0..0, i)).collect();
    let (c, m) = client(json!({"maxPages": 5}), endless.clone());
    let e = all_groups_of(&c).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Decode);
    assert!(e.to_string().contains("maxPages (5)"), "{e}");
    assert_eq!(m.sent.borrow().len(), 5);

    let (c, m) = client(
        json!({"maxItems": 3}),
        (1..=10).map(|i| groups_page(2, 0..0, i)).collect(),
    );
    let e = all_groups_of(&c).unwrap_err();
    assert!(e.to_string().contains("maxItems (3)"), "{e}");
    assert_eq!(m.sent.borrow().len(), 2, "stopped at the page that crossed the cap");

    // The defaults hold too: 1000 pages, then a typed error.
    let (c, m) = client(json!({}), (1..=1001).map(|i| groups_page(0, 0..0, i)).collect());
    assert!(all_groups_of(&c).unwrap_err().to_string().contains("maxPages (1000)"));
    assert_eq!(m.sent.borrow().len(), 1000);
}

#[test]
fn groups_repeated_across_many_pages_are_kept_once_in_first_seen_order() {
    let mut answers: Vec<_> = (0..20u64)
        .map(|p| groups_page(0, p * 500..p * 500 + 1000, p + 1))
        .collect();
    answers.push(ok(
        json!({"ContactItem": [], "GroupItem": [{"GroupName": "g0", "GroupId": 0}], "CompleteFlag": 1,
               "ActionStatus": "OK", "ErrorCode": 0, "ErrorInfo": ""}),
    ));
    let (c, _) = client(json!({}), answers);
    let all = all_groups_of(&c).unwrap();
    let ids: Vec<u64> = all.groups.iter().map(|g| g.group_id).collect();
    assert_eq!(ids, (0..10_500).collect::<Vec<_>>());
}

fn okay() -> std::result::Result<HttpResponse, TransportError> {
    ok(json!({"ActionStatus": "OK", "ErrorCode": 0, "ErrorInfo": ""}))
}

fn commands(m: &Mock) -> Vec<String> {
    m.sent
        .borrow()
        .iter()
        .map(|(u, _, _)| {
            let path = u.split('?').next().unwrap();
            let (origin, command) = path.split_once("/v4/recentcontact/").unwrap();
            format!(
                "{}{command}",
                origin
                    .strip_prefix("http://127.0.0.1:")
                    .map(|p| format!("{p}:"))
                    .unwrap_or_default()
            )
        })
        .collect()
}

/// A get_contact_group answer with one page: `groups` as (name, id) and
/// c2c conversations `(peer, group ids)`.
fn groups_state(
    groups: &[(&str, u64)],
    members: &[(&str, &[u64])],
) -> std::result::Result<HttpResponse, TransportError> {
    let groups: Vec<Value> = groups
        .iter()
        .map(|(n, id)| json!({"GroupName": n, "GroupId": id}))
        .collect();
    let items: Vec<Value> = members
        .iter()
        .map(|(a, ids)| json!({"Type": 1, "To_Account": a, "ContactGroupId": ids}))
        .collect();
    ok(json!({"ContactItem": items, "GroupItem": groups, "CompleteFlag": 1, "ActionStatus": "OK", "ErrorCode": 0}))
}

fn created(name: &str, id: u64) -> std::result::Result<HttpResponse, TransportError> {
    ok(
        json!({"GroupResultItem": [{"GroupItem": {"GroupName": name, "GroupId": id},
        "ResultItem": [{"ContactItem": {"Type": 1, "To_Account": "u2"}, "ResultCode": 0, "ResultInfo": ""}]}],
        "ActionStatus": "OK", "ErrorCode": 0}),
    )
}

#[test]
fn a_cancelled_call_stops_at_every_stage_and_gives_back_its_place() {
    // Already cancelled: nothing is sent.
    let (c, m) = client(json!({}), vec![]);
    let e = block_on(c.call_with(&delete(), &CallOptions::default(), Some(&Cell::new(true)))).unwrap_err();
    assert_eq!((e.kind(), e.retryable()), (ErrorKind::Abort, false));
    assert!(m.sent.borrow().is_empty());

    // Queued behind the pacer: aborted while waiting, its place is given back.
    let (c, m) = client(json!({"maxRequestsPerSecond": 2}), vec![okay(), okay()]);
    block_on(c.call(&delete())).unwrap();
    m.abort_in_sleep.set(true);
    let e = block_on(c.call_with(&delete(), &CallOptions::default(), Some(&Cell::new(false)))).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Abort);
    assert_eq!(m.sent.borrow().len(), 1);
    m.abort_in_sleep.set(false);
    block_on(c.call(&delete())).unwrap();
    assert_eq!(*m.sleeps.borrow(), [521, 521], "the next call takes the freed place");

    // Backing off after a transient answer.
    let (c, m) = client(json!({}), vec![fail(50004), okay()]);
    m.abort_in_sleep.set(true);
    let e = block_on(c.call_with(&delete(), &CallOptions::default(), Some(&Cell::new(false)))).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Abort);
    assert_eq!(m.sent.borrow().len(), 1);

    // In flight: the runtime reports the abort. The write may have reached
    // the service, and the error says so.
    let (c, m) = client(json!({}), vec![Err(TransportError::Aborted)]);
    let e = block_on(c.call(&create())).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Abort);
    assert!(e.to_string().contains("create_contact_group"), "{e}");
    assert!(e.outcome_unknown() && !e.retryable(), "{e:?}");
    assert_eq!(
        commands(&m),
        ["1:create_contact_group"],
        "not read back, not sent again"
    );
    // An idempotent write too (its retryable is false as every abort's); a read not.
    let (c, _) = client(json!({}), vec![Err(TransportError::Aborted)]);
    assert!(block_on(c.call(&delete())).unwrap_err().outcome_unknown());
    let (c, _) = client(json!({}), vec![Err(TransportError::Aborted)]);
    let read = AllConversationGroupsParams {
        from_account: "u1".into(),
    };
    assert!(!block_on(get_all_conversation_groups(&c, &read))
        .unwrap_err()
        .outcome_unknown());
}

#[test]
fn a_request_that_was_never_sent_is_safe_to_send_again_even_for_a_write() {
    // Refused once, then created: sent again at once, with no read-back.
    let (c, m) = client(
        json!({}),
        vec![
            Err(TransportError::NotSent("connect ECONNREFUSED".into())),
            created("g", 7),
        ],
    );
    let out = block_on(c.call(&create())).unwrap();
    assert_eq!(out.group_id, 7);
    assert_eq!(commands(&m), ["1:create_contact_group", "1:create_contact_group"]);
    // Refused every time: a network error that says nothing was sent, retryable, no doubt.
    let (c, m) = client(
        json!({"maxRetries": 1}),
        vec![
            Err(TransportError::NotSent("connect ECONNREFUSED".into())),
            Err(TransportError::NotSent("connect ECONNREFUSED".into())),
        ],
    );
    let e = block_on(c.call(&create())).unwrap_err();
    assert!(
        matches!(
            e,
            Error::Network {
                not_sent: true,
                outcome_unknown: false,
                ..
            }
        ) && e.retryable(),
        "{e:?}"
    );
    assert!(e.to_string().contains("nothing was sent"), "{e}");
    assert_eq!(commands(&m), ["1:create_contact_group", "1:create_contact_group"]);
    // Sent with no answer: as before, ambiguous, read back before anything else.
    let (c, m) = client(
        json!({}),
        vec![
            Err(TransportError::Network("socket hang up".into())),
            groups_state(&[], &[]),
        ],
    );
    block_on(c.call(&create())).unwrap_err();
    assert_eq!(commands(&m)[1], "1:get_contact_group");
}

#[test]
fn an_http_error_carries_the_answers_retry_after() {
    let unavailable = Ok(HttpResponse {
        status: 503,
        body: vec![],
        retry_after_ms: Some(120_000),
    });
    let (c, _) = client(json!({}), vec![unavailable]);
    let e = block_on(c.call(&delete())).unwrap_err();
    assert!(
        matches!(
            e,
            Error::Http {
                status: 503,
                retry_after_ms: Some(120_000),
                ..
            }
        ),
        "{e:?}"
    );
}

#[test]
fn per_call_options_override_the_client() {
    let (c, m) = client(json!({}), vec![fail(50004), fail(50004)]);
    let o = CallOptions {
        timeout_ms: Some(77),
        max_retries: Some(1),
        ..CallOptions::default()
    };
    let e = block_on(c.call_with(&delete(), &o, None)).unwrap_err();
    assert_eq!(e.code(), Some(50004));
    assert_eq!(m.sent.borrow().iter().map(|s| s.2).collect::<Vec<_>>(), [77, 77]);
    for (o, field) in [
        (
            CallOptions {
                timeout_ms: Some(0),
                ..CallOptions::default()
            },
            "options.timeoutMs",
        ),
        (
            CallOptions {
                max_retries: Some(11),
                ..CallOptions::default()
            },
            "options.maxRetries",
        ),
    ] {
        let e = block_on(c.call_with(&delete(), &o, None)).unwrap_err();
        assert!(
            matches!(e, Error::Validation { field: ref f, .. } if f == field),
            "{e:?}"
        );
    }
}

#[test]
fn every_step_is_reported_as_an_event_without_secrets() {
    let (c, m) = client(json!({}), vec![fail(50004), fail(60007), okay()]);
    block_on(c.call(&delete())).unwrap();
    let events = m.events.borrow();
    let kinds: Vec<&str> = events.iter().map(|e| e.split([' ', '{']).next().unwrap()).collect();
    assert_eq!(
        kinds,
        ["Request", "Response", "Retry", "Request", "Response", "Throttle", "Retry", "Request", "Response"]
    );
    assert!(events[1].contains("code: Some(50004)"), "{}", events[1]);
    assert!(
        events[2].contains("reason: \"api 50004\"") && events[2].contains("attempt: 1"),
        "{}",
        events[2]
    );
    assert!(
        events[5].contains("code: 60007") && events[5].contains("rate: Some(96.0)"),
        "{}",
        events[5]
    );
    assert!(events[8].contains("code: Some(0)"), "{}", events[8]);
    for e in events.iter() {
        assert!(!e.contains(KEY) && !e.contains(&sig_of(&m.sent.borrow()[0].0)), "{e}");
    }
    assert!(events[0].contains("usersig=REDACTED"), "{}", events[0]);
}

/// Errors and events show the URL built from its parts with the UserSig
/// left out: the same text `redact_url` makes of the URL that was sent, for
/// an identifier that must be percent-encoded too.
#[test]
fn the_url_shown_is_the_sent_url_redacted() {
    let answers = vec![
        Ok(HttpResponse {
            status: 502,
            body: vec![],
            retry_after_ms: None,
        }),
        Err(TransportError::Network("down".into())),
        Err(TransportError::Timeout),
    ];
    let (c, m) = client(json!({"maxRetries": 0, "identifier": "ad min/\u{e9}+&"}), answers);
    let errors: Vec<_> = (0..3).map(|_| block_on(c.call(&delete())).unwrap_err()).collect();
    let sent = m.sent.borrow();
    let events = m.events.borrow();
    let requests: Vec<_> = events.iter().filter(|e| e.starts_with("Request")).collect();
    assert_eq!(requests.len(), 3);
    for ((e, (url, _, _)), event) in errors.iter().zip(sent.iter()).zip(requests) {
        let expected = tim_recentcontact::redact_url(url);
        assert!(
            expected.contains("identifier=ad%20min%2F%C3%A9%2B%26&usersig=REDACTED&random="),
            "{expected}"
        );
        match e {
            Error::Http { url, .. } | Error::Network { url, .. } | Error::Timeout { url, .. } => {
                assert_eq!(url, &expected)
            }
            other => panic!("{other:?}"),
        }
        assert!(event.contains(&format!("{expected:?}")), "{event}");
    }
}

#[test]
fn failover_to_the_backup_and_back_after_the_cool_down() {
    let (c, m) = client(
        json!({"baseUrl": ["http://127.0.0.1:1", "http://127.0.0.1:2"]}),
        vec![Err(TransportError::Timeout), okay(), okay(), okay()],
    );
    block_on(c.call(&delete())).unwrap();
    block_on(c.call(&delete())).unwrap();
    assert_eq!(
        commands(&m),
        ["1:delete", "2:delete", "2:delete"],
        "stays on the backup"
    );
    m.now_ms.set(m.now_ms.get() + 61_000.0);
    block_on(c.call(&delete())).unwrap();
    assert_eq!(commands(&m)[3], "1:delete", "the main origin again after the cool-down");
    let failovers: Vec<String> = m
        .events
        .borrow()
        .iter()
        .filter(|e| e.starts_with("Failover"))
        .cloned()
        .collect();
    assert_eq!(failovers.len(), 2);
    assert!(
        failovers[0].contains("from: \"http://127.0.0.1:1\", to: \"http://127.0.0.1:2\", reason: \"timeout\""),
        "{}",
        failovers[0]
    );
    assert!(failovers[1].contains("reason: \"cool-down over\""), "{}", failovers[1]);

    // A region has its backup domain.
    let (c, m) = client(
        json!({"baseUrl": null, "region": "singapore"}),
        vec![Err(TransportError::Network("x".into())), okay()],
    );
    block_on(c.call(&delete())).unwrap();
    let sent = m.sent.borrow();
    assert!(sent[0].0.starts_with("https://adminapisgp.im.qcloud.com/"));
    assert!(sent[1].0.starts_with("https://adminapisgp.my-imcloud.com/"));
}

/// What a rejected write's read-back looked like, and the groups it saw.
type Seen = (Option<bool>, Vec<(String, u64)>);

fn seen(e: &Error) -> Option<Seen> {
    e.read_back().map(|r| {
        (
            r.looks_applied,
            r.state
                .groups
                .iter()
                .map(|g| (g.group_name.clone(), g.group_id))
                .collect(),
        )
    })
}

#[test]
fn an_ambiguous_write_is_never_sent_again_and_carries_what_the_read_back_saw() {
    let unknown = |e: &Error| assert!(e.outcome_unknown() && !e.retryable(), "{e:?}");
    // The state looks applied: still unknown (another writer could have made
    // the group), sent once, read back once.
    let (c, m) = client(
        json!({}),
        vec![
            Err(TransportError::Timeout),
            groups_state(&[("g", 7), ("x", 1)], &[("u2", &[7])]),
        ],
    );
    let e = block_on(c.call(&create())).unwrap_err();
    unknown(&e);
    assert_eq!(e.kind(), ErrorKind::Timeout);
    assert_eq!(seen(&e), Some((Some(true), vec![("g".into(), 7)])));
    assert_eq!(e.read_back().unwrap().state.conversations.len(), 1);
    assert_eq!(commands(&m), ["1:create_contact_group", "1:get_contact_group"]);
    assert!(m
        .events
        .borrow()
        .iter()
        .any(|e| e.contains("Reconcile") && e.contains("looks_applied: Some(Some(true))")));

    // Looks not applied: still never resent (the group may have been made
    // and deleted by someone else meanwhile).
    let (c, m) = client(
        json!({}),
        vec![Err(TransportError::Timeout), groups_state(&[], &[]), created("g", 8)],
    );
    let e = block_on(c.call(&create())).unwrap_err();
    unknown(&e);
    assert_eq!(seen(&e), Some((Some(false), vec![])));
    assert_eq!(commands(&m), ["1:create_contact_group", "1:get_contact_group"]);

    // A service timeout code, then the read-back fails: unknown, no readBack.
    let (c, m) = client(
        json!({"maxRetries": 0}),
        vec![
            ok(json!({"ActionStatus": "FAIL", "ErrorCode": 50004, "ErrorInfo": "service timeout"})),
            Err(TransportError::Timeout),
        ],
    );
    let e = block_on(c.call(&create())).unwrap_err();
    unknown(&e);
    assert_eq!((e.code(), seen(&e)), (Some(50004), None));
    assert_eq!(m.sent.borrow().len(), 2);

    // An answer that came but could not be read is as doubtful as none.
    let (c, _) = client(
        json!({}),
        vec![
            Ok(HttpResponse {
                status: 200,
                body: b"<html>proxy</html>".to_vec(),
                retry_after_ms: None,
            }),
            groups_state(&[], &[]),
        ],
    );
    let e = block_on(c.call(&create())).unwrap_err();
    unknown(&e);
    assert_eq!(e.kind(), ErrorKind::Decode);

    // Rename: the old name gone and the new one present looks applied; both
    // present is a mix.
    let rename = RenameConversationGroupParams {
        from_account: "u1".into(),
        group_name: "old".into(),
        new_group_name: "new".into(),
    };
    let bad = Ok(HttpResponse {
        status: 502,
        body: vec![],
        retry_after_ms: None,
    });
    let (c, _) = client(json!({}), vec![bad.clone(), groups_state(&[("new", 3)], &[])]);
    let e = block_on(c.call(&rename)).unwrap_err();
    unknown(&e);
    assert_eq!(seen(&e), Some((Some(true), vec![("new".into(), 3)])));
    let (c, _) = client(json!({}), vec![bad, groups_state(&[("new", 3), ("old", 2)], &[])]);
    let e = block_on(c.call(&rename)).unwrap_err();
    assert_eq!(seen(&e).unwrap().0, None);
    assert!(e.to_string().contains("may or may not have been applied"), "{e}");

    // Delete: a group of that name still there looks not applied.
    let del_group = DeleteConversationGroupParams {
        from_account: "u1".into(),
        group_name: "g".into(),
    };
    let (c, m) = client(
        json!({}),
        vec![
            Err(TransportError::Network("reset".into())),
            groups_state(&[("g", 1)], &[]),
        ],
    );
    let e = block_on(c.call(&del_group)).unwrap_err();
    unknown(&e);
    assert_eq!(seen(&e), Some((Some(false), vec![("g".into(), 1)])));
    assert_eq!(m.sent.borrow().len(), 2);

    // Update: every change shows; then only one of two.
    let update = UpdateConversationGroupParams {
        from_account: "u1".into(),
        group_name: "g".into(),
        add: Some(vec![Conversation::C2c { to_account: "a".into() }]),
        remove: Some(vec![Conversation::C2c { to_account: "b".into() }]),
    };
    for (b_groups, looks) in [(&[5u64][..], Some(true)), (&[4u64][..], None)] {
        let (c, m) = client(
            json!({}),
            vec![
                Err(TransportError::Timeout),
                groups_state(&[("g", 4)], &[("a", &[4]), ("b", b_groups)]),
            ],
        );
        let e = block_on(c.call(&update)).unwrap_err();
        unknown(&e);
        assert_eq!(seen(&e).unwrap().0, looks);
        assert_eq!(e.read_back().unwrap().state.conversations.len(), 2);
        assert_eq!(m.sent.borrow().len(), 2);
    }

    // Marks: never resent either (a resend could set a bit another writer cleared).
    let mark = MarkConversationsParams {
        from_account: "u1".into(),
        items: vec![MarkItem {
            conversation: Conversation::C2c { to_account: "a".into() },
            set: Some(vec![40]),
            clear: None,
            custom_mark: None,
        }],
    };
    let (c, m) = client(
        json!({}),
        vec![
            Err(TransportError::Timeout),
            ok(
                json!({"ContactItem": [{"Type": 1, "To_Account": "a", "StandardMark": "0".repeat(23) + "1" + &"0".repeat(40)}],
                      "GroupItem": [], "CompleteFlag": 1, "ActionStatus": "OK", "ErrorCode": 0}),
            ),
        ],
    );
    let e = block_on(c.call(&mark)).unwrap_err();
    unknown(&e);
    assert_eq!(commands(&m), ["1:mark_contact", "1:get_contact_group"]);
    let r = e.read_back().unwrap();
    assert_eq!(
        (r.looks_applied, r.state.conversations[0].standard_marks.clone()),
        (Some(true), vec![40])
    );
}

#[test]
fn the_read_back_asks_the_origin_the_write_went_to_and_no_other() {
    // The write times out at the main origin, which fails the client over;
    // the read-back still goes to the main origin, and when that fails there
    // is no read-back at all rather than one from the backup.
    let (c, m) = client(
        json!({"baseUrl": ["http://127.0.0.1:1", "http://127.0.0.1:2"], "maxRetries": 1}),
        vec![
            Err(TransportError::Timeout),
            Err(TransportError::Network("reset".into())),
            Err(TransportError::Network("reset".into())),
        ],
    );
    let e = block_on(c.call(&create())).unwrap_err();
    assert!(e.outcome_unknown() && e.read_back().is_none(), "{e:?}");
    assert_eq!(
        commands(&m),
        ["1:create_contact_group", "1:get_contact_group", "1:get_contact_group"]
    );
    // The next call goes to the backup: the failover itself stands.
    let (c, m) = client(
        json!({"baseUrl": ["http://127.0.0.1:1", "http://127.0.0.1:2"]}),
        vec![Err(TransportError::Timeout), groups_state(&[], &[]), okay()],
    );
    assert!(block_on(c.call(&create())).is_err());
    block_on(c.call(&delete())).unwrap();
    assert_eq!(
        commands(&m),
        ["1:create_contact_group", "1:get_contact_group", "2:delete"]
    );
}

/// The UserSig the client sends, read back from the request it made.
fn sent_sig(mock: &Mock) -> String {
    let url = mock.sent.borrow()[0].0.clone();
    let sig = url
        .split("usersig=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap()
        .to_string();
    assert!(sig.len() > 20, "a real signature was sent");
    sig
}

#[test]
fn an_echoed_url_or_key_never_reaches_an_error() {
    // A proxy that echoes the request in ErrorInfo (raw and URL-encoded) and the key.
    for echo in ["raw", "encoded", "key"] {
        let (c, mock) = client(json!({}), vec![]);
        // One call to learn the signature, then the echoing answer.
        mock.answers
            .borrow_mut()
            .push_back(ok(json!({"ActionStatus": "OK", "ErrorCode": 0})));
        block_on(c.call(&delete())).unwrap();
        let sig = sent_sig(&mock);
        let quoted = match echo {
            "raw" => format!("bad request usersig={sig}"),
            "encoded" => format!("bad {}", encode_query_value(&sig).replace('*', "%2A")),
            _ => format!("key {KEY}"),
        };
        mock.answers.borrow_mut().push_back(ok(
            json!({"ActionStatus": "FAIL", "ErrorCode": 50002, "ErrorInfo": quoted, "ErrorDisplay": quoted}),
        ));
        let e = block_on(c.call(&delete())).unwrap_err();
        let text = format!("{e} {e:?}");
        assert!(!text.contains(&sig) && !text.contains(KEY), "{echo}: {text}");
        assert!(text.contains("REDACTED"), "{echo}: {text}");
        // And a body that is not JSON at all, echoing the URL: the excerpt is redacted too.
        mock.answers.borrow_mut().push_back(Ok(HttpResponse {
            status: 200,
            body: format!("<html>{quoted}</html>").into_bytes(),
            retry_after_ms: None,
        }));
        let e = block_on(c.call(&delete())).unwrap_err();
        let Error::Decode { status, excerpt, .. } = &e else {
            panic!("{e:?}")
        };
        assert_eq!(*status, Some(200));
        let excerpt = excerpt.clone().unwrap();
        assert!(
            excerpt.starts_with("<html>") && excerpt.contains("REDACTED"),
            "{excerpt}"
        );
        assert!(!format!("{e} {e:?}").contains(&sig) && !format!("{e:?}").contains(KEY));
    }
}

#[test]
fn retry_after_is_honoured_within_a_minute() {
    let busy = |ms| {
        Ok(HttpResponse {
            status: 429,
            body: vec![],
            retry_after_ms: Some(ms),
        })
    };
    let (c, mock) = client(
        json!({}),
        vec![busy(3_000), ok(json!({"ActionStatus": "OK", "ErrorCode": 0}))],
    );
    block_on(c.call(&delete())).unwrap();
    assert!(mock.sleeps.borrow().contains(&3_000), "{:?}", mock.sleeps.borrow());
    // Longer than a minute: not waited out here; the error stays retryable.
    let (c, mock) = client(json!({}), vec![busy(120_000)]);
    let e = block_on(c.call(&delete())).unwrap_err();
    assert!(matches!(e, Error::Http { status: 429, .. }) && e.retryable(), "{e:?}");
    assert_eq!(mock.sent.borrow().len(), 1);
}

#[test]
fn sdk_app_id_zero_and_a_v4_base_url_are_refused() {
    let opts = |extra: Value| {
        let mut o = json!({"sdkAppId": APP, "identifier": "admin", "secretKey": KEY});
        for (k, v) in extra.as_object().unwrap() {
            o[k] = v.clone();
        }
        let options: ClientOptions = parse_input("options", &o.to_string()).unwrap();
        Config::from_options(&options)
    };
    let field = |r: Result<Config>| match r {
        Err(Error::Validation { field, reason }) => format!("{field}: {reason}"),
        other => panic!("{other:?}"),
    };
    assert!(field(opts(json!({"sdkAppId": 0}))).starts_with("sdkAppId: must be your app's SDKAppID"));
    for bad in [
        "https://console.tim.qq.com/v4",
        "https://console.tim.qq.com/v4/",
        "http://127.0.0.1:8787/v4/recentcontact",
    ] {
        assert!(field(opts(json!({"baseUrl": bad}))).contains("origin only"), "{bad}");
    }
    for (bad, says) in [
        ("http://127.0.0.1:99999", "port"),
        ("http://127.0.0.1:80a", "port"),
        ("http://exa mple.com", "white space"),
        ("http://ex%61mple.com", "host name"),
    ] {
        assert!(field(opts(json!({"baseUrl": bad}))).contains(says), "{bad}");
    }
    assert!(opts(json!({"baseUrl": "http://[::1]:8080"})).is_ok());
    assert!(opts(json!({"baseUrl": "https://adminapisgp.im.qcloud.com/"})).is_ok());
}

#[test]
fn the_rate_floor_is_the_one_the_message_states() {
    // The message is a literal (no float formatting in the .wasm): keep them in step.
    assert_eq!(client::MIN_REQUESTS_PER_SECOND, 0.01);
    let opts = |rate: f64| {
        let o = json!({"sdkAppId": APP, "identifier": "a", "secretKey": KEY, "maxRequestsPerSecond": rate});
        Config::from_options(&parse_input::<ClientOptions>("options", &o.to_string()).unwrap())
    };
    assert!(opts(0.01).is_ok());
    assert!(
        matches!(opts(0.009), Err(Error::Validation { reason, .. }) if reason == "must be a finite number of at least 0.01")
    );
}

/// A client whose runtime has a shared limiter answering `script` first.
fn limited(
    script: Vec<Acquired>,
    answers: Vec<std::result::Result<HttpResponse, TransportError>>,
) -> (Client<Rt>, Rc<Mock>) {
    let (c, m) = client(json!({}), answers);
    *m.limiter.borrow_mut() = Some(script.into());
    (c, m)
}

#[test]
fn a_shared_limiter_paces_every_attempt_instead_of_the_clients_own() {
    // 300 calls at one instant: the client's own pacer would make them wait
    // (192 a second); with a shared limiter only the limiter decides.
    let (c, m) = limited(vec![], vec![]);
    for _ in 0..300 {
        m.answers.borrow_mut().push_back(okay());
        block_on(c.call(&delete())).unwrap();
    }
    assert!(m.sleeps.borrow().is_empty(), "{:?}", m.sleeps.borrow().len());
    assert_eq!(m.limiter_calls.borrow().len(), 300);
    assert!(m.limiter_calls.borrow().iter().all(|c| c == "acquire delete"));

    // A retry asks again; "too fast" is reported to the limiter, and the
    // event carries no rate of the client's own.
    let (c, m) = limited(vec![], vec![fail(60007), okay()]);
    block_on(c.call(&delete())).unwrap();
    assert_eq!(
        *m.limiter_calls.borrow(),
        ["acquire delete", "penalize delete", "acquire delete"]
    );
    let events = m.events.borrow();
    let throttle = events.iter().find(|e| e.starts_with("Throttle")).unwrap();
    assert!(throttle.contains("rate: None"), "{throttle}");
}

#[test]
fn an_abort_while_the_limiter_waits_sends_nothing() {
    let (c, m) = limited(vec![Acquired::Aborted], vec![okay()]);
    let cancel = Cell::new(false);
    let e = block_on(c.call_with(&delete(), &CallOptions::default(), Some(&cancel))).unwrap_err();
    assert!(matches!(e, Error::Abort { .. }), "{e:?}");
    assert!(m.sent.borrow().is_empty());
}

#[test]
fn a_failing_limiter_is_reported_and_the_call_still_goes_paced_by_the_client() {
    let (c, m) = limited(vec![Acquired::Failed("redis is down".into())], vec![okay()]);
    block_on(c.call(&delete())).unwrap();
    assert_eq!(m.sent.borrow().len(), 1, "no call is lost to a broken limiter");
    let events = m.events.borrow();
    assert!(
        events[0].starts_with("LimiterError") && events[0].contains("redis is down"),
        "{}",
        events[0]
    );
}

#[test]
fn a_rate_limiter_and_max_requests_per_second_are_not_both_given() {
    let opts = json!({"sdkAppId": APP, "identifier": "admin", "secretKey": KEY, "rateLimiter": {}, "maxRequestsPerSecond": 10});
    let options: ClientOptions = parse_input("options", &opts.to_string()).unwrap();
    let e = Client::new(&options, Rt(Rc::default())).unwrap_err();
    assert!(
        matches!(e, Error::Validation { ref field, .. } if field == "maxRequestsPerSecond"),
        "{e:?}"
    );
}

#[test]
fn an_idempotent_write_refused_after_an_unclear_attempt_is_reported_as_of_unknown_outcome() {
    // 50004: the service timed out (the delete may have happened); then the
    // signature is refused, even after signing anew.
    let (c, _) = client(json!({}), vec![fail(50004), fail(70001), fail(70001)]);
    let e = block_on(c.call(&delete())).unwrap_err();
    assert!(matches!(e, Error::Auth { code: 70001, .. }), "{e:?}");
    assert!(e.outcome_unknown(), "{e:?}");
    assert!(e.to_string().contains("may or may not have been applied"), "{e}");
    // Retries exhausted on unclear answers: unknown too, and still retryable
    // (sending an idempotent write again is safe).
    let (c, _) = client(json!({"maxRetries": 1}), vec![fail(50004), fail(50004)]);
    let e = block_on(c.call(&delete())).unwrap_err();
    assert!(e.outcome_unknown() && e.retryable(), "{e:?}");
    // A clear refusal from the start leaves no doubt.
    let (c, _) = client(json!({}), vec![fail(70001), fail(70001)]);
    let e = block_on(c.call(&delete())).unwrap_err();
    assert!(!e.outcome_unknown(), "{e:?}");
    // A read has no outcome to doubt.
    let (c, _) = client(json!({"maxRetries": 1}), vec![fail(50004), fail(50004)]);
    let list: ListConversationsParams = parse_input("params", r#"{"fromAccount":"u"}"#).unwrap();
    let e = block_on(c.call(&list)).unwrap_err();
    assert!(!e.outcome_unknown(), "{e:?}");
}

/// `Alert.RequestOverLimit` for one of this service's commands halves that
/// command's rate, as a 60007 would, and says so; any other service's or
/// command's alert changes nothing.
#[test]
fn a_rate_alert_for_one_of_our_commands_slows_it_before_the_service_throttles() {
    let (c, _m) = client(json!({ "maxRequestsPerSecond": 100 }), vec![]);
    assert_eq!(c.observe_rate_alert("openim", "batchsendmsg"), None);
    assert_eq!(
        c.observe_rate_alert("openim", "get_list"),
        None,
        "another service's get_list"
    );
    assert_eq!(c.observe_rate_alert("recentcontact", "nope"), None);
    // Half of the pace it kept (the client keeps under 100/s, a margin below it).
    let rate = c.observe_rate_alert("recentcontact", "get_list").unwrap().unwrap();
    assert!((40.0..=50.0).contains(&rate), "{rate}");
    let again = c.observe_rate_alert("recentcontact", "get_list").unwrap().unwrap();
    assert!((rate / 2.0 - 1.0..=rate / 2.0 + 1.0).contains(&again), "{again}");
    // Every command the client sends is one the alert can name.
    assert_eq!(
        tim_recentcontact::endpoint::COMMANDS
            .iter()
            .collect::<std::collections::BTreeSet<_>>()
            .len(),
        8
    );
}
