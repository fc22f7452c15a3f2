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
    serde_json::from_str(&e.body()).unwrap()
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
            group_id: 1
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
            group_id: 2
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
    for command in [
        "create_contact_group",
        "update_contact_group",
        "del_contact_group",
        "delete",
    ] {
        let base = response(command);
        for cut in 0..base.len() {
            let _ = create.parse(&base[..cut]);
            let _ = update.parse(&base[..cut]);
            let _ = del.parse(&base[..cut]);
        }
        for _ in 0..2000 {
            let mut b = base.clone();
            for _ in 0..(next() % 4 + 1) {
                let i = (next() as usize) % b.len();
                b[i] = next() as u8;
            }
            let _ = create.parse(&b);
            let _ = update.parse(&b);
            let _ = del.parse(&b);
        }
    }
}
