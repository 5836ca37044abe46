//! Negation: which stretches of a request the viewer does *not* want.
//!
//! NegEx-style (Chapman et al., 2001: trigger phrases, pseudo-triggers, terminators and a
//! word window), tuned for short requests; no maintained Rust crate does this, and the rule
//! set is small. Every reader of the query (rule parser, keyword rules, the text that is
//! embedded) takes its positive signals from [`NegationSplit::wanted`] only, so "but not
//! scary" can never add the *scary* mood.
//!
//! - **Cues**: "not", "no", "nothing", "none (of)", "without", "minus", "except",
//!   "excluding", "avoid", "skip", "don't", "doesn't", "isn't", "aren't", "shouldn't",
//!   "hate", "dislike", "anything but", "anything except", "other than", "rather than",
//!   "instead of", "free of", "can't stand", "tired of", "sick of", "fed up with",
//!   "stay away from", "steer clear of", "spare me", "leave out"; and a word ending in
//!   "-free" negates its stem ("gore-free"). "not too X", "no more X", "don't want X" are
//!   these cues followed by their scope.
//! - **Scope**: the words after the cue, up to a comma or sentence mark, a word that starts
//!   a new thought ("but", "and", "for", "in", "on", "with", "please", ...), the next cue, or
//!   [`MAX_SCOPE_WORDS`] words. "or"/"nor" keep it going ("nothing scary or violent"), and so
//!   does a relative clause after a head noun ("no movies about war"). Trailing head nouns go
//!   back to the wanted text ("no horror movies" still asks for movies).
//! - **Not negations**: pseudo-cues ("not only", "not just", "nothing but", "no doubt",
//!   "don't mind", "not to mention", comparisons such as "no more than 90 minutes", which
//!   the runtime parser reads), hyphenated compounds ("no-nonsense"), and titles: a
//!   capitalised cue before a capitalised word that is not a genre ("No Country for Old
//!   Men", "Don't Look Up"), or a cue right after "movies like", "similar to", "watched"...

use std::ops::Range;

use crate::genres::CANONICAL_GENRES;

/// The longest scope a cue can have, in words (NegEx uses five or six).
pub const MAX_SCOPE_WORDS: usize = 6;

/// Negation cues as word sequences, multi-word ones first so the longest wins.
const CUES: &[&[&str]] = &[
    &["anything", "other", "than"],
    &["fed", "up", "with"],
    &["stay", "away", "from"],
    &["steer", "clear", "of"],
    &["anything", "but"],
    &["anything", "except"],
    &["other", "than"],
    &["rather", "than"],
    &["instead", "of"],
    &["free", "of"],
    &["none", "of"],
    &["can't", "stand"],
    &["cant", "stand"],
    &["cannot", "stand"],
    &["tired", "of"],
    &["sick", "of"],
    &["spare", "me"],
    &["leave", "out"],
    &["not"],
    &["no"],
    &["nothing"],
    &["none"],
    &["without"],
    &["minus"],
    &["except"],
    &["excluding"],
    &["avoid"],
    &["avoiding"],
    &["skip"],
    &["skipping"],
    &["don't"],
    &["dont"],
    &["doesn't"],
    &["doesnt"],
    &["isn't"],
    &["isnt"],
    &["aren't"],
    &["arent"],
    &["shouldn't"],
    &["shouldnt"],
    &["hate"],
    &["dislike"],
];

/// Words right after a cue that make it no negation at all.
const PSEUDO: &[&[&str]] = &[
    // Additive: "not only funny but smart", "nothing but action", "not to mention".
    &["only"],
    &["just"],
    &["merely"],
    &["simply"],
    &["but"],
    &["least"],
    &["to", "mention"],
    &["short", "of"],
    // Double negatives and acceptance: "not without charm", "don't mind horror".
    &["without"],
    &["against"],
    &["opposed"],
    &["mind"],
    &["bad"],
    // Idioms: "no doubt", "no shortage of action", "nothing beats a heist".
    &["doubt"],
    &["matter"],
    &["wonder"],
    &["shortage"],
    &["end"],
    &["lack"],
    &["problem"],
    &["beats"],
    // Comparisons (runtime, years), read by the runtime parser: "no more than 90 minutes".
    &["more", "than"],
    &["longer", "than"],
    &["shorter", "than"],
    &["later", "than"],
    &["earlier", "than"],
    &["older", "than"],
    &["newer", "than"],
    &["than"],
    &["less"],
    &["fewer"],
    &["over"],
    &["under"],
    &["above"],
    &["below"],
    &["before"],
    &["after"],
];

