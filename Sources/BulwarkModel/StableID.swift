/// Identifiers that stay the same across runs: a 64-bit FNV-1a digest of the parts that define a
/// thing (never of line numbers or positions, which move when a file is edited).
public enum StableID {
    /// `prefix-` followed by 16 lowercase hex digits of the digest of `parts`.
    public static func make(_ prefix: String, _ parts: [String]) -> String {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for part in parts {
            for byte in part.utf8 {
                hash ^= UInt64(byte)
                hash = hash &* 0x100_0000_01B3
            }
            hash ^= 0x1F  // unit separator, so ["ab","c"] and ["a","bc"] differ
            hash = hash &* 0x100_0000_01B3
        }
        let hex = String(hash, radix: 16)
        return prefix + "-" + String(repeating: "0", count: 16 - hex.count) + hex
    }
}
