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
    /// Most nodes one document may hold, counting every copy an alias makes; also the most
    /// nodes the aliases of one whole file may copy.
    pub max_nodes: usize,
    /// Most documents read from one file; the rest are reported, not read.
    pub max_documents: usize,
    /// Most bytes of text that aliases (and the copies kept of anchored values for them) may
    /// copy in one file, or twice the file's own size if that is larger: aliases may at most
    /// triple what a file costs to hold.
    pub max_alias_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        // A real record is about 100 nodes and 5 levels deep, and one file holds at most a
        // few thousand of them: these leave ample room.
        Limits {
            max_depth: 64,
            max_nodes: 200_000,
            max_documents: 10_000,
            max_alias_bytes: 1024 * 1024,
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

    /// How many nodes this node holds, with itself, and how many bytes of text.
    fn weight(&self) -> Weight {
        match &self.kind {
            NodeKind::Scalar { text, .. } => Weight {
                nodes: 1,
                bytes: text.len(),
            },
            NodeKind::List(items) => items
                .iter()
                .fold(Weight::ONE, |sum, item| sum.plus(item.weight())),
            NodeKind::Map(entries) => entries.iter().fold(Weight::ONE, |sum, entry| {
                sum.plus(Weight {
                    nodes: 1,
                    bytes: entry.key.len(),
                })
                .plus(entry.value.weight())
            }),
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

/// Nodes and bytes of text: what a tree costs to hold.
#[derive(Clone, Copy, Debug, Default)]
struct Weight {
    nodes: usize,
    bytes: usize,
}

impl Weight {
    const ONE: Weight = Weight { nodes: 1, bytes: 0 };

    fn plus(self, other: Weight) -> Weight {
        Weight {
            nodes: self.nodes.saturating_add(other.nodes),
            bytes: self.bytes.saturating_add(other.bytes),
        }
    }
}

/// What became of one `---` document.
#[derive(Debug)]
pub enum Document {
    Parsed(Node),
    /// The document could not be read; when `fatal` is set, the documents after it up to the
    /// next `---` marker were not read either (a syntax error leaves the parser nowhere to
    /// resume before it).
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
///
/// The text is cut at its document markers first (see [`pieces`]) and each piece parsed on
/// its own, so a syntax error loses only its own document, never the rest of the file. Past
/// `max_documents` documents, one failure says how many were left unread, and parsing stops.
pub fn each_document(text: &str, limits: Limits, mut on_document: impl FnMut(Document)) {
    let mut aliases = Weight::default();
    let alias_budget = Weight {
        nodes: limits.max_nodes,
        bytes: limits.max_alias_bytes.max(text.len().saturating_mul(2)),
    };
    let mut documents = 0;
    let mut pieces = pieces(text);
    while let Some(piece) = pieces.next() {
        let mut over: Option<Span> = None;
        let mut hand_over = |document: Document| {
            if over.is_some() {
                return false;
            }
            if documents == limits.max_documents {
                over = Some(match &document {
                    Document::Parsed(root) => root.span,
                    Document::Failed { error, .. } => error.span,
                });
                return false;
            }
            documents += 1;
            on_document(document);
            true
        };
        let place = Place {
            positions: Positions::new(&text[piece.start..piece.end]),
            offset: piece.start,
            lines_before: piece.line - 1,
        };
        parse_piece(&place, limits, alias_budget, &mut aliases, &mut hand_over);
        if let Some(span) = over {
            // This document and every later piece that holds something were not read.
            let unread = 1 + pieces
                .filter(|piece| has_content(&text[piece.start..piece.end]))
                .count();
            on_document(Document::Failed {
                error: YamlError {
                    message: format!(
                        "this file holds more than {} documents, more than mocheck checks in one file, so this one and the rest after it ({unread} in all) were not checked; split the file into smaller ones",
                        limits.max_documents
                    ),
                    span: Span {
                        end: span.start,
                        ..span
                    },
                    related: None,
                },
                fatal: true,
            });
            return;
        }
    }
}

/// Where a piece of the text lies in the whole file, so its spans are the file's.
struct Place<'a> {
    positions: Positions<'a>,
    offset: usize,
    lines_before: u32,
}

/// Parses one piece; `hand_over` returns false when no more documents are wanted.
fn parse_piece(
    place: &Place,
    limits: Limits,
    alias_budget: Weight,
    aliases: &mut Weight,
    hand_over: &mut impl FnMut(Document) -> bool,
) {
    let mut builder = Builder::new(place, limits, alias_budget, *aliases);
    let mut skip_rest_of_document = false;
    for event in Parser::new_from_str(place.positions.text()) {
        let (event, span) = match event {
            Ok(pair) => pair,
            Err(error) => {
                hand_over(Document::Failed {
                    error: scan_error(&error, place),
                    fatal: true,
                });
                break;
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
                        if !root.is_null() && !hand_over(Document::Parsed(root)) {
                            break;
                        }
                    }
                }
            }
            _ if skip_rest_of_document => {}
            event => {
                if let Err(error) = builder.on_event(event, span) {
                    skip_rest_of_document = true;
                    if !hand_over(Document::Failed {
                        error,
                        fatal: false,
                    }) {
                        break;
                    }
                }
            }
        }
    }
    *aliases = builder.aliases;
}

/// A stretch of the text that starts at a line start: `line` is its 1-based line number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Piece {
    start: usize,
    end: usize,
    line: u32,
}

