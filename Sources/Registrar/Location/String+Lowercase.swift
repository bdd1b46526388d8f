extension String {
    /// `lowercased()`, without making a new string when nothing would change
    /// (ASCII without capitals, as domains usually arrive).
    var lowercasedIfNeeded: String {
        let unchanged =
            utf8.withContiguousStorageIfAvailable { bytes in
                var capitalOrHigh = false
                for b in bytes where b >= 0x80 || (b >= 0x41 && b <= 0x5A) {
                    capitalOrHigh = true
                    break
                }
                return !capitalOrHigh
            } ?? utf8.allSatisfy { $0 < 0x80 && ($0 < 0x41 || $0 > 0x5A) }
        return unchanged ? self : lowercased()
    }
}
