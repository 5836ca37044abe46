//! The full-text index behind lexical retrieval: BM25 (tantivy) over every title's name,
//! original name, TMDB keywords, people and overview, English-stemmed ("heists" finds
//! "heist"), built in memory beside the catalog copy each time the copy is loaded.
//!
//! Names and keywords weigh more than overviews: a request that names a thing ("whodunit",
//! "Tom Hanks") is answered by the titles tagged with it before those whose synopsis
//! mentions the word once.

use seen_core::item::ItemId;
use seen_core::lexical::{SearchDoc, SeedText, TextIndex, TextQuery};
use std::collections::HashSet;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::{FAST, Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions};
use tantivy::tokenizer::{TextAnalyzer, TokenStream};
use tantivy::{DocAddress, Index, IndexReader, Searcher, TantivyDocument, Term};

/// Building or searching the index failed.
#[derive(Debug, thiserror::Error)]
#[error("full-text index: {0}")]
pub struct LexicalError(#[from] tantivy::TantivyError);

/// The stemming analyzer tantivy registers by default.
const ANALYZER: &str = "en_stem";

/// The indexing memory budget (tantivy's minimum per thread is 15 MB; a larger catalog is
/// flushed in several segments).
const WRITER_BUDGET: usize = 20_000_000;

/// Field weights: what a title is tagged with counts more than what its synopsis says.
/// Measured with `seenemall eval queries` (session 7): keywords 2.5 → 4 and overview 1 → 0.5
/// took the set from 0.2549 to 0.2693 (people and eras: "films starring Tom Hanks" 0.55 →
/// 0.76); title 1 or people 3 measured no better.
const BOOSTS: [(&str, f32); 5] = [
    ("title", 2.0),
    ("original_title", 1.5),
    ("keywords", 4.0),
    ("people", 2.0),
    ("overview", 0.5),
];

/// "More like X": a shared director counts twice a shared keyword. Measured with `seenemall
/// eval queries` (session 10): the directors took the query set from 0.3839 to 0.4128
/// ("more like Pulp Fiction" 0 → 0.48: Reservoir Dogs, Django Unchained, Inglourious
/// Basterds); the rarer words of the seeds' overviews (more-like-this) measured no better
/// and brought namesakes ("Walter" finds Fringe's Walter Bishop for Breaking Bad).
const TAG_BOOST: f32 = 1.0;
const DIRECTOR_BOOST: f32 = 2.0;

/// A title matching only some of the words scores at most this (one matching all scores up
/// to 1).
const PARTIAL_MATCH: f64 = 0.5;

/// An in-memory BM25 index over [`SearchDoc`]s.
pub struct LexicalIndex {
    searcher: Searcher,
    /// Item ids by segment and document: read once, so a hit costs no column lookup.
    ids: Vec<Vec<ItemId>>,
    /// Keeps the searcher's segments alive.
    _reader: IndexReader,
    analyzer: TextAnalyzer,
    /// Text fields with their boosts.
    fields: Vec<(Field, f32)>,
    /// Each TMDB keyword whole (trimmed, lower-cased, not split into words): what related
    /// titles share.
    tags: Field,
    /// Each director whole, as `tags`.
    directors: Field,
}

impl std::fmt::Debug for LexicalIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LexicalIndex")
            .field("docs", &self.searcher.num_docs())
            .finish()
    }
}

