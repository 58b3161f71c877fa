//! RFC 3161 time-stamp responses (token files, TSA answers, attached
//! `.tsr` files): checking one never panics and gives the same answer
//! twice, and a token it accepts covers the imprint it states. The same
//! bytes read as a genTime are refused unless they are its DER form.
#![no_main]

use der::{Decode, Encode};
use exhibit::tsp::{check_response, GenTime};
use libfuzzer_sys::fuzz_target;

const SHA256: &str = "2.16.840.1.101.3.4.2.1";

fuzz_target!(|data: &[u8]| {
    let first = check_response(data, &[]);
    assert_eq!(first, check_response(data, &[]));
    if let Ok(facts) = &first {
        if facts.imprint_algorithm.to_string() == SHA256 {
            let imprint: [u8; 32] = facts.imprint.as_slice().try_into().unwrap_or([0; 32]);
            assert_eq!(facts.check_covers(&imprint).is_ok(), facts.imprint == imprint);
        }
        assert!(!facts.trusted(), "trusted with no root");
    }
    if let Ok(time) = GenTime::from_der(data) {
        assert_eq!(time.to_der().expect("a decoded genTime encodes"), data);
    }
});
