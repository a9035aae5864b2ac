//! "Did you mean …?": the closest name by edit distance.

/// The candidate closest to `name`, if it is close enough to be a likely typo.
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let wanted = name.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(&wanted, &c.to_lowercase()), c))
        .filter(|(distance, c)| {
            let longest = wanted.chars().count().max(c.chars().count());
            *distance <= (longest / 3).max(1)
        })
        .min()
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::closest;

    #[test]
    fn suggests_only_plausible_typos() {
        let columns = ["id", "email", "pw_hashed", "created_at"];
        assert_eq!(closest("pw_hash", columns), Some("pw_hashed"));
        assert_eq!(closest("emial", columns), Some("email"));
        assert_eq!(closest("Created_At", columns), Some("created_at"));
        assert_eq!(closest("nickname", columns), None);
        assert_eq!(closest("ix", columns), Some("id"));
    }
}