impl LexicalIndex {
    /// Indexes `docs` (one thread: the serving process builds it in the background).
    pub fn build(docs: &[SearchDoc]) -> Result<Self, LexicalError> {
        let mut schema = Schema::builder();
        let id = schema.add_u64_field("id", FAST);
        let text = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(ANALYZER)
                .set_index_option(IndexRecordOption::WithFreqs),
        );
        let whole = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer("raw")
                .set_index_option(IndexRecordOption::WithFreqs),
        );
        let tags = schema.add_text_field("tags", whole.clone());
        let directors = schema.add_text_field("directors", whole);
        let fields: Vec<(Field, f32)> = BOOSTS
            .iter()
            .map(|(name, boost)| (schema.add_text_field(name, text.clone()), *boost))
            .collect();
        let index = Index::create_in_ram(schema.build());
        let mut writer = index.writer_with_num_threads::<TantivyDocument>(1, WRITER_BUDGET)?;
        let [title, original, keywords, people, overview] = [0, 1, 2, 3, 4].map(|i| fields[i].0);
        for d in docs {
            let mut doc = TantivyDocument::default();
            doc.add_u64(id, u64::try_from(d.id).unwrap_or_default());
            doc.add_text(title, &d.title);
            if let Some(o) = d.original_title.as_deref().filter(|o| *o != d.title) {
                doc.add_text(original, o);
            }
            for k in &d.keywords {
                doc.add_text(keywords, k);
                doc.add_text(tags, whole_term(k));
            }
            for p in &d.people {
                doc.add_text(people, p);
            }
            for p in &d.directors {
                doc.add_text(directors, whole_term(p));
            }
            if let Some(o) = &d.overview {
                doc.add_text(overview, o);
            }
            writer.add_document(doc)?;
        }
        writer.commit()?;
        let reader = index.reader()?;
        let analyzer = index.tokenizers().get(ANALYZER).ok_or_else(|| {
            tantivy::TantivyError::InternalError(format!("no {ANALYZER} analyzer"))
        })?;
        let searcher = reader.searcher();
        let ids = searcher
            .segment_readers()
            .iter()
            .map(|segment| {
                let column = segment.fast_fields().u64("id")?;
                Ok((0..segment.max_doc())
                    .map(|doc| {
                        column
                            .first(doc)
                            .and_then(|id| ItemId::try_from(id).ok())
                            .unwrap_or_default()
                    })
                    .collect())
            })
            .collect::<Result<Vec<Vec<ItemId>>, tantivy::TantivyError>>()?;
        Ok(LexicalIndex {
            searcher,
            ids,
            _reader: reader,
            analyzer,
            fields,
            tags,
            directors,
        })
    }

    /// The stemmed terms of `text` as the index stores them.
    fn stems(&self, text: &str) -> Vec<String> {
        let mut analyzer = self.analyzer.clone();
        let mut stream = analyzer.token_stream(text);
        let mut stems = Vec::new();
        while stream.advance() {
            let stem = stream.token().text.clone();
            if !stems.contains(&stem) {
                stems.push(stem);
            }
        }
        stems
    }

    /// One clause per stem, each matching the stem in any field (boosted by field): with
    /// `every_word` a title must match every stem, otherwise any.
    fn query(&self, stems: &[String], every_word: bool) -> BooleanQuery {
        let occur = if every_word {
            Occur::Must
        } else {
            Occur::Should
        };
        let per_stem: Vec<(Occur, Box<dyn Query>)> = stems
            .iter()
            .map(|stem| {
                let fields: Vec<(Occur, Box<dyn Query>)> = self
                    .fields
                    .iter()
                    .map(|(field, boost)| {
                        let term = TermQuery::new(
                            Term::from_field_text(*field, stem),
                            IndexRecordOption::WithFreqs,
                        );
                        let boosted: Box<dyn Query> =
                            Box::new(BoostQuery::new(Box::new(term), *boost));
                        (Occur::Should, boosted)
                    })
                    .collect();
                let any_field: Box<dyn Query> = Box::new(BooleanQuery::new(fields));
                (occur, any_field)
            })
            .collect();
        BooleanQuery::new(per_stem)
    }

    /// The `limit` best hits of `query`, scores scaled to the best (0..=1).
    fn top(&self, query: &BooleanQuery, limit: usize) -> Result<Vec<(ItemId, f64)>, LexicalError> {
        let hits = self.searcher.search(query, &TopDocs::with_limit(limit))?;
        let best = hits
            .first()
            .map_or(1.0, |(score, _)| f64::from(*score).max(f64::MIN_POSITIVE));
        Ok(hits
            .into_iter()
            .filter_map(|(score, address)| Some((self.item_id(address)?, f64::from(score) / best)))
            .collect())
    }

    fn item_id(&self, address: DocAddress) -> Option<ItemId> {
        self.ids
            .get(address.segment_ord as usize)?
            .get(address.doc_id as usize)
            .copied()
    }

    /// The `limit` best matches, best first, scored in 0..=1: titles matching every word
    /// first (scaled to the best of them: "Tom Hanks" finds his films before every Tom),
    /// then titles matching some words (scaled to half their best).
    pub fn try_search(
        &self,
        terms: &str,
        limit: usize,
    ) -> Result<Vec<(ItemId, f64)>, LexicalError> {
        let stems = self.stems(terms);
        if stems.is_empty() || limit == 0 {
            return Ok(Vec::new());
        }
        let mut hits = self.top(&self.query(&stems, true), limit)?;
        if stems.len() > 1 && hits.len() < limit {
            let found: HashSet<ItemId> = hits.iter().map(|(id, _)| *id).collect();
            let some_words = self.top(&self.query(&stems, false), limit)?;
            hits.extend(
                some_words
                    .into_iter()
                    .filter(|(id, _)| !found.contains(id))
                    .map(|(id, score)| (id, score * PARTIAL_MATCH))
                    .take(limit - found.len()),
            );
        }
        Ok(hits)
    }

    /// The `limit` titles sharing most of the keywords and directors of `seeds`, whole ("new
    /// mexico" is not "new york"; a title named "Redemption" is not tagged redemption), the
    /// rarer ones counting more (BM25), scaled to the best.
    pub fn try_related(
        &self,
        seeds: &SeedText,
        limit: usize,
    ) -> Result<Vec<(ItemId, f64)>, LexicalError> {
        if limit == 0 {
            return Ok(Vec::new());
        }
        let mut clauses = whole_terms(self.tags, &seeds.keywords, TAG_BOOST);
        clauses.extend(whole_terms(
            self.directors,
            &seeds.directors,
            DIRECTOR_BOOST,
        ));
        if clauses.is_empty() {
            return Ok(Vec::new());
        }
        self.top(&BooleanQuery::new(clauses), limit)
    }
}

