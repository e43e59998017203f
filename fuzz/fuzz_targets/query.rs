//! The query parser: never panics; a parsed request's canonical query parses to the same
//! request; signing what it signs verifies.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ogcard::request::{canonical_query, parse_query, Defaults, Text};

fuzz_target!(|data: &[u8]| {
    let Ok(query) = std::str::from_utf8(data) else {
        return;
    };
    let defaults = Defaults {
        title: Text::new("default"),
        site: Text::new(""),
        template: "default".into(),
    };
    let parsed = parse_query(query, &defaults);
    let canonical = canonical_query(query);
    if let (Ok(req), Ok(canonical)) = (parsed, canonical) {
        let again = parse_query(&canonical, &defaults).expect("a canonical query parses");
        assert_eq!(again, req);
        let signed = ogcard::signing::signed_query(b"key", query).expect("signs");
        assert!(ogcard::signing::verify(b"key", &signed));
    }
});
