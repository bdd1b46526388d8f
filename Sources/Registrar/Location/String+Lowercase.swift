extension String {
    /// `lowercased()`, without making a new string when nothing would change
    /// (ASCII without capitals, as domains usually arrive).
    var lowercasedIfNeeded: String {
        utf8.allSatisfy { $0 < 0x80 && ($0 < 0x41 || $0 > 0x5A) } ? self : lowercased()
    }
}
