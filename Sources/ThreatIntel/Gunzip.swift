// Filled in once Archive's bounded gzip reader lands.
extension ThreatDataStore {
    static func gunzip(_ bytes: [UInt8], file: String) throws(ThreatIntelError) -> [UInt8] {
        throw ThreatIntelError("\(file): gzip not yet readable")
    }
}