/// A keyword or name as the whole-term fields store it.
fn whole_term(text: &str) -> String {
    text.trim().to_lowercase()
}

/// One optional clause per distinct whole term of `values` in `field`, boosted.
fn whole_terms(field: Field, values: &[String], boost: f32) -> Vec<(Occur, Box<dyn Query>)> {
    let mut terms: Vec<String> = values.iter().map(|v| whole_term(v)).collect();
    terms.retain(|t| !t.is_empty());
    terms.sort_unstable();
    terms.dedup();
    terms
        .iter()
        .map(|t| {
            let term = TermQuery::new(
                Term::from_field_text(field, t),
                IndexRecordOption::WithFreqs,
            );
            let boosted: Box<dyn Query> = Box::new(BoostQuery::new(Box::new(term), boost));
            (Occur::Should, boosted)
        })
        .collect()
}

impl TextIndex for LexicalIndex {
    /// A failed search (tantivy reading its in-memory segments) answers nothing: the request
    /// ranks on its other sources. It is logged and counted.
    fn search(&self, query: TextQuery<'_>, limit: usize) -> Vec<(ItemId, f64)> {
        match query {
            TextQuery::Words(terms) => self.try_search(terms, limit),
            TextQuery::Related(seeds) => self.try_related(seeds, limit),
        }
        .unwrap_or_else(|e| {
            tracing::warn!(error = %e, "full-text search failed; ranking without it");
            metrics::counter!("seenemall_text_search_failures_total").increment(1);
            Vec::new()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(
        id: ItemId,
        title: &str,
        keywords: &[&str],
        people: &[&str],
        overview: &str,
    ) -> SearchDoc {
        SearchDoc {
            id,
            title: title.to_owned(),
            original_title: None,
            keywords: keywords.iter().map(|k| (*k).to_owned()).collect(),
            people: people.iter().map(|p| (*p).to_owned()).collect(),
            directors: Vec::new(),
            overview: Some(overview.to_owned()),
        }
    }

    fn index() -> LexicalIndex {
        LexicalIndex::build(&[
            doc(
                1,
                "Ocean's Eleven",
                &["heist", "casino"],
                &["George Clooney"],
                "A crew robs three casinos.",
            ),
            doc(
                2,
                "Knives Out",
                &["whodunit", "murder"],
                &["Daniel Craig"],
                "A detective investigates a death.",
            ),
            doc(
                3,
                "Big",
                &["wish"],
                &["Tom Hanks"],
                "A boy wakes up as an adult.",
            ),
            doc(
                4,
                "Cast Away",
                &["island"],
                &["Tom Hanks"],
                "A man is stranded.",
            ),
            doc(
                5,
                "The Bank Job",
                &[],
                &["Jason Statham"],
                "A heist goes wrong in London.",
            ),
        ])
        .expect("index builds")
    }

    fn ids(hits: &[(ItemId, f64)]) -> Vec<ItemId> {
        hits.iter().map(|(id, _)| *id).collect()
    }

    #[test]
    fn a_keyword_tag_outranks_a_word_in_the_overview() {
        let hits = index().try_search("heist", 10).expect("search");
        assert_eq!(ids(&hits), vec![1, 5]);
    }

    #[test]
    fn related_titles_share_keywords_not_title_words() {
        let index = LexicalIndex::build(&[
            doc(
                1,
                "The Vault",
                &["heist", "casino", "las vegas"],
                &[],
                "A crew.",
            ),
            doc(2, "Casino Night", &["casino"], &[], "Cards."),
            doc(3, "Heist", &[], &[], "A heist in a casino."),
            doc(4, "Quiet Days", &["farm"], &[], "Cows."),
        ])
        .expect("index builds");
        let seeds = SeedText {
            keywords: vec!["heist".into(), "casino".into(), "new mexico".into()],
            directors: Vec::new(),
        };
        let hits = index.try_related(&seeds, 10).expect("search");
        // The most shared first, scaled to 1; title and overview words count for nothing,
        // and neither do keywords sharing only a word ("new york").
        assert_eq!(ids(&hits), vec![1, 2]);
        assert!((hits[0].1 - 1.0).abs() < 1e-9 && hits[1].1 < 1.0);
        assert!(
            index
                .try_related(&SeedText::default(), 10)
                .expect("search")
                .is_empty()
        );
    }

    #[test]
    fn a_shared_director_outranks_a_shared_keyword_and_a_cast_member() {
        let directed = |id, title: &str, keywords: &[&str], director: &str| SearchDoc {
            directors: vec![director.to_owned()],
            people: vec![director.to_owned()],
            ..doc(id, title, keywords, &[], "A story.")
        };
        let index = LexicalIndex::build(&[
            directed(1, "Jackie Brown", &["stewardess"], "Quentin Tarantino"),
            directed(2, "Snatch", &["drug dealer"], "Guy Ritchie"),
            // Tarantino acts here; acting is not directing.
            SearchDoc {
                people: vec!["Quentin Tarantino".to_owned()],
                ..doc(3, "Desperado", &[], &[], "A mariachi.")
            },
            directed(4, "Heat", &["bank robbery"], "Michael Mann"),
        ])
        .expect("index builds");
        let seeds = SeedText {
            keywords: vec!["drug dealer".into(), "boxer".into()],
            directors: vec!["Quentin Tarantino".into()],
        };
        let hits = index.try_related(&seeds, 10).expect("search");
        assert_eq!(ids(&hits), vec![1, 2]);
    }

    #[test]
    fn stemming_finds_plural_requests() {
        assert_eq!(
            ids(&index().try_search("heists", 10).expect("search")),
            vec![1, 5]
        );
    }

    #[test]
    fn people_are_found_by_name() {
        let mut found = ids(&index().try_search("tom hanks", 10).expect("search"));
        found.sort_unstable();
        assert_eq!(found, vec![3, 4]);
    }

    #[test]
    fn unknown_words_and_empty_text_find_nothing() {
        let index = index();
        assert!(
            index
                .try_search("xylophone", 10)
                .expect("search")
                .is_empty()
        );
        assert!(index.try_search("", 10).expect("search").is_empty());
        assert!(index.try_search("heist", 0).expect("search").is_empty());
    }

    #[test]
    fn titles_matching_every_word_come_first() {
        let hits = index().try_search("tom island", 10).expect("search");
        assert_eq!(hits[0], (4, 1.0));
        assert!(
            hits[1..].iter().all(|(_, s)| *s <= PARTIAL_MATCH),
            "{hits:?}"
        );
        assert_eq!(ids(&hits[1..]), vec![3]);
    }

    #[test]
    fn the_limit_caps_the_answer() {
        assert_eq!(index().try_search("heist", 1).expect("search").len(), 1);
    }
}