/// Words that end a scope (once it has a word): they start a new thought.
const TERMINATORS: &[&str] = &[
    "but",
    "and",
    "though",
    "although",
    "yet",
    "so",
    "just",
    "instead",
    "rather",
    "only",
    "please",
    "thanks",
    "that",
    "which",
    "who",
    "where",
    "with",
    "for",
    "from",
    "in",
    "on",
    "set",
    "starring",
    "featuring",
    "involving",
    "about",
    "i",
    "i'm",
    "we",
    "my",
    "our",
    "maybe",
    "also",
    "plus",
    "then",
    "because",
    "since",
    "while",
    "unless",
    "if",
    "when",
    "even",
    "especially",
    "preferably",
    "ideally",
    "something",
];

/// Terminators that instead continue the scope right after a head noun: "no movies about
/// war", "nothing with gore" (the cue's first word is always in scope), "no shows where the
/// dog dies", "not a movie for kids".
const RELATIVE: &[&str] = &[
    "with",
    "about",
    "that",
    "which",
    "who",
    "where",
    "featuring",
    "starring",
    "involving",
    "set",
    "for",
];

/// Nouns that name what is wanted rather than what it is like.
const HEAD_NOUNS: &[&str] = &[
    "movie", "movies", "film", "films", "flick", "flicks", "show", "shows", "series", "tv",
    "stuff", "content", "one", "ones", "title", "titles", "thing", "things",
];

/// Words after "for" that make it a beneficiary ("no horror for my kids"), not a kind.
const POSSESSIVES: &[&str] = &["my", "our", "me", "us", "his", "her", "their", "the"];

/// Words before "like" that make what follows a title ("movies like no country for old men").
const BEFORE_LIKE: &[&str] = &[
    "more",
    "movie",
    "movies",
    "film",
    "films",
    "show",
    "shows",
    "series",
    "something",
    "anything",
    "stuff",
    "things",
    "ones",
    "titles",
    "similar",
    "just",
];

/// Verbs whose object is a title ("i loved no country for old men").
const WATCHED: &[&str] = &[
    "watched",
    "saw",
    "seen",
    "loved",
    "liked",
    "enjoyed",
    "rewatched",
];

/// Words that join or open clauses; dropped at the edges of what remains once a negated
/// clause is cut out ("fun but not scary" → "fun").
const CONNECTORS: &[&str] = &["but", "and", "or", "nor", "yet", "though", "although"];

/// One negated stretch of a query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Negation {
    /// The cue as written ("not", "anything but", "-free").
    pub cue: String,
    /// The negated words as written ("scary", "horror or gore").
    pub scope: String,
    /// Byte range in the query of the cue and its scope.
    pub span: Range<usize>,
}

/// A query cut into what is wanted and what is negated.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NegationSplit {
    /// The query's text outside negated clauses, in order (as written, untrimmed).
    pub wanted: Vec<String>,
    /// Each negation's scope, in order.
    pub negated: Vec<String>,
}

impl NegationSplit {
    /// The wanted pieces joined by full stops, so no phrase spans a cut.
    pub fn wanted_text(&self) -> String {
        self.wanted.join(" . ")
    }
}

#[derive(Debug)]
struct Word {
    start: usize,
    end: usize,
    /// Lower-case, curly apostrophes straightened.
    key: String,
}

#[derive(Debug)]
enum Token {
    Word(Word),
    /// Punctuation that ends a clause.
    Break,
}