/// The text cut into pieces at its document markers: before each `---` line (unless all
/// before it in the piece is blank lines, comments and directives, which belong to the
/// document the marker starts) and after each `...` line. YAML forbids both markers inside
/// any scalar, quoted or block, at the start of a line, so a cut never splits a value of a
/// well-formed file; in a broken one it keeps the damage to one document. A piece may still
/// hold several documents (a bare document after `...` is one); the cuts only isolate
/// errors. Lines end at `\n`, `\r\n` or a lone `\r`, as YAML counts them.
fn pieces(text: &str) -> impl Iterator<Item = Piece> + '_ {
    let bytes = text.as_bytes();
    // Markers are rare, so they are searched for (fast, with memchr) rather than every line
    // looked at: this runs on every file, ahead of the parser.
    let mut dashes = memchr::memmem::find_iter(bytes, b"---").peekable();
    let mut dots = memchr::memmem::find_iter(bytes, b"...").peekable();
    let mut start = 0;
    let mut line = 1u32;
    std::iter::from_fn(move || {
        if start >= bytes.len() {
            return None;
        }
        let cut = loop {
            let (at, starts_document) = match (dashes.peek(), dots.peek()) {
                (None, None) => break bytes.len(),
                (Some(&dash), Some(&dot)) if dot < dash => (dots.next().unwrap_or(dot), false),
                (Some(&dash), _) => (dashes.next().unwrap_or(dash), true),
                (None, Some(&dot)) => (dots.next().unwrap_or(dot), false),
            };
            if at < start || (at > 0 && !matches!(bytes[at - 1], b'\n' | b'\r')) {
                continue;
            }
            if starts_document {
                // A `---` after only comments and directives starts the piece's document.
                if at > start
                    && is_marker(&bytes[at..], *b"---")
                    && !only_preamble(&bytes[start..at])
                {
                    break at;
                }
            } else if is_marker(&bytes[at..], *b"...") {
                let after = line_after(bytes, at);
                if after < bytes.len() {
                    break after;
                }
            }
        };
        let piece = Piece {
            start,
            end: cut,
            line,
        };
        line = line.saturating_add(line_breaks(&bytes[start..cut]));
        start = cut;
        Some(piece)
    })
}

/// Where the line after the one holding `at` starts (or the end of the text).
fn line_after(bytes: &[u8], at: usize) -> usize {
    match memchr::memchr2(b'\n', b'\r', &bytes[at..]) {
        None => bytes.len(),
        Some(offset) => {
            let end = at + offset;
            if bytes[end] == b'\r' && bytes.get(end + 1) == Some(&b'\n') {
                end + 2
            } else {
                end + 1
            }
        }
    }
}

