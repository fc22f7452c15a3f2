//! Golden tests: every request, response and URL example of the seed
//! documents (tests/fixtures/seeds/, copied from shared/seeds/).

use serde_json::{json, Value};
use tim_recentcontact::*;

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{}/tests/fixtures/seeds/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn request(command: &str) -> Value {
    serde_json::from_str(&fixture(&format!("{command}.request.json"))).unwrap()
}

fn response(command: &str) -> Vec<u8> {
    fixture(&format!("{command}.response.json")).into_bytes()
}

/// The seed URL with the documented placeholder host replaced by `origin`.
fn seed_url(command: &str, origin: &str) -> String {
    fixture(&format!("{command}.url.txt"))
        .trim()
        .replacen("https://xxxxxx", origin, 1)
}

fn c2c(a: &str) -> Conversation {
    Conversation::C2c { to_account: a.into() }
}

fn body<E: Endpoint>(e: &E) -> Value {
    e.validate().unwrap();
    let text = e.body();
    let v: Value = serde_json::from_str(&text).unwrap();
    // Bodies are written with sorted keys and no spaces, as a serde_json
    // Value writes them: the same bytes whichever way a body is built.
    assert_eq!(v.to_string(), text, "{} body bytes", E::COMMAND);
    v
}

#[test]
fn urls_match_the_seed_examples() {
    for (command, origin) in [
        ("delete", "https://console.tim.qq.com"),
        ("del_contact_group", "https://adminapisgp.im.qcloud.com"),
        ("create_contact_group", "https://adminapiger.im.qcloud.com"),
        ("update_contact_group", "https://adminapiusa.im.qcloud.com"),
    ] {
        assert_eq!(
            request_url(origin, command, 88888888, "admin", "xxx", 99999999),
            seed_url(command, origin)
        );
    }
}

#[test]
fn delete_conversation_golden() {
    let call = DeleteConversationParams {
        from_account: "id1".into(),
        conversation: c2c("id2"),
        clear_roaming_messages: Some(true),
    };
    assert_eq!(body(&call), request("delete"));
    call.parse(&response("delete")).unwrap();
    // The group form uses the lower-case `ToGroupid` of the public docs.
    let group = DeleteConversationParams {
        from_account: "id1".into(),
        conversation: Conversation::Group {
            to_group_id: "@TGS#2J4SZEAEL".into(),
        },
        clear_roaming_messages: Some(false),
    };
    assert_eq!(
        body(&group),
        json!({"From_Account":"id1","Type":2,"ToGroupid":"@TGS#2J4SZEAEL","ClearRamble":0})
    );
    let plain = DeleteConversationParams {
        clear_roaming_messages: None,
        ..call
    };
    assert_eq!(body(&plain), json!({"From_Account":"id1","Type":1,"To_Account":"id2"}));
}

#[test]
fn create_group_golden() {
    let call = CreateConversationGroupParams {
        from_account: "user15".into(),
        group_name: "test0".into(),
        conversations: vec![c2c("user0")],
    };
    assert_eq!(body(&call), request("create_contact_group"));
    let out = call.parse(&response("create_contact_group")).unwrap();
    assert_eq!(
        out,
        CreateConversationGroupResult {
            group_name: "test2".into(),
            group_id: 2,
            results: vec![ConversationResult {
                conversation: c2c("user1"),
                ok: true,
                result_code: 0,
                result_info: String::new()
            }],
        }
    );
}

#[test]
fn update_group_golden() {
    let call = UpdateConversationGroupParams {
        from_account: "user20".into(),
        group_name: "test1".into(),
        add: Some(vec![c2c("user1")]),
        remove: None,
    };
    assert_eq!(body(&call), request("update_contact_group"));
    let out = call.parse(&response("update_contact_group")).unwrap();
    assert_eq!(
        out,
        UpdateConversationGroupResult {
            group_name: "test1".into(),
            group_id: 1,
            results: vec![UpdateConversationResult {
                conversation: c2c("user1"),
                action: ConversationAction::Add,
                ok: true,
                result_code: 0,
                result_info: String::new()
            }],
        }
    );
}

