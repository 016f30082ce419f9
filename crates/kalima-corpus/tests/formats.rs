//! Every format: documents, names, meta, field/column options, detection.

mod common;

use common::*;
use kalima_corpus::{ErrorKind, Format, ReadOptions};

fn meta_opts() -> ReadOptions {
    ReadOptions {
        keep_meta: true,
        ..ReadOptions::default()
    }
}

#[test]
fn plain_text_is_one_document() {
    let run = read_bytes("a.txt", "سطر أول\nسطر ثان\n", ReadOptions::default());
    assert_eq!(run.texts(), ["سطر أول\nسطر ثان\n"]);
    let d = &run.docs[0];
    assert_eq!(d.chunks.len(), 1);
    assert_eq!(d.chunks[0].source.format, Format::Text);
    assert_eq!(d.chunks[0].source.encoding, encoding_rs::UTF_8);
    assert_eq!(d.chunks[0].source.path, "a.txt");
    assert!(run.errors.is_empty() && run.notes.is_empty());
}

#[test]
fn json_array_streams_records() {
    let json = r#"[
      {"source": "okaz", "url": "http://x/1", "date_extracted": "2015-07-21 02:51:32",
       "title": "عنوان", "author": null, "content": "نص \"أول\"\nسطر"},
      {"source": "sabq", "url": "http://x/2", "content": ""},
      {"id": 42, "text": "بديل"}
    ]"#;
    let run = read_bytes("day.json", json, meta_opts());
    assert!(run.errors.is_empty(), "{:?}", run.error_lines());
    assert_eq!(run.texts(), ["نص \"أول\"\nسطر", "", "بديل"]);
    assert_eq!(run.docs[0].name.as_deref(), Some("http://x/1"));
    assert_eq!(run.docs[2].name.as_deref(), Some("42"));
    let meta = &run.docs[0].meta;
    assert!(meta.contains(&("source".into(), "okaz".into())));
    assert!(meta.contains(&("date_extracted".into(), "2015-07-21 02:51:32".into())));
    assert!(meta.contains(&("title".into(), "عنوان".into())));
    assert!(!meta.iter().any(|(k, _)| k == "content" || k == "author"));
    assert_eq!(run.docs[0].chunks[0].source.format, Format::Json);
}

#[test]
fn jsonl_and_field_option() {
    let jsonl = "{\"id\": \"a\", \"title\": \"t1\", \"content\": \"c1\"}\n\n{\"id\": \"b\", \"title\": \"t2\", \"content\": \"c2\"}\n";
    let run = read_bytes("x.jsonl", jsonl, ReadOptions::default());
    assert_eq!(run.texts(), ["c1", "c2"]);
    assert!(run.docs.iter().all(|d| d.meta.is_empty()));
    let opts = ReadOptions {
        field: Some("title".into()),
        ..ReadOptions::default()
    };
    let run = read_bytes("x.jsonl", jsonl, opts);
    assert_eq!(run.texts(), ["t1", "t2"]);
    // Detected by content, not only by extension, once the format is JSON.
    let opts = ReadOptions {
        format: Some(Format::Json),
        ..ReadOptions::default()
    };
    let run = read_bytes("<stdin>", "[\"s1\", \"s2\"]", opts);
    assert_eq!(run.texts(), ["s1", "s2"]);
}

#[test]
fn json_missing_field_is_reported_once_with_a_summary() {
    let jsonl = "{\"a\": 1}\n{\"a\": 2}\n{\"content\": \"ok\"}\n{\"b\": 3}\n";
    let run = read_bytes("m.jsonl", jsonl, ReadOptions::default());
    assert_eq!(run.texts(), ["ok"]);
    let errs = run.error_lines();
    assert_eq!(errs.len(), 2, "{errs:?}");
    assert!(
        errs[0].starts_with(
            "m.jsonl: record 1 (byte 0): no field \"content\" or \"text\" (fields: a)"
        ),
        "{errs:?}"
    );
    assert_eq!(
        errs[1],
        "m.jsonl: 2 more records without field \"content\" or \"text\" skipped"
    );
}

