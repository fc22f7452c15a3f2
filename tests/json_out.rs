//! json_out's writer against serde's derive (the reference, kept natively):
//! byte-identical text for every result type, with every optional
//! field present and absent and every escape JSON has.
use tim_recentcontact::json_out::ToJson;
use tim_recentcontact::*;

const NASTY: &str = "q\"b\\s/\u{0}\u{8}\u{c}\n\r\t\u{1f}\u{7f}é😀\u{2028}";

fn same<T: ToJson + serde::Serialize>(value: &T) {
    assert_eq!(value.to_json(), serde_json::to_string(value).unwrap());
}

fn conversations() -> [Conversation; 3] {
    [
        Conversation::C2c {
            to_account: "u1".into(),
        },
        Conversation::Group {
            to_group_id: NASTY.into(),
        },
        Conversation::C2c {
            to_account: String::new(),
        },
    ]
}

#[test]
fn every_result_type_writes_what_serde_writes() {
    let results: Vec<ConversationResult> = conversations()
        .into_iter()
        .zip([0, -1, i64::MIN])
        .map(|(conversation, code)| ConversationResult {
            conversation,
            ok: code == 0,
            result_code: code,
            result_info: NASTY.into(),
        })
        .collect();
    {
        same(&CreateConversationGroupResult {
            group_name: NASTY.into(),
            group_id: u64::MAX,
            results: results.clone(),
        });
        same(&RenameConversationGroupResult {
            group_name: "n".into(),
            old_group_name: NASTY.into(),
            group_id: 0,
        });
        same(&DeleteConversationGroupResult {
            group_name: "".into(),
            group_id: 9_007_199_254_740_993,
        });
        same(&UpdateConversationGroupResult {
            group_name: "g".into(),
            group_id: 7,
            results: results
                .iter()
                .zip([
                    ConversationAction::Add,
                    ConversationAction::Remove,
                    ConversationAction::Add,
                ])
                .map(|(r, action)| UpdateConversationResult {
                    conversation: r.conversation.clone(),
                    action,
                    ok: r.ok,
                    result_code: r.result_code,
                    result_info: r.result_info.clone(),
                })
                .collect(),
        });
    }
    same(&MarkConversationsResult {
        results: results.clone(),
    });
    same(&MarkConversationsResult { results: vec![] });
    let items: Vec<ConversationListItem> = conversations()
        .into_iter()
        .enumerate()
        .map(|(i, conversation)| ConversationListItem {
            conversation,
            msg_time: [0, 1_700_000_000, u64::MAX][i],
            pinned: i == 1,
            standard_marks: [None, Some(vec![]), Some(vec![0, 5, 63])][i].clone(),
            custom_mark: [None, Some(NASTY.to_string()), Some(String::new())][i].clone(),
            group_ids: [None, Some(vec![]), Some(vec![1, u64::MAX])][i].clone(),
        })
        .collect();
    for next_cursor in [None, Some(NASTY.to_string())] {
        same(&ConversationListPage {
            conversations: items.clone(),
            next_cursor: next_cursor.clone(),
        });
    }
    let groups = vec![
        ConversationGroup {
            group_name: NASTY.into(),
            group_id: 1,
        },
        ConversationGroup {
            group_name: "b".into(),
            group_id: u64::MAX,
        },
    ];
    let marked: Vec<MarkedConversation> = conversations()
        .into_iter()
        .enumerate()
        .map(|(i, conversation)| MarkedConversation {
            conversation,
            standard_marks: [vec![], vec![1], vec![0, 63]][i].clone(),
            custom_mark: [None, Some(NASTY.to_string()), Some(String::new())][i].clone(),
            group_ids: [vec![], vec![3], vec![1, 2]][i].clone(),
            timestamp: [None, Some(0), Some(u64::MAX)][i],
        })
        .collect();
    same(&ConversationGroups {
        groups: groups.clone(),
        conversations: marked.clone(),
    });
    same(&ConversationGroups::default());
    for next_cursor in [None, Some("c".to_string())] {
        same(&ConversationGroupsPage {
            groups: groups.clone(),
            conversations: marked.clone(),
            next_cursor,
        });
    }
}