/// Words (letters and digits, joined across inner hyphens and apostrophes, so
/// "no-nonsense" and "isn't" are one word) and clause breaks.
fn tokenize(text: &str) -> Vec<Token> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let (start, c) = chars[i];
        if !c.is_alphanumeric() {
            if matches!(
                c,
                ',' | ';'
                    | '.'
                    | '!'
                    | '?'
                    | ':'
                    | '('
                    | ')'
                    | '['
                    | ']'
                    | '-'
                    | '–'
                    | '—'
                    | '&'
                    | '/'
                    | '|'
                    | '+'
            ) {
                tokens.push(Token::Break);
            }
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while let Some(&(_, d)) = chars.get(j) {
            if d.is_alphanumeric() {
                j += 1;
            } else if matches!(d, '\'' | '’' | '-')
                && chars.get(j + 1).is_some_and(|(_, e)| e.is_alphanumeric())
            {
                j += 2;
            } else {
                break;
            }
        }
        let end = chars.get(j).map_or(text.len(), |(p, _)| *p);
        tokens.push(Token::Word(Word {
            start,
            end,
            key: text[start..end].to_lowercase().replace('’', "'"),
        }));
        i = j;
    }
    tokens
}

fn word_at(tokens: &[Token], i: usize) -> Option<&Word> {
    match tokens.get(i) {
        Some(Token::Word(w)) => Some(w),
        Some(Token::Break) | None => None,
    }
}

fn key_at(tokens: &[Token], i: usize) -> Option<&str> {
    word_at(tokens, i).map(|w| w.key.as_str())
}

/// True when the words from `i` on are `seq`.
fn starts_with(tokens: &[Token], i: usize, seq: &[&str]) -> bool {
    seq.iter()
        .enumerate()
        .all(|(k, s)| key_at(tokens, i + k) == Some(*s))
}

/// The length in words of the cue starting at `i`, if any.
fn cue_at(tokens: &[Token], i: usize) -> Option<usize> {
    CUES.iter()
        .find(|cue| starts_with(tokens, i, cue))
        .map(|cue| cue.len())
}

/// Starts upper-case and has a lower-case letter: "No", "Don't", not "NO".
fn title_case(raw: &str) -> bool {
    raw.chars().next().is_some_and(char::is_uppercase) && raw.chars().any(char::is_lowercase)
}

fn is_genre_word(key: &str) -> bool {
    CANONICAL_GENRES.iter().any(|g| {
        let g = g.to_lowercase();
        key == g || key.strip_suffix('s') == Some(g.as_str())
    })
}

/// The cue at `i` (of `len` words) belongs to a title, not to the request.
fn in_title(query: &str, tokens: &[Token], i: usize, len: usize) -> bool {
    let raw = |w: &Word| &query[w.start..w.end];
    let capitalised = word_at(tokens, i).is_some_and(|w| title_case(raw(w)))
        && word_at(tokens, i + len).is_some_and(|w| title_case(raw(w)) && !is_genre_word(&w.key));
    if capitalised {
        return true;
    }
    let before = |back: usize| i.checked_sub(back).and_then(|k| key_at(tokens, k));
    match (before(1), before(2)) {
        (Some(w), _) if WATCHED.contains(&w) => true,
        (Some("like"), Some(w)) => BEFORE_LIKE.contains(&w),
        (Some("to"), Some("similar")) => true,
        (Some("as"), Some("same" | "such")) => true,
        _ => false,
    }
}

