#![no_main]

use libfuzzer_sys::fuzz_target;
use poolpass::auth::loopback::parse_request;

fuzz_target!(|data: &[u8]| {
    let Some(req) = parse_request(data) else {
        return;
    };
    // Only origin-form targets: an absolute URL or `*` must never reach path matching.
    assert!(req.path.starts_with('/'), "{req:?}");
    // The path and method are single tokens of the request line.
    assert!(!req.path.contains([' ', '?', '\n']), "{req:?}");
    assert!(
        !req.method.is_empty() && !req.method.contains([' ', '\n']),
        "{req:?}"
    );
    assert_eq!(parse_request(data).as_ref(), Some(&req));
});