/// Line breaks as YAML counts them: `\n`, `\r\n` and a lone `\r`.
fn line_breaks(bytes: &[u8]) -> u32 {
    let newlines = memchr::memchr_iter(b'\n', bytes).count();
    let lone_returns = memchr::memchr_iter(b'\r', bytes)
        .filter(|at| bytes.get(at + 1) != Some(&b'\n'))
        .count();
    u32::try_from(newlines + lone_returns).unwrap_or(u32::MAX)
}

/// Where the last line that is not blank, a comment, a directive or `...` ends.
fn content_end(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut end = bytes.len();
    while end > 0 {
        let line_end = bytes[..end]
            .iter()
            .rposition(|byte| !matches!(byte, b'\n' | b'\r'))
            .map_or(0, |at| at + 1);
        let line_start = memchr::memrchr2(b'\n', b'\r', &bytes[..line_end]).map_or(0, |at| at + 1);
        let line = &bytes[line_start..line_end];
        if !is_preamble(line) && !is_marker(line, *b"...") {
            return line_end;
        }
        end = line_start;
    }
    text.trim_end_matches(['\n', '\r']).len()
}

/// Whether all of `bytes` is blank lines, comments and directives.
fn only_preamble(bytes: &[u8]) -> bool {
    bytes
        .split(|byte| matches!(byte, b'\n' | b'\r'))
        .all(is_preamble)
}

/// True when `line` starts with the marker followed by a space, a tab, a line break or the end.
fn is_marker(line: &[u8], marker: [u8; 3]) -> bool {
    line.starts_with(&marker) && matches!(line.get(3), None | Some(b' ' | b'\t' | b'\n' | b'\r'))
}

/// A line that comes before a document's content: blank, a comment or a directive.
fn is_preamble(line: &[u8]) -> bool {
    let trimmed = line.trim_ascii_start();
    trimmed.is_empty() || trimmed[0] == b'#' || line[0] == b'%'
}

/// Whether a piece holds anything but markers, blank lines, comments and directives.
fn has_content(piece: &str) -> bool {
    piece.lines().any(|line| {
        let bytes = line.as_bytes();
        let rest = if is_marker(bytes, *b"---") || is_marker(bytes, *b"...") {
            &bytes[3..]
        } else {
            bytes
        };
        !is_preamble(rest)
    })
}

