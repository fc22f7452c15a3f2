//! The few JavaScript operations both the runtime and the error mapping
//! use, on the bindings' ground floor (no other bindings module below it).

use js_sys::Array;
use wasm_bindgen::prelude::*;

// `Reflect.set` returns its bool as a `JsValue`: the same signature as other
// imports (runtime.rs, "Each distinct signature…").
#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = Reflect, js_name = set, catch)]
    fn reflect_set(target: &JsValue, key: &JsValue, value: &JsValue) -> Result<JsValue, JsValue>;
}

/// Sets a property of an object the package made (it cannot throw).
pub(super) fn set_property(target: &JsValue, key: &str, value: &JsValue) {
    let _ = reflect_set(target, &JsValue::from_str(key), value);
}

/// A JavaScript array of `items` (filled with `Reflect.set`, not `push`).
pub(super) fn array_of(items: impl IntoIterator<Item = JsValue>) -> Array {
    let array = Array::new();
    for (i, item) in items.into_iter().enumerate() {
        let _ = reflect_set(&array, &JsValue::from(i as f64), &item);
    }
    array
}
