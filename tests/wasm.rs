//! The core compiled to wasm32 and run under Node by wasm-bindgen-test:
//! the same answers as natively, and the bindings' JavaScript conversions.
#![cfg(target_arch = "wasm32")]

use tim_recentcontact::bindings::{gen_user_sig, verify_user_sig, ConversationClient};
use tim_recentcontact::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

fn js(v: serde_json::Value) -> JsValue {
    js_sys::JSON::parse(&v.to_string()).unwrap()
}

fn prop(v: &JsValue, k: &str) -> JsValue {
    js_sys::Reflect::get(v, &k.into()).unwrap()
}

#[wasm_bindgen_test]
fn usersig_round_trip_in_wasm() {
    let s = usersig::sign(1400000000, "k", "admin", 100, 1000);
    assert_eq!(usersig::verify(1400000000, "k", &s, 1050).unwrap().identifier, "admin");
    assert_eq!(
        usersig::verify(1400000000, "k", &s, 1101).unwrap_err().code(),
        Some(70001)
    );
}

#[wasm_bindgen_test]
fn endpoints_build_and_parse_in_wasm() {
    let call = DeleteConversationGroupParams {
        from_account: "user15".into(),
        group_name: "test0".into(),
    };
    assert_eq!(call.body(), r#"{"From_Account":"user15","GroupName":["test0"]}"#);
    let out = call
        .parse(br#"{"GroupItem":[{"GroupName":"test0","GroupId":2}],"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}"#)
        .unwrap();
    assert_eq!(out.group_id, 2);
}

#[wasm_bindgen_test]
fn bindings_convert_inputs_and_errors() {
    let sig = gen_user_sig(tsify::Ts::new_unchecked(js(serde_json::json!({
        "sdkAppId": 1400000000u32, "secretKey": "k", "identifier": "admin", "expireSeconds": 100, "nowSeconds": 1000
    }))))
    .unwrap();
    let info = verify_user_sig(tsify::Ts::new_unchecked(js(serde_json::json!({
        "sdkAppId": 1400000000u32, "secretKey": "k", "userSig": sig, "nowSeconds": 1001
    }))))
    .unwrap();
    assert_eq!(prop(&info.js_value(), "identifier").as_string().unwrap(), "admin");
    assert_eq!(prop(&info.js_value(), "time").as_f64(), Some(1000.0));

    // Without the package's factory installed, errors are plain Errors with the same fields.
    let err = ConversationClient::new(tsify::Ts::new_unchecked(js(serde_json::json!({
        "sdkAppId": 1, "identifier": "a", "secretKey": "k", "region": "mars"
    }))))
    .err()
    .unwrap();
    assert!(err.is_instance_of::<js_sys::Error>());
    assert_eq!(prop(&err, "kind").as_string().unwrap(), "validation");
    assert_eq!(prop(&err, "field").as_string().unwrap(), "region");
    assert_eq!(prop(&err, "retryable").as_bool(), Some(false));
}
