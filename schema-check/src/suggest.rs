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

/// The candidate closest to `name` ([`closest`]), else the one candidate
/// that is a shortening of `name` or that `name` shortens (`nick` and
/// `nickname`), at least three characters long: what a rename may have
/// made of a name.
pub fn closest_or_shortened<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str> + Clone,
) -> Option<&'a str> {
    if let Some(close) = closest(name, candidates.clone()) {
        return Some(close);
    }
    let wanted = name.to_lowercase();
    let mut shortened = candidates.into_iter().filter(|c| {
        let c = c.to_lowercase();
        let (short, long) = if c.len() < wanted.len() {
            (&c, &wanted)
        } else {
            (&wanted, &c)
        };
        short.chars().count() >= 3 && long.starts_with(short.as_str())
    });
    match (shortened.next(), shortened.next()) {
        (Some(one), None) => Some(one),
        _ => None,
    }
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

    #[test]
    fn a_shortened_name_is_near_when_it_is_the_only_one() {
        use super::closest_or_shortened;
        assert_eq!(
            closest_or_shortened("nickname", ["nick", "id"]),
            Some("nick")
        );
        assert_eq!(closest_or_shortened("nick", ["nickname"]), Some("nickname"));
        assert_eq!(closest_or_shortened("nickname", ["nick", "nickn"]), None);
        assert_eq!(
            closest_or_shortened("nickname", ["nic", "nick_x"]),
            Some("nic")
        );
        assert_eq!(closest_or_shortened("address", ["add", "addr"]), None);
        assert_eq!(closest_or_shortened("ab", ["abcdef"]), None);
    }
}
