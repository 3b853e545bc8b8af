//! YAML text -> a tree of nodes, every key and value with its span. Bounded: nesting depth,
//! alias expansion and node count are limited so hostile input fails fast. No record
//! semantics here: scalars stay text until the record builder knows what a field should hold.

use saphyr_parser::{Event, Parser, ScalarStyle, ScanError, Span as ParserSpan};

use super::source::{Positions, Span};

/// Bounds that keep a hostile file from costing unbounded time or memory.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Deepest nesting of mappings and lists accepted.
    pub max_depth: usize,
    /// Most nodes one document may hold, counting every copy an alias makes.
    pub max_nodes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        // A real record is about 100 nodes and 5 levels deep: these leave ample room.
        Limits {
            max_depth: 64,
            max_nodes: 200_000,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub kind: NodeKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum NodeKind {
    /// A scalar as written; `plain` is false when quoted or a block scalar, which makes
    /// `null`, `true` or `12` plain text.
    Scalar {
        text: String,
        plain: bool,
    },
    List(Vec<Node>),
    Map(Vec<Entry>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub key: String,
    pub key_span: Span,
    pub value: Node,
}

/// An empty plain scalar: what is left where a node was taken out of its tree.
impl Default for Node {
    fn default() -> Self {
        Node {
            kind: NodeKind::Scalar {
                text: String::new(),
                plain: true,
            },
            span: Span::default(),
        }
    }
}

impl Node {
    /// True for the YAML spellings of "nothing": an empty plain scalar, `~` and `null`.
    pub fn is_null(&self) -> bool {
        matches!(&self.kind, NodeKind::Scalar { text, plain: true }
            if matches!(text.as_str(), "" | "~" | "null" | "Null" | "NULL"))
    }

    /// What kind of value this is, in words, for messages.
    pub fn describe(&self) -> String {
        match &self.kind {
            NodeKind::Scalar { text, .. } if self.is_null() && text.is_empty() => {
                "nothing".to_string()
            }
            NodeKind::Scalar { text, .. } => format!("`{}`", shorten(text)),
            NodeKind::List(_) => "a list".to_string(),
            NodeKind::Map(_) => "a mapping".to_string(),
        }
    }

    fn size(&self) -> usize {
        match &self.kind {
            NodeKind::Scalar { .. } => 1,
            NodeKind::List(items) => 1 + items.iter().map(Node::size).sum::<usize>(),
            NodeKind::Map(entries) => 1 + entries.iter().map(|e| 1 + e.value.size()).sum::<usize>(),
        }
    }
}

/// Long values are cut in messages so one bad field cannot flood the output.
pub fn shorten(text: &str) -> String {
    const MAX: usize = 60;
    let one_line = text.lines().next().unwrap_or("");
    if one_line.chars().count() > MAX || one_line.len() < text.len() {
        let cut: String = one_line.chars().take(MAX).collect();
        format!("{cut}…")
    } else {
        one_line.to_string()
    }
}

/// A problem that makes a document unreadable, with where it is.
#[derive(Clone, Debug, PartialEq)]
pub struct YamlError {
    pub message: String,
    pub span: Span,
    /// A second place worth showing, e.g. the first of two duplicate keys.
    pub related: Option<(Span, String)>,
}

/// What became of one `---` document.
#[derive(Debug)]
pub enum Document {
    Parsed(Node),
    /// The document could not be read; later documents in the file were not read either
    /// when `fatal` is set (a syntax error leaves the parser nowhere to resume).
    Failed {
        error: YamlError,
        fatal: bool,
    },
}

/// Parses every document of a file. Documents that hold nothing (empty files, comments only,
/// a bare `---`) are left out: they are not records and not errors.
pub fn parse_documents(text: &str, limits: Limits) -> Vec<Document> {
    let mut documents = Vec::new();
    each_document(text, limits, |document| documents.push(document));
    documents
}

/// Parses every document of a file, handing each over as soon as it is complete, so a
/// caller can build its record while the tree is fresh in the cache and drop the tree.
pub fn each_document(text: &str, limits: Limits, mut on_document: impl FnMut(Document)) {
    let positions = Positions::new(text);
    let mut builder = Builder::new(&positions, limits);
    let mut skip_rest_of_document = false;
    for event in Parser::new_from_str(text) {
        let (event, span) = match event {
            Ok(pair) => pair,
            Err(error) => {
                on_document(Document::Failed {
                    error: scan_error(&error, &positions),
                    fatal: true,
                });
                return;
            }
        };
        match event {
            Event::DocumentStart(_) => {
                builder.reset();
                skip_rest_of_document = false;
            }
            Event::DocumentEnd => {
                if !skip_rest_of_document {
                    if let Some(root) = builder.root.take() {
                        if !root.is_null() {
                            on_document(Document::Parsed(root));
                        }
                    }
                }
            }
            _ if skip_rest_of_document => {}
            event => {
                if let Err(error) = builder.on_event(event, span) {
                    on_document(Document::Failed {
                        error,
                        fatal: false,
                    });
                    skip_rest_of_document = true;
                }
            }
        }
    }
}

fn scan_error(error: &ScanError, positions: &Positions) -> YamlError {
    let marker = error.marker();
    let start = positions.byte_offset(marker.index());
    // The scanner's own line can be one past the last at the end of the input; the byte
    // offset is exact, so the line and column are taken from it.
    let (line, column) = positions.line_column(start);
    let info = error.info();
    // The scanner's wording is for YAML experts; say the common cases plainly.
    let message = if info.contains("recursion limit") {
        "this value is nested too deeply to be a decision record, so the file was not read"
            .to_string()
    } else if info.contains("tab") {
        "a tab is used for indentation here; indent with spaces".to_string()
    } else if info.contains("mapping values are not allowed") {
        "a `key: value` pair is not allowed here; check the indentation of this line, or quote a value that contains `: `"
            .to_string()
    } else if info.contains("did not find expected key") || info.contains("did not find expected") {
        format!("the YAML is not well formed here ({info}); check the indentation and quotes")
    } else {
        format!("the YAML is not well formed here: {info}")
    };
    YamlError {
        message,
        span: Span {
            line,
            column,
            start,
            end: start,
        },
        related: None,
    }
}

/// An open mapping or list waiting for its children.
enum Open {
    List {
        items: Vec<Node>,
        span: Span,
        anchor: usize,
    },
    Map {
        entries: Vec<Entry>,
        pending_key: Option<(String, Span)>,
        span: Span,
        anchor: usize,
    },
}

struct Builder<'p, 'a> {
    positions: &'p Positions<'a>,
    limits: Limits,
    stack: Vec<Open>,
    anchors: Vec<(usize, Node)>,
    nodes: usize,
    root: Option<Node>,
}

impl<'p, 'a> Builder<'p, 'a> {
    fn new(positions: &'p Positions<'a>, limits: Limits) -> Self {
        Builder {
            positions,
            limits,
            stack: Vec::new(),
            anchors: Vec::new(),
            nodes: 0,
            root: None,
        }
    }

    fn reset(&mut self) {
        self.stack.clear();
        self.anchors.clear();
        self.nodes = 0;
        self.root = None;
    }

    fn span(&self, span: ParserSpan) -> Span {
        let (start, end) = (span.start, span.end);
        let start_byte = self.positions.byte_offset(start.index());
        let end_byte = self.positions.byte_offset(end.index());
        Span {
            line: u32::try_from(start.line()).unwrap_or(u32::MAX),
            column: u32::try_from(start.col() + 1).unwrap_or(u32::MAX),
            start: start_byte,
            end: end_byte.max(start_byte),
        }
    }

    fn count(&mut self, nodes: usize, span: Span) -> Result<(), YamlError> {
        self.nodes = self.nodes.saturating_add(nodes);
        if self.nodes > self.limits.max_nodes {
            return Err(YamlError {
                message: format!(
                    "this document expands to more than {} values (through aliases or sheer size); a decision record is far smaller, so it was not read",
                    self.limits.max_nodes
                ),
                span,
                related: None,
            });
        }
        Ok(())
    }

    fn on_event(&mut self, event: Event<'_>, parser_span: ParserSpan) -> Result<(), YamlError> {
        let span = self.span(parser_span);
        match event {
            Event::Scalar(text, style, anchor, _tag) => {
                self.count(1, span)?;
                let node = Node {
                    kind: NodeKind::Scalar {
                        text: text.into_owned(),
                        plain: style == ScalarStyle::Plain,
                    },
                    span,
                };
                self.finish(node, anchor)
            }
            Event::SequenceStart(anchor, _) => {
                self.open(span)?;
                self.stack.push(Open::List {
                    items: Vec::new(),
                    span,
                    anchor,
                });
                Ok(())
            }
            Event::MappingStart(anchor, _) => {
                self.open(span)?;
                self.stack.push(Open::Map {
                    entries: Vec::new(),
                    pending_key: None,
                    span,
                    anchor,
                });
                Ok(())
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let Some(open) = self.stack.pop() else {
                    return Ok(());
                };
                let (node, anchor) = match open {
                    Open::List {
                        items,
                        span,
                        anchor,
                    } => (
                        Node {
                            kind: NodeKind::List(items),
                            span,
                        },
                        anchor,
                    ),
                    Open::Map {
                        entries,
                        span,
                        anchor,
                        ..
                    } => (
                        Node {
                            kind: NodeKind::Map(entries),
                            span,
                        },
                        anchor,
                    ),
                };
                self.finish(node, anchor)
            }
            Event::Alias(anchor) => {
                let Some(target) = self
                    .anchors
                    .iter()
                    .rev()
                    .find(|(id, _)| *id == anchor)
                    .map(|(_, node)| node.clone())
                else {
                    return Err(YamlError {
                        message: "this alias refers to an anchor that is not defined before it"
                            .to_string(),
                        span,
                        related: None,
                    });
                };
                self.count(target.size(), span)?;
                // The copy points at the alias, so findings on it land where the reader looks.
                let node = Node { span, ..target };
                self.finish(node, 0)
            }
            Event::Nothing
            | Event::StreamStart
            | Event::StreamEnd
            | Event::DocumentStart(_)
            | Event::DocumentEnd => Ok(()),
        }
    }

    fn open(&mut self, span: Span) -> Result<(), YamlError> {
        self.count(1, span)?;
        if self.stack.len() >= self.limits.max_depth {
            return Err(YamlError {
                message: format!(
                    "this value is nested more than {} levels deep; a decision record needs a handful",
                    self.limits.max_depth
                ),
                span,
                related: None,
            });
        }
        Ok(())
    }

    /// Places a completed node in its parent, or makes it the document's root.
    fn finish(&mut self, node: Node, anchor: usize) -> Result<(), YamlError> {
        if anchor != 0 {
            self.count(node.size(), node.span)?;
            self.anchors.push((anchor, node.clone()));
        }
        match self.stack.last_mut() {
            None => {
                self.root = Some(node);
                Ok(())
            }
            Some(Open::List { items, .. }) => {
                items.push(node);
                Ok(())
            }
            Some(Open::Map {
                entries,
                pending_key,
                ..
            }) => match pending_key.take() {
                None => {
                    let NodeKind::Scalar { text, .. } = node.kind else {
                        return Err(YamlError {
                            message: "a key must be a plain name, not a list or a mapping"
                                .to_string(),
                            span: node.span,
                            related: None,
                        });
                    };
                    // Duplicate keys are kept: the record builder reports them with their path.
                    *pending_key = Some((text, node.span));
                    Ok(())
                }
                Some((key, key_span)) => {
                    entries.push(Entry {
                        key,
                        key_span,
                        value: node,
                    });
                    Ok(())
                }
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fmt::Write as _;

    fn parse_one(text: &str) -> Node {
        match parse_documents(text, Limits::default()).pop() {
            Some(Document::Parsed(node)) => node,
            other => panic!("expected one document, got {other:?}"),
        }
    }

    fn first_error(text: &str) -> YamlError {
        parse_documents(text, Limits::default())
            .into_iter()
            .find_map(|document| match document {
                Document::Failed { error, .. } => Some(error),
                Document::Parsed(_) => None,
            })
            .expect("an error")
    }

    #[test]
    fn values_keep_line_column_and_bytes() {
        let text = "title: Café\nreference: X-1\n";
        let NodeKind::Map(entries) = parse_one(text).kind else {
            panic!()
        };
        let reference = &entries[1];
        assert_eq!((reference.key_span.line, reference.key_span.column), (2, 1));
        assert_eq!(
            &text[reference.value.span.start..reference.value.span.end],
            "X-1"
        );
        assert_eq!(reference.value.span.column, 12);
    }

    #[test]
    fn a_lone_carriage_return_keeps_spans_on_their_values() {
        // A `\r` alone is a line break to YAML; the byte offsets must still land on the value.
        let text = "# £ é\rreference: X-1\ntitle: Café\n";
        let NodeKind::Map(entries) = parse_one(text).kind else {
            panic!()
        };
        let reference = &entries[0];
        assert_eq!((reference.key_span.line, reference.key_span.column), (2, 1));
        assert_eq!(
            &text[reference.value.span.start..reference.value.span.end],
            "X-1"
        );
        let title = &entries[1].value.span;
        assert_eq!(&text[title.start..title.end], "Café");
        assert_eq!(title.line, 3);
    }

    #[test]
    fn alias_bombs_are_refused() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for level in 1..12 {
            let previous = level - 1;
            let aliases = vec![format!("*a{previous}"); 10].join(", ");
            writeln!(text, "a{level}: &a{level} [{aliases}]").unwrap();
        }
        let error = first_error(&text);
        assert!(error.message.contains("expands to more than"));
    }

    #[test]
    fn deep_nesting_is_refused() {
        let text = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        let message = first_error(&text).message;
        assert!(message.contains("nested"), "{message}");
    }

    #[test]
    fn empty_and_comment_only_files_hold_no_documents() {
        assert!(parse_documents("", Limits::default()).is_empty());
        assert!(parse_documents("# nothing yet\n", Limits::default()).is_empty());
        assert!(parse_documents("---\n", Limits::default()).is_empty());
    }

    #[test]
    fn a_syntax_error_at_the_very_end_is_on_the_last_line() {
        // No newline at the end: the scanner's own position is a line past the file's end.
        let error = first_error("a: 1\nb");
        assert_eq!(
            (error.span.line, error.span.column, error.span.start),
            (2, 2, 6)
        );
    }

    #[test]
    fn syntax_errors_are_located() {
        let error = first_error("title: a\n  reference: b\n");
        assert_eq!(error.span.line, 2);
    }
}
