//! docs/errors.md's table of service codes is the catalog in `src/error.rs`
//! (`CODES`), printed: this test fails when they differ, and prints the
//! table to paste between its `codes` markers.

use tim_recentcontact::*;

#[test]
fn the_docs_code_table_is_the_catalog() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/errors.md")).unwrap();
    let (start, end) = (
        "<!-- codes-start: generated from CODES in src/error.rs -->\n",
        "<!-- codes-end -->",
    );
    let from = readme.find(start).expect("docs/errors.md lost its codes-start marker") + start.len();
    let to = readme[from..]
        .find(end)
        .expect("docs/errors.md lost its codes-end marker")
        + from;
    let want = codes_table();
    assert!(
        readme[from..to] == want,
        "docs/errors.md's code table differs from CODES; replace it with:\n{want}"
    );
}

#[test]
fn every_code_is_stated_once_and_classified_by_the_catalog() {
    let mut seen = std::collections::BTreeSet::new();
    for (code, class, meaning) in CODES {
        assert!(seen.insert(*code), "{code} listed twice");
        assert!(!meaning.is_empty());
        assert_eq!(classify_code(*code), *class, "{code}");
        let e = Error::from_service(*code, String::new(), None, "delete");
        let auth = matches!(class, CodeClass::Auth | CodeClass::SigExpired);
        assert_eq!(e.kind() == ErrorKind::Auth, auth, "{code}");
        let retryable = matches!(
            class,
            CodeClass::Transient | CodeClass::TransientOnce | CodeClass::Throttled | CodeClass::ThrottledLong
        );
        assert_eq!(e.retryable(), retryable, "{code}");
    }
    // Outside the catalog: the UserSig range is auth, the rest plain errors.
    assert_eq!(classify_code(70011), CodeClass::Auth);
    assert_eq!(classify_code(12345), CodeClass::Fatal);
}
