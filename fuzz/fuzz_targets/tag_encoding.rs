//! Tag files in the encodings a plain bag may declare: every input is
//! decoded as each `TagEncoding` with `decode_tag_file`, the function
//! `verify` uses. Decoding never panics; whatever decodes is exactly the
//! input (valid UTF-8 declared as UTF-8 comes back byte for byte, Latin-1
//! and UTF-16 re-encode to the input); errors name the file and the line
//! where decoding stopped (a UTF-8 byte-order mark: only the file); the
//! decoded text then goes through the text parsers verify feeds it to.
#![no_main]

use exhibit::format::bag::{
    decode_tag_file, parse_fetch_text, parse_manifest_lines, BagError, BagInfo, TagEncoding,
};
use libfuzzer_sys::fuzz_target;

const NAME: &str = "manifest-md5.txt";

/// The bytes `text` was decoded from, for an encoding that keeps every
/// input byte (a UTF-16 byte-order mark is given back as it was read).
fn encode(text: &str, encoding: TagEncoding, input: &[u8]) -> Vec<u8> {
    let utf16 = |big_endian: bool| -> Vec<u8> {
        text.encode_utf16()
            .flat_map(|u| {
                if big_endian {
                    u.to_be_bytes()
                } else {
                    u.to_le_bytes()
                }
            })
            .collect()
    };
    match encoding {
        TagEncoding::Utf8 | TagEncoding::Ascii => text.as_bytes().to_vec(),
        TagEncoding::Latin1 => text
            .chars()
            .map(|c| u8::try_from(u32::from(c)).expect("Latin-1 decodes to U+0000..U+00FF"))
            .collect(),
        TagEncoding::Utf16Be => utf16(true),
        TagEncoding::Utf16Le => utf16(false),
        TagEncoding::Utf16 => match input {
            [0xFE, 0xFF, ..] => [&[0xFE, 0xFF][..], &utf16(true)].concat(),
            [0xFF, 0xFE, ..] => [&[0xFF, 0xFE][..], &utf16(false)].concat(),
            _ => utf16(true),
        },
    }
}

fuzz_target!(|data: &[u8]| {
    for encoding in TagEncoding::ALL {
        let text = match decode_tag_file(NAME, data, encoding) {
            Ok(text) => text,
            Err(e) => {
                assert_eq!(e.file(), NAME);
                // A byte-order mark is about the whole file; anything else
                // names the line where decoding stopped.
                match e {
                    BagError::ByteOrderMark { .. } => {
                        assert_eq!(encoding, TagEncoding::Utf8);
                        assert!(data.starts_with(b"\xEF\xBB\xBF"));
                    }
                    _ => assert!(e.line().is_some_and(|line| line >= 1), "{e}"),
                }
                match encoding {
                    TagEncoding::Latin1 => panic!("Latin-1 refused {data:?}: {e}"),
                    TagEncoding::Utf8 => assert!(
                        std::str::from_utf8(data).is_err() || data.starts_with(b"\xEF\xBB\xBF"),
                        "valid UTF-8 without a byte-order mark refused: {e}"
                    ),
                    TagEncoding::Ascii => assert!(!data.is_ascii(), "ASCII refused: {e}"),
                    _ => {}
                }
                continue;
            }
        };
        assert_eq!(
            encode(&text, encoding, data),
            data,
            "{encoding} does not round-trip"
        );
        if encoding == TagEncoding::Utf8 {
            // Valid UTF-8 declared as UTF-8 is the input itself.
            assert_eq!(text.as_bytes(), data);
            assert_eq!(Ok(&*text), std::str::from_utf8(data));
        }
        if let Err(e) = parse_manifest_lines(NAME, &text, 32) {
            assert_eq!(e.file(), NAME);
        }
        if let Err(e) = BagInfo::parse_text(NAME, &text) {
            assert_eq!(e.file(), NAME);
        }
        if let Err(e) = parse_fetch_text(NAME, &text) {
            assert_eq!(e.file(), NAME);
        }
    }
});
