use super::*;

fn pretty(json: &str) -> String {
    match render(json.as_bytes(), usize::MAX) {
        Ok(r) => r.text,
        Err(e) => panic!("{json:?}: {e}"),
    }
}

#[test]
fn keeps_key_order_and_number_spelling() {
    let json = r#"{"b":1,"a":[1.50e3,-0,0.5E-7,true,false,null],"c":{},"d":[ ],"e":[{}]}"#;
    let expected = "{\n  \"b\": 1,\n  \"a\": [\n    1.50e3,\n    -0,\n    0.5E-7,\n    \
                    true,\n    false,\n    null\n  ],\n  \"c\": {},\n  \"d\": [],\n  \
                    \"e\": [\n    {}\n  ]\n}";
    assert_eq!(pretty(json), expected);
    assert_eq!(pretty("\u{feff} 7 "), "7");
    assert_eq!(pretty("\u{feff}[]"), "[]");
}

#[test]
fn keeps_strings_verbatim() {
    let json = r#"["a\"b\\n\u00e9\/", "héllo ✓ 😀", {"k\u0041": ""}]"#;
    let expected = "[\n  \"a\\\"b\\\\n\\u00e9\\/\",\n  \"héllo ✓ 😀\",\n  {\n    \
                    \"k\\u0041\": \"\"\n  }\n]";
    assert_eq!(pretty(json), expected);
}

#[test]
fn highlights_tokens() {
    let r = render(br#"{"k": ["s", 1, true, null]}"#, 100).expect("valid");
    let spans: Vec<String> = r
        .spans
        .iter()
        .map(|s| format!("{:?}:{}", s.kind, &r.text[s.start as usize..s.end as usize]))
        .collect();
    let expected = "Punct:{ Key:\"k\" Punct:: Punct:[ String:\"s\" Punct:, Number:1 \
                    Punct:, Bool:true Punct:, Null:null Punct:] Punct:}";
    assert_eq!(spans.join(" "), expected);
}

#[test]
fn tracks_line_starts_while_printing() {
    let long = format!(r#"{{"k": ["{}", "é{}", 1]}}"#, "x".repeat(2500), "é".repeat(999));
    let r = render(long.as_bytes(), usize::MAX).expect("valid");
    let again = Rendered::new(r.text.clone(), Vec::new(), 0, 0, None);
    assert_eq!(r.line_starts, again.line_starts);
    assert_eq!(r.line_count(), 10);
    assert_eq!(r.line_text(3).len(), 1000);
}

#[test]
fn reports_error_positions() {
    let at = |json: &str| match validate(json.as_bytes()) {
        Ok(()) => panic!("{json:?} should be invalid"),
        Err(e) => (e.message, e.line, e.column, e.byte),
    };
    let json = "{\n  \"a\": 1,\n  \"b\" 2\n}";
    let e = validate(json.as_bytes()).err().map(|e| e.to_string());
    assert_eq!(e.as_deref(), Some("expected ':' at line 3, column 7 (byte 18)"));
    let cases = [
        ("[1, 2,]", "expected a value", 7, 6),
        ("[\n  1 }", "expected ',' or ']'", 5, 6),
        ("{\"é\": 1 2}", "expected ',' or '}'", 9, 9),
        ("{} x", "expected end of input", 4, 3),
        ("{1:2}", "expected a string key or '}'", 2, 1),
        ("[}", "expected a value or ']'", 2, 1),
        ("", "unexpected end of input, expected a value", 1, 0),
        ("{\"a\":1,", "unexpected end of input, expected a string key", 8, 7),
        ("[\"ab", "unterminated string", 2, 1),
        ("[01]", "expected ',' or ']'", 3, 2),
        ("[1.]", "expected a digit after '.'", 4, 3),
        ("[1e+]", "expected a digit in the exponent", 5, 4),
        ("[-]", "expected a digit", 3, 2),
        ("[tru]", "expected a value", 2, 1),
        ("[\"\\x\"]", "invalid escape in string", 3, 2),
        ("[\"\\u12g4\"]", "expected a hex digit", 7, 6),
        ("[\"a\tb\"]", "control character in string", 4, 3),
    ];
    for (json, message, column, byte) in cases {
        let line = 1 + json.matches('\n').count();
        assert_eq!(at(json), (message.to_owned(), line, column, byte), "{json:?}");
    }
    assert_eq!(validate(b"[\"\xC3\xA9\xff\"]").err().map(|e| e.byte), Some(4));
    let e = validate(b"\xEF\xBB\xBF[1 2]").err().map(|e| (e.column, e.byte));
    assert_eq!(e, Some((4, 6)));
}
#[test]
fn deep_nesting_does_not_overflow() {
    let depth = 100_000;
    let json = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let r = render(json.as_bytes(), usize::MAX).expect("valid");
    assert_eq!(r.line_count(), 2 * depth - 1);
    let widest = (0..r.line_count()).map(|i| r.line_text(i).len()).max();
    assert_eq!(widest, Some(2 * MAX_INDENT_LEVELS + 2));
    let deeper = 1_000_000;
    let json = format!("{}0{}", "[{\"a\":".repeat(deeper), "}]".repeat(deeper));
    assert!(validate(json.as_bytes()).is_ok());
    assert!(validate(&json.as_bytes()[..json.len() - 1]).is_err());
}

#[test]
fn limit_cuts_at_token_boundary() {
    let json = br#"{"a": [1, 2, 345], "b": "xyz"}"#;
    let two = "{\n  \"a\": [\n    1,\n    2,";
    let b = "{\n  \"a\": [\n    1,\n    2,\n    345\n  ],\n  \"b\": ";
    // (limit, text, shown): "345" touching the limit might go on, so it
    // is left out; so is the string cut at byte 25.
    let cases = [(0, "", 0), (12, two, 12), (16, two, 13), (25, b, 24)];
    for (limit, text, shown) in cases {
        let r = render(json, limit).expect("valid prefix");
        let got = (r.text.as_str(), r.shown_bytes, r.is_cut(), r.note);
        assert_eq!(got, (text, shown, true, None), "limit {limit}");
    }
    let r = render(json, 17).expect("valid prefix");
    assert!(r.text.ends_with("345\n  ]"));
    assert!(!render(json, json.len()).expect("valid").is_cut());
    assert!(render(b"[1, x, 3]", 5).is_err());
    let r = render(b"\xEF\xBB\xBF[1]", 2).expect("cut inside the BOM");
    assert_eq!((r.text.as_str(), r.shown_bytes), ("", 0));
}
