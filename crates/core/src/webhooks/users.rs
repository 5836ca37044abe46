//! Which of our users a media-server user is.
//!
//! `WEBHOOK_USERS` lists `server user=user_id[::profile]` pairs, comma-separated, e.g.
//! `marie=household::marie, Léo=household::kids`; server names compare case-insensitively. A
//! webhook URL can instead name the user itself (`?user_id=household&profile=kids`), which
//! wins: Jellyfin can send each of its users to its own URL, Plex sends one account's events.

use crate::events::canonical_profile_id;
use std::collections::HashMap;

/// Server user name (lower-cased) → canonical user id (`user` or `user::profile`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UserMap(HashMap<String, String>);

/// A `WEBHOOK_USERS` entry that cannot be read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("WEBHOOK_USERS entry {0:?} is not `server user=user_id[::profile]`")]
pub struct UserMapError(pub String);

impl UserMap {
    /// Parses `WEBHOOK_USERS` (blank → empty).
    pub fn parse(raw: &str) -> Result<UserMap, UserMapError> {
        let mut map = HashMap::new();
        for entry in raw.split(',').map(str::trim).filter(|e| !e.is_empty()) {
            let (server, ours) = entry
                .split_once('=')
                .map(|(s, o)| (s.trim(), o.trim()))
                .filter(|(s, o)| !s.is_empty() && !o.is_empty() && !o.starts_with("::"))
                .ok_or_else(|| UserMapError(entry.to_owned()))?;
            let canonical = match ours.split_once("::") {
                Some((user, profile)) => canonical_profile_id(user.trim(), Some(profile)),
                None => ours.to_owned(),
            };
            map.insert(server.to_lowercase(), canonical);
        }
        Ok(UserMap(map))
    }

    /// The canonical user for a delivery: the URL's `user_id` (+ `profile`) when given, else
    /// the mapping of the server user; `None` when neither names one.
    pub fn resolve(
        &self,
        url_user: Option<&str>,
        url_profile: Option<&str>,
        server_user: Option<&str>,
    ) -> Option<String> {
        if let Some(user) = url_user.map(str::trim).filter(|u| !u.is_empty()) {
            return Some(canonical_profile_id(user, url_profile));
        }
        self.0.get(&server_user?.trim().to_lowercase()).cloned()
    }

    /// True when no server user is mapped.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_users_map_to_profiles_case_insensitively() {
        let map = UserMap::parse("marie=household::marie, Léo = household::kids ,bob=bob")
            .expect("parses");
        assert_eq!(
            map.resolve(None, None, Some("MARIE")),
            Some("household::marie".into())
        );
        assert_eq!(
            map.resolve(None, None, Some("léo")),
            Some("household::kids".into())
        );
        assert_eq!(map.resolve(None, None, Some("bob")), Some("bob".into()));
        assert_eq!(map.resolve(None, None, Some("eve")), None);
        assert_eq!(map.resolve(None, None, None), None);
    }

    #[test]
    fn the_urls_user_wins_over_the_mapping() {
        let map = UserMap::parse("marie=household::marie").expect("parses");
        assert_eq!(
            map.resolve(Some("u9"), Some("kids"), Some("marie")),
            Some("u9::kids".into())
        );
        assert_eq!(
            map.resolve(Some(" "), None, Some("marie")),
            Some("household::marie".into())
        );
    }

    #[test]
    fn malformed_entries_are_refused() {
        assert!(UserMap::parse("").expect("blank is fine").is_empty());
        assert!(UserMap::parse("marie").is_err());
        assert!(UserMap::parse("=bob").is_err());
        assert!(UserMap::parse("marie=::kids").is_err());
    }
}
