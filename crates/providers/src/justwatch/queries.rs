//! The two GraphQL operations, with the original's operation names, variables and field tree
//! (data-etl-ui spec §4.2), plus `retailPriceValue` and `currency` for the price columns.

/// Search by title: `searchTitles(...).edges[].node { id objectType objectId content { title
/// originalReleaseYear } }`.
pub const TITLE_SEARCH: &str = r#"query TitleSearch($country: Country!, $language: Language!, $source: String!, $searchQuery: String!, $first: Int! = 5, $objectTypes: [ObjectType!]) {
  searchTitles(
    country: $country
    language: $language
    source: $source
    first: $first
    filter: {searchQuery: $searchQuery, includeTitlesWithoutUrl: true, objectTypes: $objectTypes}
  ) {
    edges {
      node {
        id
        objectType
        objectId
        content(country: $country, language: $language) {
          title
          originalReleaseYear
        }
      }
    }
  }
}"#;

/// The offers of one node: `node(id) { ... on MovieOrShowOrSeason { offers(...) { ... } } }`.
pub const TITLE_OFFERS: &str = r#"query TitleOffers($id: ID!, $country: Country!, $language: Language!, $platform: Platform!) {
  node(id: $id) {
    __typename
    ... on MovieOrShowOrSeason {
      objectType
      objectId
      content(country: $country, language: $language) {
        title
        originalReleaseYear
      }
      offers(country: $country, platform: $platform, filter: {preAffiliate: true}) {
        monetizationType
        presentationType
        standardWebURL
        preAffiliatedStandardWebURL
        retailPriceValue
        currency
        package {
          packageId
          shortName
          clearName
        }
      }
    }
  }
}"#;

/// The `source` variable the original sent with every search.
pub const SOURCE: &str = "WEBAPP";

/// How many search results to ask for (the original's `first`).
pub const SEARCH_FIRST: u32 = 5;