#[test]
fn csv_and_tsv_rows() {
    let csv = "id,text,cat\n1,\"نص, مع فاصلة\",a\n2,\"سطر\nثان\",b\n";
    let run = read_bytes("t.csv", csv, meta_opts());
    assert!(run.errors.is_empty(), "{:?}", run.error_lines());
    assert_eq!(run.texts(), ["نص, مع فاصلة", "سطر\nثان"]);
    assert_eq!(run.docs[0].name.as_deref(), Some("row 1"));
    assert_eq!(run.docs[1].name.as_deref(), Some("row 2"));
    assert_eq!(
        run.docs[1].meta,
        vec![("id".into(), "2".into()), ("cat".into(), "b".into())]
    );

    let tsv = "# a comment\nword\tcontent\nx\t\"quoted\" text\ny\tب\n";
    let run = read_bytes("t.tsv", tsv, ReadOptions::default());
    assert_eq!(run.texts(), ["\"quoted\" text", "ب"]);
    assert_eq!(
        run.note_lines(),
        ["t.tsv: skipped 1 comment line(s) starting with '#' before the header"]
    );
    assert_eq!(run.docs[0].chunks[0].source.format, Format::Tsv);

    let opts = ReadOptions {
        column: Some("word".into()),
        ..ReadOptions::default()
    };
    let run = read_bytes("t.tsv", tsv, opts);
    assert_eq!(run.texts(), ["x", "y"]);
}

#[test]
fn csv_without_text_column_names_the_columns() {
    let run = read_bytes("t.csv", "a,b\n1,2\n", ReadOptions::default());
    assert!(run.docs.is_empty());
    assert_eq!(
        run.error_lines(),
        ["t.csv: no column named \"text\" or \"content\" (columns: a, b); file skipped"]
    );
}

#[test]
fn csv_short_row_is_an_error_and_reading_goes_on() {
    let run = read_bytes("t.csv", "id,text\n1\n2,two\n", ReadOptions::default());
    assert_eq!(run.texts(), ["two"]);
    assert_eq!(run.errors.len(), 1);
    assert_eq!(run.errors[0].record, Some(1));
    assert!(matches!(
        run.errors[0].kind,
        ErrorKind::Malformed {
            format: Format::Csv,
            ..
        }
    ));
}

const TREC: &str = "<DOC>
<DOCNO>AL-culture-1-20180218</DOCNO>
<URL>http://example.invalid/1</URL>
<SRC>Alarabia</SRC>
<CAT>culture</CAT>
<TITLE>عنوان &amp; آخر</TITLE>
<TIME>Sun, 18 Feb 2018</TIME>
<AUTHOR></AUTHOR>
<ABSTRACT>
ملخص
</ABSTRACT>
<TEXT>
نص المقال: 3 < 5 & R&D &lt;b&gt; &#1575;&#x644;
فقرة ثانية
</TEXT>
</DOC>
";

#[test]
fn trec_fields_entities_and_meta() {
    let run = read_bytes("AL-culture-1.txt", TREC, meta_opts());
    assert!(run.errors.is_empty(), "{:?}", run.error_lines());
    assert_eq!(run.texts(), ["نص المقال: 3 < 5 & R&D <b> ال\nفقرة ثانية"]);
    let d = &run.docs[0];
    assert_eq!(d.name.as_deref(), Some("AL-culture-1-20180218"));
    assert_eq!(
        d.chunks[0].source.format,
        Format::Trec,
        "detected by content in a .txt"
    );
    let get = |k: &str| d.meta.iter().find(|(m, _)| m == k).map(|(_, v)| v.as_str());
    assert_eq!(get("CAT"), Some("culture"));
    assert_eq!(get("SRC"), Some("Alarabia"));
    assert_eq!(get("TITLE"), Some("عنوان & آخر"));
    assert_eq!(get("TIME"), Some("Sun, 18 Feb 2018"));
    assert_eq!(get("AUTHOR"), Some(""));
    assert_eq!(get("DOCNO"), Some("AL-culture-1-20180218"));

    let opts = ReadOptions {
        field: Some("TITLE".into()),
        ..ReadOptions::default()
    };
    let run = read_bytes("x.txt", TREC, opts);
    assert_eq!(run.texts(), ["عنوان & آخر"]);
}

#[test]
fn trec_many_docs_in_a_wrapped_xml_file() {
    let mut xml = String::from("<?xml version=\"1.0\"?>\n<ROOT>\n");
    for i in 0..300 {
        xml.push_str(&format!(
            "<DOC>\n<DOCNO>d{i}</DOCNO>\n<TEXT>نص {i}</TEXT>\n</DOC>\n"
        ));
    }
    xml.push_str("</ROOT>\n");
    let run = read_bytes("all.xml", xml, ReadOptions::default());
    assert_eq!(run.docs.len(), 300);
    assert_eq!(run.docs[299].text, "نص 299");
    assert_eq!(run.docs[299].name.as_deref(), Some("d299"));
    assert!(run.errors.is_empty());
    // The wrapper is outside the <DOC> blocks: said in a note.
    assert_eq!(run.notes.len(), 1, "{:?}", run.note_lines());
    assert!(
        run.notes[0]
            .message
            .starts_with("ignored text outside <DOC> elements")
    );

    // An .xml file without <DOC> is plain text.
    let run = read_bytes(
        "stats.xml",
        "<stats><n>1</n></stats>\n",
        ReadOptions::default(),
    );
    assert_eq!(run.docs[0].chunks[0].source.format, Format::Text);
}