#[test]
fn rename_group_request_and_response() {
    let call = RenameConversationGroupParams {
        from_account: "user20".into(),
        group_name: "test1".into(),
        new_group_name: "test9".into(),
    };
    assert_eq!(
        body(&call),
        json!({"From_Account":"user20","UpdateType":1,"UpdateGroup":{"UpdateGroupType":1,"OldGroupName":"test1","NewGroupName":"test9"}})
    );
    let answer = br#"{"UpdateType":1,"UpdateGroupResult":{"UpdateGroupType":1,"GroupName":"test9","GroupId":1,"OldGroupName":"test1"},"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}"#;
    assert_eq!(
        call.parse(answer).unwrap(),
        RenameConversationGroupResult {
            group_name: "test9".into(),
            old_group_name: "test1".into(),
            group_id: 1,
        }
    );
}

#[test]
fn delete_group_golden() {
    let call = DeleteConversationGroupParams {
        from_account: "user15".into(),
        group_name: "test0".into(),
    };
    assert_eq!(body(&call), request("del_contact_group"));
    assert_eq!(
        call.parse(&response("del_contact_group")).unwrap(),
        DeleteConversationGroupResult {
            group_name: "test0".into(),
            group_id: 2,
        }
    );
}

#[test]
fn update_mixes_add_and_remove_and_keeps_every_result_code() {
    let call = UpdateConversationGroupParams {
        from_account: "u".into(),
        group_name: "g".into(),
        add: Some(vec![c2c("a")]),
        remove: Some(vec![Conversation::Group {
            to_group_id: "grp".into(),
        }]),
    };
    let b = body(&call);
    assert_eq!(
        b["UpdateGroup"]["ContactUpdateItem"],
        json!([
            {"ContactOptType":1,"ContactItem":{"Type":1,"To_Account":"a"}},
            {"ContactOptType":2,"ContactItem":{"Type":2,"ToGroupId":"grp"}}
        ])
    );
    let answer = json!({
        "UpdateType": 1, "Unknown": {"x": 1},
        "UpdateGroupResult": {"UpdateGroupType": 2, "GroupName": "g", "GroupId": 7, "OldGroupName": "g", "Extra": true,
            "ContactResultItem": [
                {"ContactOptType": 1, "ContactItem": {"Type": 1, "To_Account": "a"}, "ResultCode": 0, "ResultInfo": ""},
                {"ContactOptType": 2, "ContactItem": {"Type": 2, "ToGroupId": "grp"}, "ResultCode": 51007, "ResultInfo": "group dismissed"}
            ]},
        "ActionStatus": "OK", "ErrorCode": 0, "ErrorInfo": ""
    });
    let out = call.parse(answer.to_string().as_bytes()).unwrap();
    assert_eq!(out.group_id, 7);
    assert_eq!(out.results[1].action, ConversationAction::Remove);
    assert!(!out.results[1].ok);
    assert_eq!(out.results[1].result_code, 51007);
    assert_eq!(out.results[1].result_info, "group dismissed");
}