/// Where the scope that starts at `from` ends (exclusive token index).
fn scope_end(tokens: &[Token], from: usize) -> usize {
    let mut j = from;
    while j - from < MAX_SCOPE_WORDS {
        let Some(word) = word_at(tokens, j) else {
            break;
        };
        if j > from {
            let key = word.key.as_str();
            if cue_at(tokens, j).is_some() || key.ends_with("-free") {
                break;
            }
            let after_head = key_at(tokens, j - 1).is_some_and(|p| HEAD_NOUNS.contains(&p));
            let relative = after_head
                && RELATIVE.contains(&key)
                && !(key == "for"
                    && key_at(tokens, j + 1).is_some_and(|n| POSSESSIVES.contains(&n)));
            if TERMINATORS.contains(&key) && !relative {
                break;
            }
        }
        j += 1;
    }
    // Trailing head nouns name what is wanted ("no horror movies"), unless they are all
    // that is negated ("no movies").
    let mut end = j;
    while end > from + 1 && key_at(tokens, end - 1).is_some_and(|k| HEAD_NOUNS.contains(&k)) {
        end -= 1;
    }
    end
}

/// Every negation in `query`, in order.
pub fn find_negations(query: &str) -> Vec<Negation> {
    let tokens = tokenize(query);
    let mut found = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let Some(word) = word_at(&tokens, i) else {
            i += 1;
            continue;
        };
        let raw = &query[word.start..word.end];
        if word.key.ends_with("-free")
            && let Some(stem) = raw
                .len()
                .checked_sub("-free".len())
                .and_then(|n| raw.get(..n))
                .filter(|s| !s.is_empty())
        {
            found.push(Negation {
                cue: "-free".to_owned(),
                scope: stem.to_owned(),
                span: word.start..word.end,
            });
            i += 1;
            continue;
        }
        let Some(len) = cue_at(&tokens, i) else {
            i += 1;
            continue;
        };
        let from = i + len;
        let pseudo = PSEUDO.iter().any(|p| starts_with(&tokens, from, p));
        if pseudo || in_title(query, &tokens, i, len) {
            i = from;
            continue;
        }
        let end = scope_end(&tokens, from);
        if end > from
            && let (Some(first), Some(last)) = (word_at(&tokens, from), word_at(&tokens, end - 1))
        {
            let cue_end = word_at(&tokens, from - 1).map_or(word.end, |w| w.end);
            found.push(Negation {
                cue: query[word.start..cue_end].to_owned(),
                scope: query[first.start..last.end].to_owned(),
                span: word.start..last.end,
            });
            i = end;
        } else {
            i = from;
        }
    }
    found
}

/// Splits `query` into its wanted text and its negated scopes.
pub fn split_negations(query: &str) -> NegationSplit {
    let negations = find_negations(query);
    let mut wanted = Vec::new();
    let mut at = 0;
    for n in &negations {
        wanted.push(query[at..n.span.start].to_owned());
        at = n.span.end;
    }
    wanted.push(query[at..].to_owned());
    wanted.retain(|piece| piece.chars().any(char::is_alphanumeric));
    NegationSplit {
        wanted,
        negated: negations.into_iter().map(|n| n.scope).collect(),
    }
}

/// A wanted piece without the punctuation and dangling conjunctions a cut leaves behind.
fn tidy(piece: &str) -> String {
    let dangling = |w: &&str| {
        let core = w
            .trim_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase();
        core.is_empty() || CONNECTORS.contains(&core.as_str())
    };
    let mut words: Vec<&str> = piece.split_whitespace().collect();
    while words.last().is_some_and(dangling) {
        words.pop();
    }
    let first_kept = words
        .iter()
        .position(|w| !dangling(w))
        .unwrap_or(words.len());
    words[first_kept..]
        .join(" ")
        .trim_matches(|c: char| !c.is_alphanumeric() && !matches!(c, ')' | '"' | '\'' | '+'))
        .to_owned()
}

/// `query` with its negated clauses cut out, for text that is embedded (an embedding reads
/// "not scary" as "scary"). A query without negations comes back unchanged.
///
/// "something fun and short but not scary" → "something fun and short".
pub fn strip_negated(query: &str) -> String {
    let negations = find_negations(query);
    if negations.is_empty() {
        return query.to_owned();
    }
    split_negations(query)
        .wanted
        .iter()
        .map(|piece| tidy(piece))
        .filter(|piece| !piece.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
#[path = "negation_tests.rs"]
mod tests;