/// The tape for JavaScript (`to_js`) against the keyed form, for every
/// result type with a tape reader, every optional field present and absent:
/// `tests/fixtures/tapes.json` holds both (the tape's NaN as `null`), and
/// `tests/js/results.test.mjs` proves `lib/results.js` makes the keyed
/// value of the tape. (`UPDATE_FIXTURES=1 cargo test` rewrites it.)
#[test]
fn tapes_for_javascript_match_the_fixture_the_js_reader_is_tested_on() {
    let [a, b, c] = conversations();
    let item = |conversation: Conversation, full: bool| ConversationListItem {
        conversation,
        msg_time: if full { 9_007_199_254_740_991 } else { 0 },
        pinned: full,
        standard_marks: full.then(|| vec![0, 63]),
        custom_mark: full.then(|| NASTY.to_string()),
        group_ids: full.then(|| vec![1, u64::MAX]),
    };
    let marked = |conversation: Conversation, full: bool| MarkedConversation {
        conversation,
        standard_marks: if full { vec![1, 2, 3] } else { Vec::new() },
        custom_mark: full.then(|| NASTY.to_string()),
        group_ids: if full { vec![7] } else { Vec::new() },
        timestamp: full.then_some(1_700_000_000),
    };
    let result = |conversation: Conversation, ok: bool| ConversationResult {
        conversation,
        ok,
        result_code: if ok { 0 } else { 50002 },
        result_info: NASTY.into(),
    };
    let texts: Vec<(json_out::Out, String)> = [
        (
            ConversationListPage {
                conversations: vec![item(a.clone(), true), item(b.clone(), false), item(c.clone(), false)],
                next_cursor: Some("l1.0.1.2.3".into()),
            }
            .to_js(),
            ConversationListPage {
                conversations: vec![item(a.clone(), true), item(b.clone(), false), item(c.clone(), false)],
                next_cursor: Some("l1.0.1.2.3".into()),
            }
            .to_json(),
        ),
        {
            let v = ConversationGroupsPage {
                groups: vec![ConversationGroup {
                    group_name: NASTY.into(),
                    group_id: 3,
                }],
                conversations: vec![marked(a.clone(), true), marked(b.clone(), false)],
                next_cursor: None,
            };
            (v.to_js(), v.to_json())
        },
        {
            let v = MarkConversationsResult {
                results: vec![result(a.clone(), true), result(b.clone(), false)],
            };
            (v.to_js(), v.to_json())
        },
        {
            let v = UpdateConversationGroupResult {
                group_name: "g".into(),
                group_id: 1,
                results: vec![
                    UpdateConversationResult {
                        conversation: a.clone(),
                        action: ConversationAction::Add,
                        ok: true,
                        result_code: 0,
                        result_info: String::new(),
                    },
                    UpdateConversationResult {
                        conversation: b.clone(),
                        action: ConversationAction::Remove,
                        ok: false,
                        result_code: 51009,
                        result_info: NASTY.into(),
                    },
                ],
            };
            (v.to_js(), v.to_json())
        },
        {
            let v = ConversationListPage {
                conversations: Vec::new(),
                next_cursor: None,
            };
            (v.to_js(), v.to_json())
        },
        {
            let v = ConversationGroups {
                groups: vec![
                    ConversationGroup {
                        group_name: "一组".into(),
                        group_id: u64::MAX,
                    },
                    ConversationGroup {
                        group_name: String::new(),
                        group_id: 0,
                    },
                ],
                conversations: vec![marked(c.clone(), true)],
            };
            (v.to_js(), v.to_json())
        },
        {
            let v = ConversationGroupsPage {
                groups: Vec::new(),
                conversations: Vec::new(),
                next_cursor: Some(NASTY.into()),
            };
            (v.to_js(), v.to_json())
        },
        {
            let v = CreateConversationGroupResult {
                group_name: NASTY.into(),
                group_id: 9_007_199_254_740_991,
                results: vec![result(b.clone(), true), result(c.clone(), false)],
            };
            (v.to_js(), v.to_json())
        },
        {
            let v = DeleteConversationGroupResult {
                group_name: "g".into(),
                group_id: 2,
            };
            (v.to_js(), v.to_json())
        },
        {
            let v = RenameConversationGroupResult {
                group_name: "新".into(),
                old_group_name: NASTY.into(),
                group_id: 3,
            };
            (v.to_js(), v.to_json())
        },
    ]
    .into_iter()
    .collect();
    let mut fixture = String::from("[\n");
    for (i, (out, keyed)) in texts.iter().enumerate() {
        let (strings, tape) = (out.text(), out.numbers());
        assert!(!tape.is_empty(), "{keyed}");
        let sep = if i + 1 == texts.len() { "" } else { "," };
        let numbers: Vec<Option<f64>> = tape.iter().map(|v| (!v.is_nan()).then_some(*v)).collect();
        fixture.push_str(&format!(
            "  {{ \"strings\": {}, \"tape\": {}, \"keyed\": {} }}{sep}\n",
            serde_json::to_string(strings).unwrap(),
            serde_json::to_string(&numbers).unwrap(),
            serde_json::to_string(keyed).unwrap()
        ));
    }
    fixture.push_str("]\n");
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/tapes.json");
    if std::env::var_os("UPDATE_FIXTURES").is_some() {
        std::fs::write(path, &fixture).unwrap();
    }
    assert_eq!(
        std::fs::read_to_string(path).unwrap_or_default(),
        fixture,
        "UPDATE_FIXTURES=1 cargo test rewrites {path}"
    );
}

#[test]
fn every_byte_of_a_string_is_escaped_as_serde_escapes_it() {
    let all: String = (0u32..0x80).filter_map(char::from_u32).collect();
    assert_eq!(all.to_json(), serde_json::to_string(&all).unwrap());
}
