//! A minimal XML well-formedness checker for the SVG this crate writes: balanced tags, one root,
//! quoted attributes without duplicates, `<` never in text or attribute values, `&` only as a
//! known entity, and no `NaN`/`inf` in numeric attributes.

#![allow(dead_code)]

const NUMERIC_ATTRS: &[&str] = &[
    "x",
    "y",
    "x1",
    "x2",
    "y1",
    "y2",
    "cx",
    "cy",
    "r",
    "width",
    "height",
    "d",
    "viewBox",
    "transform",
    "font-size",
    "stroke-width",
    "fill-opacity",
    "patternTransform",
];

fn check_entities(s: &str, at: usize) -> Result<(), String> {
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        let after = &rest[i + 1..];
        let end = after.find(';').ok_or_else(|| {
            format!(
                "bare & near byte {at}: {:?}",
                &rest[i..rest.len().min(i + 20)]
            )
        })?;
        let ent = &after[..end];
        let ok = matches!(ent, "amp" | "lt" | "gt" | "quot" | "apos")
            || (ent.starts_with("#x")
                && ent.len() > 2
                && ent[2..].chars().all(|c| c.is_ascii_hexdigit()))
            || (ent.starts_with('#')
                && ent.len() > 1
                && ent[1..].chars().all(|c| c.is_ascii_digit()));
        if !ok {
            return Err(format!("unknown entity &{ent}; near byte {at}"));
        }
        rest = &after[end + 1..];
    }
    Ok(())
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.')
}

/// `Ok(())` if `doc` is a well-formed XML document with an `<svg>` root.
pub fn check_well_formed(doc: &str) -> Result<(), String> {
    let b = doc;
    let mut i = 0;
    let mut stack: Vec<&str> = Vec::new();
    let mut roots = 0;
    while i < b.len() {
        let rest = &b[i..];
        if let Some(after) = rest.strip_prefix('<') {
            if let Some(after) = after.strip_prefix('/') {
                let end = after.find('>').ok_or("unterminated end tag")?;
                let name = after[..end].trim_end();
                let open = stack
                    .pop()
                    .ok_or_else(|| format!("</{name}> without an open tag"))?;
                if open != name {
                    return Err(format!("</{name}> closes <{open}> at byte {i}"));
                }
                i += 2 + end + 1;
                continue;
            }
            if after.starts_with('!') || after.starts_with('?') {
                return Err(format!("unexpected markup declaration at byte {i}"));
            }
            let name_len = after
                .find(|c: char| !is_name_char(c))
                .ok_or("unterminated start tag")?;
            let name = &after[..name_len];
            if name.is_empty() || !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
                return Err(format!("bad tag name at byte {i}"));
            }
            if stack.is_empty() {
                roots += 1;
                if roots > 1 || name != "svg" {
                    return Err(format!("extra or non-svg root <{name}> at byte {i}"));
                }
            }
            let mut j = 1 + name_len;
            let mut seen: Vec<&str> = Vec::new();
            loop {
                let r = &rest[j..];
                let trimmed = r.trim_start();
                if trimmed.len() == r.len() && !(r.starts_with('>') || r.starts_with("/>")) {
                    return Err(format!(
                        "missing space before attribute in <{name}> at byte {i}"
                    ));
                }
                j += r.len() - trimmed.len();
                if trimmed.starts_with("/>") {
                    j += 2;
                    break;
                }
                if trimmed.starts_with('>') {
                    j += 1;
                    stack.push(name);
                    break;
                }
                let an_len = trimmed
                    .find(|c: char| !is_name_char(c))
                    .ok_or("unterminated attribute")?;
                let an = &trimmed[..an_len];
                if an.is_empty() {
                    return Err(format!("bad attribute in <{name}> at byte {}", i + j));
                }
                if seen.contains(&an) {
                    return Err(format!("duplicate attribute {an} in <{name}>"));
                }
                seen.push(an);
                let after_name = &trimmed[an_len..];
                let v = after_name
                    .strip_prefix("=\"")
                    .ok_or_else(|| format!("attribute {an} in <{name}> is not =\"…\""))?;
                let vend = v.find('"').ok_or("unterminated attribute value")?;
                let value = &v[..vend];
                if value.contains('<') {
                    return Err(format!("< in attribute {an}"));
                }
                check_entities(value, i + j)?;
                if NUMERIC_ATTRS.contains(&an) {
                    let lower = value.to_ascii_lowercase();
                    if lower.contains("nan") || lower.contains("inf") {
                        return Err(format!("{an}=\"{value}\" is not a number"));
                    }
                }
                j += an_len + 2 + vend + 1;
            }
            i += j;
        } else {
            let end = rest.find('<').unwrap_or(rest.len());
            let text = &rest[..end];
            if stack.is_empty() && !text.trim().is_empty() {
                return Err(format!("text outside the root at byte {i}"));
            }
            check_entities(text, i)?;
            i += end;
        }
    }
    if !stack.is_empty() {
        return Err(format!("unclosed elements: {stack:?}"));
    }
    if roots != 1 {
        return Err("no root element".into());
    }
    Ok(())
}

/// Panics with the checker's message if `doc` is not well-formed.
pub fn assert_well_formed(doc: &str) {
    if let Err(e) = check_well_formed(doc) {
        panic!("not well-formed: {e}\n{doc}");
    }
}

#[test]
fn checker_rejects_broken_documents() {
    assert!(check_well_formed(r#"<svg a="1"><g></g><text>a &amp; b</text></svg>"#).is_ok());
    for bad in [
        "<svg><g></svg>",
        "<svg></g>",
        r#"<svg a="1" a="2"/>"#,
        "<svg>a & b</svg>",
        r#"<svg a="<"/>"#,
        "<svg/><svg/>",
        "<g/>",
        r#"<svg x="NaN"/>"#,
        r#"<svg><circle r="inf"/></svg>"#,
        "<svg>",
        r#"<svg a="1"b="2"/>"#,
        "<svg>&bogus;</svg>",
    ] {
        assert!(check_well_formed(bad).is_err(), "{bad}");
    }
}