#[test]
fn failures_and_malformed_bodies() {
    let call = DeleteConversationGroupParams {
        from_account: "user15".into(),
        group_name: "test0".into(),
    };
    let e = call
        .parse(br#"{"ActionStatus":"FAIL","ErrorCode":51009,"ErrorInfo":"group not exist","ErrorDisplay":""}"#)
        .unwrap_err();
    assert_eq!(e.code(), Some(51009));
    assert_eq!(e.kind(), ErrorKind::Api);
    for junk in [
        &br#"{"ActionStatus":"OK","ErrorCode":0}"#[..],
        br#"{"ActionStatus":"OK","ErrorCode":0,"GroupItem":[]}"#,
        br#"{"ActionStatus":"OK","ErrorCode":0,"GroupItem":[{"GroupName":1,"GroupId":"x"}]}"#,
        br#"{"ActionStatus":"OK","ErrorCode":0,"GroupItem":[{"GroupName":"a","GroupId":-1}]}"#,
    ] {
        assert_eq!(
            call.parse(junk).unwrap_err().kind(),
            ErrorKind::Decode,
            "{}",
            String::from_utf8_lossy(junk)
        );
    }
}

/// Parsers survive arbitrary bytes: every prefix and many mutations of every
/// seed response give a value or an error, never a panic.
#[test]
fn parsers_survive_any_bytes() {
    let mut seed = 0x9e3779b97f4a7c15u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let create = CreateConversationGroupParams {
        from_account: "u".into(),
        group_name: "g".into(),
        conversations: vec![],
    };
    let update = UpdateConversationGroupParams {
        from_account: "u".into(),
        group_name: "g".into(),
        add: Some(vec![c2c("a")]),
        remove: None,
    };
    let del = DeleteConversationGroupParams {
        from_account: "u".into(),
        group_name: "g".into(),
    };
    let list = ListConversationsParams {
        from_account: "u".into(),
        cursor: None,
        include_pinned: None,
        include_empty: None,
        assist_flags: None,
    };
    let groups = GetConversationGroupsParams {
        from_account: "u".into(),
        cursor: None,
    };
    let search = SearchConversationGroupsParams {
        from_account: "u".into(),
        conversations: vec![c2c("a")],
    };
    let mark = MarkConversationsParams {
        from_account: "u".into(),
        items: vec![],
    };
    let mut bodies: Vec<Vec<u8>> = [
        "create_contact_group",
        "update_contact_group",
        "del_contact_group",
        "delete",
    ]
    .iter()
    .map(|c| response(c))
    .collect();
    for name in [
        "get_list.v2",
        "get_contact_group",
        "search_contact_group",
        "mark_contact",
    ] {
        bodies.push(public(&format!("{name}.response.json")).into_bytes());
    }
    let all = |b: &[u8]| {
        let _ = create.parse(b);
        let _ = update.parse(b);
        let _ = del.parse(b);
        let _ = list.parse(b);
        let _ = groups.parse(b);
        let _ = search.parse(b);
        let _ = mark.parse(b);
    };
    for base in bodies {
        for cut in 0..base.len() {
            all(&base[..cut]);
        }
        for _ in 0..2000 {
            let mut b = base.clone();
            for _ in 0..(next() % 4 + 1) {
                let i = (next() as usize) % b.len();
                b[i] = next() as u8;
            }
            all(&b);
        }
    }
}

// ---- The commands beyond the seeds: examples of the public documentation ----

fn public(name: &str) -> String {
    std::fs::read_to_string(format!("{}/tests/fixtures/public/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn public_json(name: &str) -> Value {
    serde_json::from_str(&public(name)).unwrap()
}

#[test]
fn get_list_golden() {
    let call = ListConversationsParams {
        from_account: "user_0001".into(),
        cursor: None,
        include_pinned: None,
        include_empty: None,
        assist_flags: None,
    };
    // The defaults ask for complete data, as the current page recommends (AssistFlags 63).
    assert_eq!(body(&call), public_json("get_list.v2.request.json"));
    let page = call.parse(public("get_list.v2.response.json").as_bytes()).unwrap();
    assert_eq!(page.next_cursor, None);
    assert_eq!(
        page.conversations,
        vec![
            ConversationListItem {
                conversation: c2c("user_0002"),
                msg_time: 1772612017,
                pinned: false,
                standard_marks: None,
                custom_mark: None,
                group_ids: None,
            },
            ConversationListItem {
                conversation: Conversation::Group {
                    to_group_id: "@TGS#1B2AUI7RZ".into()
                },
                msg_time: 1775185968,
                pinned: false,
                standard_marks: Some(vec![0, 3, 4, 5]),
                custom_mark: Some("abcd".into()),
                group_ids: Some(vec![1, 2]),
            },
            ConversationListItem {
                conversation: c2c("user_0003"),
                msg_time: 1772605020,
                pinned: true,
                standard_marks: Some(vec![0, 3, 4, 5]),
                custom_mark: Some("abcd".into()),
                group_ids: Some(vec![1]),
            },
        ]
    );
    // The older page's example: groups named `GroupId`, pinned flags.
    let old = call.parse(public("get_list.response.json").as_bytes()).unwrap();
    let kinds: Vec<_> = old
        .conversations
        .iter()
        .map(|c| (c.conversation.clone(), c.pinned))
        .collect();
    assert_eq!(
        kinds,
        vec![
            (c2c("id2"), true),
            (
                Conversation::Group {
                    to_group_id: "id3".into()
                },
                true
            ),
            (c2c("id4"), false),
            (
                Conversation::Group {
                    to_group_id: "id5".into()
                },
                false
            ),
        ]
    );
    // The flags in plain words never change the fixed AssistFlags the
    // newest pages ask for; they are applied to the answer.
    let req = public_json("get_list.request.json");
    assert_eq!(req["AssistFlags"], 7);
    let mut flags = call.clone();
    flags.include_pinned = Some(false);
    flags.include_empty = Some(false);
    assert_eq!(body(&flags)["AssistFlags"], 63);
    // `assistFlags` overrides the value sent (15: the Chinese pages' value),
    // keeps it on every page, and is one of the six bits or refused by name.
    let mut fifteen = call.clone();
    fifteen.assist_flags = Some(15);
    assert_eq!(body(&fifteen)["AssistFlags"], 15);
    assert_eq!(body(&fifteen.at("l1.0.0.0.0"))["AssistFlags"], 15);
    fifteen.assist_flags = Some(64);
    assert!(matches!(fifteen.validate(), Err(Error::Validation { field, .. }) if field == "assistFlags"));
    let answer = r#"{"ActionStatus":"OK","ErrorCode":0,"CompleteFlag":1,"SessionItem":[
        {"Type":1,"To_Account":"pinned","MsgTime":5,"TopFlag":1},
        {"Type":1,"To_Account":"empty","MsgTime":0,"TopFlag":0},
        {"Type":1,"To_Account":"plain","MsgTime":4,"TopFlag":0}]}"#;
    let all = call.parse(answer.as_bytes()).unwrap().conversations;
    assert_eq!(all.iter().map(|c| c.pinned).collect::<Vec<_>>(), [true, false, false]);
    let some = flags.parse(answer.as_bytes()).unwrap().conversations;
    assert_eq!(
        some.iter()
            .map(|c| (c.conversation.clone(), c.pinned))
            .collect::<Vec<_>>(),
        [(c2c("pinned"), false), (c2c("plain"), false)]
    );
}

#[test]
fn get_list_cursor_round_trip_and_no_endless_paging() {
    let first = ListConversationsParams {
        from_account: "u".into(),
        cursor: None,
        include_pinned: None,
        include_empty: None,
        assist_flags: None,
    };
    let answer = |complete: u8, si: u64| {
        json!({"SessionItem": [], "CompleteFlag": complete, "TimeStamp": 5, "StartIndex": si, "TopTimeStamp": 5,
               "TopStartIndex": 0, "ActionStatus": "OK", "ErrorCode": 0, "ErrorInfo": ""})
        .to_string()
    };
    let page = first.parse(answer(0, 100).as_bytes()).unwrap();
    let cursor = page.next_cursor.unwrap();
    let second = ListConversationsParams {
        cursor: Some(cursor.clone()),
        ..first.clone()
    };
    let b = body(&second);
    assert_eq!(
        (
            b["TimeStamp"].clone(),
            b["StartIndex"].clone(),
            b["TopTimeStamp"].clone()
        ),
        (json!(5), json!(100), json!(5))
    );
    // The service answering the same cursor again is an error, not a loop.
    let e = second.parse(answer(0, 100).as_bytes()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Decode);
    assert!(e.to_string().contains("starts where this one did"), "{e}");
    // Nor is a first page that points at itself.
    assert_eq!(
        first
            .parse(
                answer(0, 0)
                    .replace("\"TimeStamp\":5", "\"TimeStamp\":0")
                    .replace("\"TopTimeStamp\":5", "\"TopTimeStamp\":0")
                    .as_bytes()
            )
            .unwrap_err()
            .kind(),
        ErrorKind::Decode
    );
    assert_eq!(ListCursor::decode("cursor", &cursor).unwrap().start_index, 100);
    for bad in ["", "l1.1.2.3", "x1.1.2.3.4", "l1.a.b.c.d", "l1.1.2.3.4.5"] {
        assert!(
            matches!(ListCursor::decode("cursor", bad), Err(Error::Validation { .. })),
            "{bad}"
        );
    }
}

#[test]
fn get_contact_group_golden() {
    let call = GetConversationGroupsParams {
        from_account: "user0".into(),
        cursor: None,
    };
    assert_eq!(body(&call), public_json("get_contact_group.request.json"));
    let page = call
        .parse(public("get_contact_group.response.json").as_bytes())
        .unwrap();
    assert_eq!(
        page,
        ConversationGroupsPage {
            groups: vec![
                ConversationGroup {
                    group_name: "test1x".into(),
                    group_id: 1
                },
                ConversationGroup {
                    group_name: "test10".into(),
                    group_id: 2
                },
            ],
            conversations: vec![
                MarkedConversation {
                    conversation: c2c("teacher4"),
                    standard_marks: vec![0, 3, 4, 5],
                    custom_mark: None,
                    group_ids: vec![1, 2],
                    timestamp: Some(1670843110),
                },
                MarkedConversation {
                    conversation: Conversation::Group {
                        to_group_id: "@TGS#1N3RSUYG2".into()
                    },
                    standard_marks: vec![0, 3, 4, 5],
                    custom_mark: Some("abcd".into()),
                    group_ids: vec![],
                    timestamp: Some(1672998266),
                },
            ],
            next_cursor: None,
        }
    );
    // NextStartIndex must move forward.
    let more =
        br#"{"ContactItem":[],"GroupItem":[],"CompleteFlag":0,"NextStartIndex":7,"ActionStatus":"OK","ErrorCode":0}"#;
    let next = call.parse(more).unwrap().next_cursor.unwrap();
    let second = GetConversationGroupsParams {
        cursor: Some(next),
        ..call.clone()
    };
    assert_eq!(body(&second)["StartIndex"], 7);
    assert_eq!(second.parse(more).unwrap_err().kind(), ErrorKind::Decode);
}

#[test]
fn search_contact_group_golden() {
    let call = SearchConversationGroupsParams {
        from_account: "yahaha".into(),
        conversations: vec![c2c("xixi")],
    };
    assert_eq!(body(&call), public_json("search_contact_group.request.json"));
    let out = call
        .parse(public("search_contact_group.response.json").as_bytes())
        .unwrap();
    assert_eq!(out.groups.len(), 2);
    assert_eq!(
        out.conversations,
        vec![MarkedConversation {
            conversation: c2c("xixi"),
            standard_marks: vec![1, 2, 3, 4, 5, 6, 7],
            custom_mark: Some("xxyyyzzzfffffffxxx111111".into()),
            group_ids: vec![1, 2],
            timestamp: Some(1673500546),
        }]
    );
}

#[test]
fn mark_contact_golden() {
    let call = MarkConversationsParams {
        from_account: "user0".into(),
        items: vec![MarkItem {
            conversation: c2c("user1"),
            set: Some(vec![1, 2, 3]),
            clear: None,
            custom_mark: Some("abcd".into()),
        }],
    };
    assert_eq!(body(&call), public_json("mark_contact.request.json"));
    assert_eq!(
        call.parse(public("mark_contact.response.json").as_bytes()).unwrap(),
        MarkConversationsResult {
            results: vec![ConversationResult {
                conversation: c2c("user1"),
                ok: true,
                result_code: 0,
                result_info: String::new()
            }]
        }
    );
    // OptType follows what the item changes.
    let only = |set: Option<Vec<u8>>, clear: Option<Vec<u8>>, custom: Option<&str>| {
        MarkItem {
            conversation: c2c("a"),
            set,
            clear,
            custom_mark: custom.map(String::from),
        }
        .opt_type()
    };
    assert_eq!(only(Some(vec![63]), None, None), 1);
    assert_eq!(only(None, Some(vec![0]), None), 1);
    assert_eq!(only(None, None, Some("")), 2);
    assert_eq!(only(Some(vec![1]), Some(vec![2]), Some("x")), 3);
    let both = MarkConversationsParams {
        from_account: "u".into(),
        items: vec![MarkItem {
            conversation: c2c("a"),
            set: Some(vec![63]),
            clear: Some(vec![0]),
            custom_mark: None,
        }],
    };
    assert_eq!(
        body(&both)["MarkItem"],
        json!([{"OptType": 1, "ContactItem": {"Type": 1, "To_Account": "a"}, "SetMark": [63], "ClearMark": [0]}])
    );
}

#[test]
fn integers_javascript_would_round_are_refused() {
    let create = CreateConversationGroupParams {
        from_account: "u".into(),
        group_name: "g".into(),
        conversations: vec![],
    };
    let answer = |id: u64| {
        format!(
            r#"{{"GroupResultItem":[{{"GroupItem":{{"GroupName":"g","GroupId":{id}}},"ResultItem":[]}}],"ActionStatus":"OK","ErrorCode":0}}"#
        )
    };
    let safe = (1u64 << 53) - 1;
    assert_eq!(create.parse(answer(safe).as_bytes()).unwrap().group_id, safe);
    for id in [1u64 << 53, u64::MAX] {
        let e = create.parse(answer(id).as_bytes()).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Decode, "{id}");
        assert!(e.to_string().contains("2^53 - 1"), "{e}");
    }
    let groups = GetConversationGroupsParams {
        from_account: "u".into(),
        cursor: None,
    };
    // In a page's items the unsafe value is left out (never rounded into
    // another ID), and the item kept.
    let body = r#"{"ContactItem":[{"Type":1,"To_Account":"a","ContactGroupId":[1,9007199254740992],"Timestamp":9007199254740992}],
                   "GroupItem":[],"CompleteFlag":1,"ActionStatus":"OK","ErrorCode":0}"#;
    let page = groups.parse(body.as_bytes()).unwrap();
    assert_eq!(page.conversations[0].group_ids, vec![1]);
    assert_eq!(page.conversations[0].timestamp, None);
    let body = r#"{"ContactItem":[],"GroupItem":[],"CompleteFlag":0,"NextStartIndex":9007199254740992,"ActionStatus":"OK","ErrorCode":0}"#;
    assert_eq!(groups.parse(body.as_bytes()).unwrap_err().kind(), ErrorKind::Decode);
}

