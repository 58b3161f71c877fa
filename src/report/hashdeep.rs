//! Hash lists in the formats other forensic tools read: a hashdeep
//! (`HASHDEEP-1.0`) known-hashes file, which `hashdeep -a -k FILE` audits,
//! and DFXML (Digital Forensics XML) `fileobject`s, written with an XML
//! writer so every name is escaped.

use std::io::{self, Write};

use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::Writer;

/// Why a name cannot be written in a hash list without changing it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unrepresentable {
    /// hashdeep files are line-based and have no escape for a newline or
    /// carriage return in a name.
    LineBreak,
    /// XML 1.0 cannot hold this character at all (control characters
    /// other than tab, LF and CR), or the name is not valid UTF-8.
    NotXmlText,
    /// JSON strings are Unicode: a name that is not valid UTF-8 would be
    /// written as another name (with U+FFFD), which may be another file's.
    NotUtf8,
}

impl std::fmt::Display for Unrepresentable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Unrepresentable::LineBreak => {
                "name has a line break, which a hashdeep file cannot hold; not listed"
            }
            Unrepresentable::NotXmlText => {
                "name is not valid UTF-8 or has a character XML cannot hold; not listed"
            }
            Unrepresentable::NotUtf8 => {
                "name is not valid UTF-8, which a JSON string cannot hold exactly; not listed"
            }
        })
    }
}

/// The hashdeep header: the format line, the columns (size and SHA-256,
/// then the name, which is the rest of the line and may hold commas), and
/// `##` comment lines naming the program and the command that wrote it.
pub fn hashdeep_header(out: &mut impl Write, command_line: &str) -> io::Result<()> {
    out.write_all(b"%%%% HASHDEEP-1.0\n%%%% size,sha256,filename\n")?;
    writeln!(out, "## Written by exhibit {}", env!("CARGO_PKG_VERSION"))?;
    writeln!(out, "## $ {}", one_line(command_line))?;
    out.write_all(b"##\n")
}

/// One `size,sha256,name` line. The name is written byte for byte, as
/// hashdeep prints it; one with a line break cannot be.
pub fn hashdeep_line(
    out: &mut impl Write,
    size: u64,
    sha256_hex: &str,
    name: &[u8],
) -> io::Result<Result<(), Unrepresentable>> {
    if name.iter().any(|b| matches!(b, b'\n' | b'\r')) {
        return Ok(Err(Unrepresentable::LineBreak));
    }
    write!(out, "{size},{sha256_hex},")?;
    out.write_all(name)?;
    out.write_all(b"\n")?;
    Ok(Ok(()))
}

/// Comment text on one line: control characters become `?`.
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .collect()
}

/// The DFXML namespace (version 1.x of the format).
pub const DFXML_NAMESPACE: &str =
    "http://www.forensicswiki.org/wiki/Category:Digital_Forensics_XML";

/// Writes a DFXML document one `fileobject` at a time, so a listing of
/// millions of files is never held in memory.
pub struct DfxmlWriter<W: Write> {
    xml: Writer<W>,
}

impl<W: Write> DfxmlWriter<W> {
    /// The XML declaration, the `dfxml` root and the `creator` element.
    pub fn start(out: W, command_line: &str) -> io::Result<Self> {
        let mut xml = Writer::new_with_indent(out, b' ', 2);
        xml.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
        xml.write_event(Event::Start(BytesStart::new("dfxml").with_attributes([
            ("xmlns", DFXML_NAMESPACE),
            ("xmlns:dc", "http://purl.org/dc/elements/1.1/"),
            ("version", "1.0"),
        ])))?;
        xml.create_element("metadata").write_inner_content(|w| {
            w.create_element("dc:type")
                .write_text_content(BytesText::new("Hash List"))?;
            Ok(())
        })?;
        let command_line = xml_text(command_line).unwrap_or_else(|| one_line(command_line));
        xml.create_element("creator")
            .with_attribute(("version", "1.0"))
            .write_inner_content(|w| {
                w.create_element("program")
                    .write_text_content(BytesText::new("exhibit"))?;
                w.create_element("version")
                    .write_text_content(BytesText::new(env!("CARGO_PKG_VERSION")))?;
                w.create_element("execution_environment")
                    .write_inner_content(|w| {
                        w.create_element("command_line")
                            .write_text_content(BytesText::from_escaped(command_line))?;
                        Ok(())
                    })?;
                Ok(())
            })?;
        Ok(DfxmlWriter { xml })
    }

    /// One `fileobject`: name, size and SHA-256. A name XML cannot hold
    /// exactly is not written.
    pub fn file(
        &mut self,
        name: &[u8],
        size: u64,
        sha256_hex: &str,
    ) -> io::Result<Result<(), Unrepresentable>> {
        let Some(escaped) = std::str::from_utf8(name).ok().and_then(xml_text) else {
            return Ok(Err(Unrepresentable::NotXmlText));
        };
        self.xml
            .create_element("fileobject")
            .write_inner_content(|w| {
                w.create_element("filename")
                    .write_text_content(BytesText::from_escaped(escaped))?;
                w.create_element("filesize")
                    .write_text_content(BytesText::new(&size.to_string()))?;
                w.create_element("hashdigest")
                    .with_attribute(("type", "sha256"))
                    .write_text_content(BytesText::new(sha256_hex))?;
                Ok(())
            })?;
        Ok(Ok(()))
    }

    /// Closes the root element and hands back the output.
    pub fn finish(mut self) -> io::Result<W> {
        self.xml.write_event(Event::End(BytesEnd::new("dfxml")))?;
        let mut out = self.xml.into_inner();
        out.write_all(b"\n")?;
        Ok(out)
    }
}

/// `text` escaped for XML character data, with a carriage return written as
/// a character reference (a parser would turn a literal one into LF);
/// `None` when XML 1.0 cannot hold one of its characters.
fn xml_text(text: &str) -> Option<String> {
    let allowed = |c: char| {
        matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}')
            || c >= '\u{10000}'
    };
    if !text.chars().all(allowed) {
        return None;
    }
    Some(quick_xml::escape::escape(text).replace('\r', "&#13;"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashdeep_lines_keep_commas_and_refuse_line_breaks() {
        let mut out = Vec::new();
        assert_eq!(
            hashdeep_line(&mut out, 3, "ab", b"d/a,b c").unwrap(),
            Ok(())
        );
        assert_eq!(out, b"3,ab,d/a,b c\n");
        assert_eq!(
            hashdeep_line(&mut out, 3, "ab", b"a\nb").unwrap(),
            Err(Unrepresentable::LineBreak)
        );
    }

    #[test]
    fn dfxml_escapes_names() {
        let mut w = DfxmlWriter::start(Vec::new(), "exhibit hash <x>").unwrap();
        assert_eq!(w.file(b"a<b>&\"c\r", 1, "00").unwrap(), Ok(()));
        assert_eq!(
            w.file(b"bell\x07", 1, "00").unwrap(),
            Err(Unrepresentable::NotXmlText)
        );
        let text = String::from_utf8(w.finish().unwrap()).unwrap();
        assert!(
            text.contains("<filename>a&lt;b&gt;&amp;&quot;c&#13;</filename>"),
            "{text}"
        );
        assert!(text.contains("<hashdigest type=\"sha256\">00</hashdigest>"));
        assert!(text.trim_end().ends_with("</dfxml>"));
    }
}