#[test]
fn trec_unterminated_doc_is_delivered_with_an_error() {
    let text =
        "<DOC><DOCNO>a</DOCNO><TEXT>one</TEXT></DOC>\n<DOC><DOCNO>b</DOCNO><TEXT>two</TEXT>\n";
    let run = read_bytes("x.trec", text, ReadOptions::default());
    assert_eq!(run.texts(), ["one", "two"]);
    assert_eq!(run.errors.len(), 1);
    assert_eq!(run.errors[0].record, Some(2));
    assert!(run.error_lines()[0].contains("<DOC> not closed at the end of the file"));
}

const CONLLU: &str = "# newdoc id = d1
# sent_id = 1
# text = جملة أولى.
1\tجملة\tجملة\tNOUN\t_\t_\t0\troot\t_\t_
2\tأولى\tأولى\tADJ\t_\t_\t1\tamod\t_\tSpaceAfter=No
3\t.\t.\tPUNCT\t_\t_\t1\tpunct\t_\t_

# newdoc id = d1
# sent_id = 2
# text = ثانية
1-2\tوبه\t_\t_\t_\t_\t_\t_\t_\t_
1\tو\tو\tCCONJ\t_\t_\t0\troot\t_\t_
2\tبه\tب\tADP\t_\t_\t1\tcase\t_\t_

# newdoc id = d2
# sent_id = 3
1\tبلا\tبلا\tADP\t_\t_\t0\troot\t_\t_
1.1\tفارغ\t_\t_\t_\t_\t_\t_\t_\t_
2\tنص\tنص\tNOUN\t_\t_\t1\tobj\t_\t_

";

#[test]
fn conllu_documents_sentences_and_form_mode() {
    let run = read_bytes("t.conllu", CONLLU, ReadOptions::default());
    assert!(run.errors.is_empty(), "{:?}", run.error_lines());
    // A repeated `# newdoc id` continues the document (as UD PUD does).
    assert_eq!(run.texts(), ["جملة أولى.\nثانية\n", "بلا نص\n"]);
    assert_eq!(run.docs[0].name.as_deref(), Some("d1"));
    assert_eq!(run.docs[1].name.as_deref(), Some("d2"));
    assert_eq!(
        run.note_lines(),
        ["t.conllu: 1 sentence(s) without a `# text =` line: used the FORM column"]
    );
    let opts = ReadOptions {
        conllu_form: true,
        ..ReadOptions::default()
    };
    let run = read_bytes("t.conllu", CONLLU, opts);
    assert_eq!(run.texts(), ["جملة أولى .\nو به\n", "بلا نص\n"]);
    assert!(run.notes.is_empty());
}

#[test]
fn conllu_without_newdoc_is_one_document_chunked_at_sentences() {
    let mut s = String::new();
    for i in 0..50 {
        s.push_str(&format!(
            "# text = جملة رقم {i}\n1\tجملة\t_\t_\t_\t_\t0\troot\t_\t_\n\n"
        ));
    }
    let run = read_bytes("t.conllu", s, chunked(100));
    assert_eq!(run.docs.len(), 1);
    let d = &run.docs[0];
    assert!(d.chunks.len() > 5);
    assert!(d.chunks.iter().all(|c| c.text.ends_with('\n')));
    assert_eq!(d.text.lines().count(), 50);
    assert_eq!(d.text.lines().nth(7), Some("جملة رقم 7"));
}

#[test]
fn format_option_overrides_detection() {
    let opts = ReadOptions {
        format: Some(Format::Text),
        ..ReadOptions::default()
    };
    let run = read_bytes("x.json", "[1, 2]", opts);
    assert_eq!(run.texts(), ["[1, 2]"]);
    let opts = ReadOptions {
        format: Some(Format::Csv),
        ..ReadOptions::default()
    };
    let run = read_bytes("x.txt", "text\nأ\n", opts);
    assert_eq!(run.texts(), ["أ"]);
}