#[test]
fn forged_cursors_are_refused_before_sending() {
    let list = |cursor: &str| ListConversationsParams {
        from_account: "u".into(),
        cursor: Some(cursor.into()),
        include_pinned: None,
        include_empty: None,
        assist_flags: None,
    };
    let groups = |cursor: &str| GetConversationGroupsParams {
        from_account: "u".into(),
        cursor: Some(cursor.into()),
    };
    assert!(list("l1.9007199254740991.0.0.7").validate().is_ok());
    assert!(groups("g1.9007199254740991").validate().is_ok());
    for bad in [
        "l1.18446744073709551615.0.0.0",
        "l1.0.0.0.9007199254740992",
        "l1.+5.0.0.0",
        "l1.05.0.0.0",
        "l1. 5.0.0.0",
    ] {
        assert!(
            matches!(list(bad).validate(), Err(Error::Validation { ref field, .. }) if field == "cursor"),
            "{bad}"
        );
    }
    for bad in [
        "g1.18446744073709551615",
        "g1.9007199254740992",
        "g1.+1",
        "g1.01",
        "g1.",
    ] {
        assert!(
            matches!(groups(bad).validate(), Err(Error::Validation { ref field, .. }) if field == "cursor"),
            "{bad}"
        );
    }
}

#[test]
fn only_a_json_object_is_an_answer() {
    for junk in [
        &br#"["OK",0]"#[..],
        br#"  [null, 0, "", ""]"#,
        b"",
        b"   ",
        b"\"OK\"",
        b"{\"ActionStatus\":\"OK\",\"ErrorCode\":0} trailing",
        b"{\"ActionStatus\":\"OK\",\"ErrorCode\":0,\"X\":\"\xff\"}",
    ] {
        let e = parse_envelope("delete", junk).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Decode, "{:?}", String::from_utf8_lossy(junk));
    }
    assert!(parse_envelope("delete", b" {\"ActionStatus\":\"OK\",\"ErrorCode\":0} ").is_ok());
}

