//! Streaming services: the alias groups that let "netflix" and JustWatch's `nfx` mean the
//! same thing in provider filters and `/watch-link`.

/// Group name → every alias in the group (the name itself first). JustWatch stores the
/// short codes (`nfx`, `dnp`, ...); people and the LLM use the long names.
pub const SERVICE_GROUPS: &[(&str, &[&str])] = &[
    ("netflix", &["netflix", "nfx"]),
    ("disney_plus", &["disney_plus", "disney", "dnp"]),
    (
        "prime_video",
        &["prime_video", "primevideo", "amazon", "amz", "amp"],
    ),
    ("hulu", &["hulu", "hlu"]),
    ("max", &["max", "hbomax", "hbo", "hbm"]),
    (
        "apple_tv_plus",
        &["apple_tv_plus", "appletvplus", "apple", "atp"],
    ),
    (
        "paramount_plus",
        &[
            "paramount_plus",
            "paramountplus",
            "prm",
            "pmnt",
            "paramount",
        ],
    ),
];

fn group_of(service: &str) -> Option<&'static (&'static str, &'static [&'static str])> {
    let key = service.trim().to_lowercase();
    SERVICE_GROUPS
        .iter()
        .find(|(_, aliases)| aliases.contains(&key.as_str()))
}

/// The group name of any alias (`nfx` → `netflix`, `HBO` → `max`), or `None` for a service
/// outside the table. Case and surrounding spaces are ignored.
pub fn canonical_service(service: &str) -> Option<&'static str> {
    group_of(service).map(|(name, _)| *name)
}

/// Expands requested services into every spelling the catalog may use.
///
/// Each entry is trimmed and lower-cased (blank ones skipped). An alias adds its whole group;
/// an unknown service adds itself. Order is kept and repeats are dropped.
pub fn normalize_streaming_services(services: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let push = |s: &str, out: &mut Vec<String>| {
        if !out.iter().any(|x| x == s) {
            out.push(s.to_owned());
        }
    };
    for raw in services {
        let service = raw.trim().to_lowercase();
        if service.is_empty() {
            continue;
        }
        match group_of(&service) {
            Some((_, aliases)) => aliases.iter().for_each(|a| push(a, &mut out)),
            None => push(&service, &mut out),
        }
    }
    out
}

/// Words (or two words run together) that name a service wherever they appear: brand names
/// nobody uses for anything else.
const BRAND_WORDS: &[(&str, &str)] = &[
    ("netflix", "netflix"),
    ("hulu", "hulu"),
    ("hbomax", "max"),
    ("disneyplus", "disney_plus"),
    ("primevideo", "prime_video"),
    ("appletv", "apple_tv_plus"),
    ("appletvplus", "apple_tv_plus"),
    ("paramountplus", "paramount_plus"),
];

/// The brand words that name a service (the service filter serves them: they are not searched
/// as words, `lexical::search_terms`).
pub fn brand_words() -> impl Iterator<Item = &'static str> {
    BRAND_WORDS.iter().map(|(word, _)| *word)
}

/// The services a free-text query asks for, as group names, in order of mention.
///
/// Conservative, because a false hit demotes every title not on the service: a brand word
/// anywhere ("netflix", "prime video", "hbo max", "disney+"), or any alias right after "on"
/// ("on max", "on disney", "on prime"). "an amazon documentary" or "apple" alone name nothing.
pub fn services_in_text(text: &str) -> Vec<&'static str> {
    // "disney+" is "disney plus"; other punctuation separates words.
    let spaced: String = text
        .to_lowercase()
        .replace('+', " plus ")
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    let words: Vec<&str> = spaced.split_whitespace().collect();
    let brand = |w: &str| BRAND_WORDS.iter().find(|(b, _)| *b == w).map(|(_, g)| *g);
    let mut found: Vec<&'static str> = Vec::new();
    for (i, word) in words.iter().enumerate() {
        let next = words.get(i + 1).copied();
        let hit = brand(word)
            .or_else(|| next.and_then(|n| brand(&format!("{word}{n}"))))
            .or_else(|| match (*word, next) {
                ("on", Some("prime")) => Some("prime_video"),
                ("on", Some(n)) => canonical_service(n),
                _ => None,
            });
        if let Some(group) = hit
            && !found.contains(&group)
        {
            found.push(group);
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn an_alias_expands_to_its_whole_group() {
        assert_eq!(
            normalize_streaming_services(&strings(&["Netflix"])),
            vec!["netflix", "nfx"]
        );
        assert_eq!(
            normalize_streaming_services(&strings(&["hbo"])),
            vec!["max", "hbomax", "hbo", "hbm"]
        );
    }

    #[test]
    fn unknown_services_are_kept_and_blanks_skipped_in_order_without_repeats() {
        let got = normalize_streaming_services(&strings(&[" Crunchyroll ", "", "nfx", "netflix"]));
        assert_eq!(got, vec!["crunchyroll", "netflix", "nfx"]);
    }

    #[test]
    fn every_alias_maps_to_its_group_name() {
        assert_eq!(canonical_service("nfx"), Some("netflix"));
        assert_eq!(canonical_service(" HBO "), Some("max"));
        assert_eq!(canonical_service("pmnt"), Some("paramount_plus"));
        assert_eq!(canonical_service("amp"), Some("prime_video"));
        assert_eq!(canonical_service("crunchyroll"), None);
    }

    #[test]
    fn brand_names_are_found_anywhere_and_aliases_after_on() {
        assert_eq!(
            services_in_text("something funny on Netflix"),
            vec!["netflix"]
        );
        assert_eq!(
            services_in_text("on max or disney+"),
            vec!["max", "disney_plus"]
        );
        assert_eq!(
            services_in_text("Prime Video, hbo max, apple tv+"),
            vec!["prime_video", "max", "apple_tv_plus"]
        );
        assert_eq!(
            services_in_text("whatever is on prime"),
            vec!["prime_video"]
        );
    }

    #[test]
    fn ambiguous_words_alone_name_no_service() {
        assert!(services_in_text("an amazon rainforest documentary").is_empty());
        assert!(services_in_text("max two hours, apple orchard drama").is_empty());
        assert!(services_in_text("bad query").is_empty());
    }

    #[test]
    fn there_are_seven_groups() {
        assert_eq!(SERVICE_GROUPS.len(), 7);
    }
}