fn scan_error(error: &ScanError, place: &Place) -> YamlError {
    let marker = error.marker();
    let text = place.positions.text();
    let mut within = place.positions.byte_offset(marker.index());
    if within == text.len() {
        // At the end of the piece, i.e. on the line of the next document's `---`: point at
        // the end of this document's last line of content instead, where the reader looks.
        within = content_end(text);
    }
    // The scanner's own line can be one past the last at the end of the input; the byte
    // offset is exact, so the line and column are taken from it.
    let (line, column) = place.positions.line_column(within);
    let line = line.saturating_add(place.lines_before);
    let start = place.offset + within;
    let info = error.info();
    // The scanner's wording is for YAML experts; say the common cases plainly.
    let message = if info.contains("recursion limit") {
        "this value is nested too deeply to be a decision record, so the file was not read"
            .to_string()
    } else if info.contains("unknown anchor") {
        "this alias refers to an anchor that is not defined before it".to_string()
    } else if info.contains("quoted scalar") && info.contains("end of stream") {
        "a quote opened here is not closed before the end of the document".to_string()
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
    place: &'p Place<'a>,
    limits: Limits,
    stack: Vec<Open>,
    anchors: Vec<(usize, Node)>,
    nodes: usize,
    /// What the aliases of the whole file have copied so far, and may copy at most.
    aliases: Weight,
    alias_budget: Weight,
    root: Option<Node>,
}

impl<'p, 'a> Builder<'p, 'a> {
    fn new(place: &'p Place<'a>, limits: Limits, alias_budget: Weight, aliases: Weight) -> Self {
        Builder {
            place,
            limits,
            stack: Vec::new(),
            anchors: Vec::new(),
            nodes: 0,
            aliases,
            alias_budget,
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
        let start_byte = self.place.offset + self.place.positions.byte_offset(start.index());
        let end_byte = self.place.offset + self.place.positions.byte_offset(end.index());
        Span {
            line: u32::try_from(start.line())
                .unwrap_or(u32::MAX)
                .saturating_add(self.place.lines_before),
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

    /// Counts a copy of a tree against the document's nodes and the file's budget for copies.
    /// The budget is in bytes as well as nodes: a few aliases of one long text cost as much
    /// as millions of nodes. The copy an anchor keeps for its aliases costs its bytes only, so
    /// that a file of many records, each with an anchor, is not refused for that alone.
    fn count_copy(&mut self, weight: Weight, span: Span, alias: bool) -> Result<(), YamlError> {
        self.count(weight.nodes, span)?;
        self.aliases = self.aliases.plus(Weight {
            nodes: if alias { weight.nodes } else { 0 },
            bytes: weight.bytes,
        });
        if self.aliases.nodes > self.alias_budget.nodes
            || self.aliases.bytes > self.alias_budget.bytes
        {
            return Err(YamlError {
                message: format!(
                    "the aliases in this file copy more than {} values or {} KB of text, far more than decision records need, so this document was not read",
                    self.alias_budget.nodes,
                    self.alias_budget.bytes / 1024
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
                let Some(index) = self.anchors.iter().rposition(|(id, _)| *id == anchor) else {
                    return Err(YamlError {
                        message: "this alias refers to an anchor that is not defined before it"
                            .to_string(),
                        span,
                        related: None,
                    });
                };
                // Counted before it is copied, so a copy over the budget is never made.
                self.count_copy(self.anchors[index].1.weight(), span, true)?;
                let target = self.anchors[index].1.clone();
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
            self.count_copy(node.weight(), node.span, false)?;
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

    /// (start line, text) of each piece.
    fn cut(text: &str) -> Vec<(u32, &str)> {
        pieces(text)
            .map(|piece| (piece.line, &text[piece.start..piece.end]))
            .collect()
    }

    #[test]
    fn the_text_is_cut_at_document_markers_only() {
        assert_eq!(
            cut("a: 1\n---\nb: 2\n--- # c\nc: 3"),
            [(1, "a: 1\n"), (2, "---\nb: 2\n"), (4, "--- # c\nc: 3")]
        );
        // Comments and directives before a marker stay with the document it starts.
        assert_eq!(
            cut("# head\n%YAML 1.2\n---\na: 1\n...\n%YAML 1.2\n---\nb: 2\n"),
            [
                (1, "# head\n%YAML 1.2\n---\na: 1\n...\n"),
                (6, "%YAML 1.2\n---\nb: 2\n")
            ]
        );
        // Not markers: indented, inside a word, or `----`.
        let whole = "a: |\n  ---\n  text\nb: ---x\n----\n";
        assert_eq!(cut(whole), [(1, whole)]);
        // Lines end at `\r\n` and at a lone `\r`, as YAML counts them.
        assert_eq!(
            cut("a: 1\r\n---\rb: 2\r---\n"),
            [(1, "a: 1\r\n"), (2, "---\rb: 2\r"), (4, "---\n")]
        );
        assert!(cut("").is_empty());
    }

    /// The cuts of [`pieces`] worked out line by line, the plain way, to hold it to.
    fn cut_line_by_line(text: &str) -> Vec<(u32, &str)> {
        let bytes = text.as_bytes();
        let mut lines = Vec::new(); // (start, end of line, start of next)
        let mut position = 0;
        while position < bytes.len() {
            let end = bytes[position..]
                .iter()
                .position(|byte| matches!(byte, b'\n' | b'\r'))
                .map_or(bytes.len(), |at| position + at);
            let next = match bytes.get(end) {
                Some(b'\r') if bytes.get(end + 1) == Some(&b'\n') => end + 2,
                Some(_) => end + 1,
                None => end,
            };
            lines.push((position, end, next));
            position = next;
        }
        let mut pieces = Vec::new();
        let (mut start, mut start_line, mut preamble) = (0, 1, true);
        for (index, (line_start, end, next)) in lines.iter().copied().enumerate() {
            let line = &bytes[line_start..end];
            if line_start > start && is_marker(line, *b"---") && !preamble {
                pieces.push((start_line, &text[start..line_start]));
                (start, start_line) = (line_start, u32::try_from(index + 1).unwrap());
                preamble = true;
            }
            preamble &= is_preamble(line);
            if is_marker(line, *b"...") && next < bytes.len() {
                pieces.push((start_line, &text[start..next]));
                (start, start_line) = (next, u32::try_from(index + 2).unwrap());
                preamble = true;
            }
        }
        if start < bytes.len() {
            pieces.push((start_line, &text[start..]));
        }
        pieces
    }

    proptest::proptest! {
        #[test]
        fn pieces_are_cut_where_a_line_by_line_reading_cuts(
            text in "([-.#% a\\n\\r]|---|\\.\\.\\.|\\n---\\n|%YAML 1.2\\n){0,40}"
        ) {
            proptest::prop_assert_eq!(cut(&text), cut_line_by_line(&text));
        }
    }

    /// The first line of each document as parsed, or the error's line and message.
    fn outline(text: &str) -> Vec<Result<u32, (u32, String)>> {
        parse_documents(text, Limits::default())
            .into_iter()
            .map(|document| match document {
                Document::Parsed(root) => Ok(root.span.line),
                Document::Failed { error, .. } => Err((error.span.line, error.message)),
            })
            .collect()
    }

    #[test]
    fn a_broken_document_fails_alone_and_later_lines_stay_right() {
        let good = "a: 1\n";
        let unclosed = "a: 'unclosed\n";
        let undefined = "a: *nowhere\n";
        for (bad, words) in [(unclosed, "not closed"), (undefined, "not defined")] {
            for place in 0..3 {
                let mut documents = [good; 3];
                documents[place] = bad;
                let text = format!("---\n{}", documents.join("---\n"));
                let found = outline(&text);
                assert_eq!(found.len(), 3, "{text:?}: {found:?}");
                for (index, outcome) in found.iter().enumerate() {
                    let line = 2 + 2 * u32::try_from(index).unwrap();
                    match outcome {
                        Ok(at) => assert_eq!((index != place, *at), (true, line), "{text:?}"),
                        Err((at, message)) => {
                            assert_eq!((index, *at), (place, line), "{text:?}");
                            assert!(message.contains(words), "{message}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn spans_after_a_cut_are_the_files_bytes() {
        let text = "title: é\n---\ntitle: ü\nreference: X-2\n";
        let Some(Document::Parsed(root)) = parse_documents(text, Limits::default()).pop() else {
            panic!()
        };
        let NodeKind::Map(entries) = root.kind else {
            panic!()
        };
        let span = entries[1].value.span;
        assert_eq!(&text[span.start..span.end], "X-2");
        assert_eq!((span.line, span.column), (4, 12));
    }

    #[test]
    fn documents_past_the_bound_are_counted_not_read() {
        let limits = Limits {
            max_documents: 3,
            ..Limits::default()
        };
        let text = "---\na: 1\n".repeat(5) + "---\n# only a comment\n";
        let documents = parse_documents(&text, limits);
        assert_eq!(documents.len(), 4);
        let Document::Failed { error, .. } = &documents[3] else {
            panic!("{documents:?}")
        };
        assert_eq!(error.span.line, 8, "at the fourth document");
        assert!(error.message.contains("(2 in all)"), "{}", error.message);
    }

    #[test]
    fn aliases_are_budgeted_in_bytes_across_the_file() {
        let long = "x".repeat(100_000);
        let mut text = format!("s: &s {long}\nl:\n");
        for _ in 0..100 {
            text.push_str("  - *s\n");
        }
        let error = first_error(&text);
        assert!(error.message.contains("aliases in this file"), "{error:?}");
        // A few copies are fine, and the budget is the file's, not each document's.
        let few = format!("s: &s {long}\nl: [*s, *s, *s]\n");
        let twice = format!("{few}---\n{few}---\n{few}");
        let outcomes = outline(&twice);
        assert!(outcomes[0].is_ok() && outcomes[1].is_ok(), "{outcomes:?}");
        assert!(outcomes.iter().any(Result::is_err), "{outcomes:?}");
    }

    #[test]
    fn syntax_errors_are_located() {
        let error = first_error("title: a\n  reference: b\n");
        assert_eq!(error.span.line, 2);
    }
}