#[test]
fn read_side_tolerance_of_the_spec() {
    // Recorded shapes: a page without CompleteFlag, an empty StandardMark,
    // an item without ContactGroupId.
    let groups = GetConversationGroupsParams {
        from_account: "u".into(),
        cursor: None,
    };
    let page = |extra: &str| {
        format!(
            r#"{{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","GroupItem":[{{"GroupName":"g","GroupId":1}}],
               "ContactItem":[{{"Type":1,"To_Account":"a","StandardMark":"","CustomMark":"x","Timestamp":5}},
                              {{"Type":1,"To_Account":"b","StandardMark":"10","ContactGroupId":[1]}}]{extra}}}"#
        )
    };
    let p = groups.parse(page("").as_bytes()).unwrap();
    assert_eq!(p.next_cursor, None, "no CompleteFlag and no cursor: the last page");
    assert_eq!(p.conversations[0].standard_marks, Vec::<u8>::new(), "\"\" is no bits");
    assert_eq!(
        p.conversations[0].group_ids,
        Vec::<u64>::new(),
        "no ContactGroupId: no groups"
    );
    assert_eq!(p.conversations[1].standard_marks, vec![1]);
    let p = groups.parse(page(r#","NextStartIndex":2"#).as_bytes()).unwrap();
    assert_eq!(
        p.next_cursor.as_deref(),
        Some("g1.2"),
        "a cursor that moves on: more pages"
    );
    let p = groups.parse(page(r#","NextStartIndex":0"#).as_bytes()).unwrap();
    assert_eq!(p.next_cursor, None);

    let list = ListConversationsParams {
        from_account: "u".into(),
        cursor: None,
        include_pinned: None,
        include_empty: None,
        assist_flags: None,
    };
    let items = r#""SessionItem":[{"Type":1,"To_Account":"a","MsgTime":9,"TopFlag":0,"StandardMark":""}]"#;
    let body = |extra: &str| format!(r#"{{"ActionStatus":"OK","ErrorCode":0,{items}{extra}}}"#);
    let p = list.parse(body("").as_bytes()).unwrap();
    assert_eq!(
        (p.next_cursor.clone(), p.conversations[0].standard_marks.clone()),
        (None, Some(vec![]))
    );
    let p = list.parse(body(r#","TimeStamp":9,"StartIndex":1"#).as_bytes()).unwrap();
    assert_eq!(p.next_cursor.as_deref(), Some("l1.9.1.0.0"));
    // With CompleteFlag 0 the same cursor is still an error (it would loop).
    let e = list
        .parse(body(r#","CompleteFlag":0,"TimeStamp":0,"StartIndex":0"#).as_bytes())
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Decode);
}

#[test]
fn one_odd_item_never_costs_the_rest_of_the_page() {
    // Recorded shapes with one item broken in each way the docs do not rule out.
    let items = r#"[
        {"Type":1,"To_Account":"ok","MsgTime":7,"TopFlag":1,"StandardMark":"101","CustomMark":"c","ContactGroupId":[2]},
        {"Type":3,"To_Account":"unknown-type","MsgTime":7},
        {"Type":1,"MsgTime":7},
        {"Type":"1","To_Account":"string-type"},
        {"Type":1,"To_Account":5},
        {"Type":2,"GroupId":""},
        {"Type":1,"To_Account":"odd-fields","MsgTime":"x","TopFlag":"1","StandardMark":"abc","CustomMark":7,"ContactGroupId":"1","Timestamp":-1},
        {"Type":2,"GroupId":"@TGS#g","ContactGroupId":[1,"2",-3,2.5,4]}
    ]"#;
    let list = ListConversationsParams {
        from_account: "u".into(),
        cursor: None,
        include_pinned: None,
        include_empty: None,
        assist_flags: None,
    };
    let page = list
        .parse(format!(r#"{{"ActionStatus":"OK","ErrorCode":0,"CompleteFlag":1,"SessionItem":{items}}}"#).as_bytes())
        .unwrap();
    let shown: Vec<_> = page
        .conversations
        .iter()
        .map(|c| {
            (
                c.conversation.clone(),
                c.msg_time,
                c.pinned,
                c.standard_marks.clone(),
                c.custom_mark.clone(),
                c.group_ids.clone(),
            )
        })
        .collect();
    assert_eq!(
        shown,
        [
            (
                c2c("ok"),
                7,
                true,
                Some(vec![0, 2]),
                Some("c".to_string()),
                Some(vec![2])
            ),
            (c2c("odd-fields"), 0, false, None, None, None),
            (
                Conversation::Group {
                    to_group_id: "@TGS#g".into()
                },
                0,
                false,
                None,
                None,
                Some(vec![1, 4])
            ),
        ]
    );
    let groups = GetConversationGroupsParams {
        from_account: "u".into(),
        cursor: None,
    };
    let page = groups
        .parse(
            format!(r#"{{"ActionStatus":"OK","ErrorCode":0,"CompleteFlag":1,"GroupItem":[],"ContactItem":{items}}}"#)
                .as_bytes(),
        )
        .unwrap();
    assert_eq!(page.conversations.len(), 3);
    assert_eq!(page.conversations[1].standard_marks, Vec::<u8>::new());
    assert_eq!(page.conversations[1].timestamp, None);
}
