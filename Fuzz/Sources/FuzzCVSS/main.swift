// libFuzzer entry point for the CVSS vector parser and scorers.
//
// Any bytes, read as text, either parse into a vector or raise a CVSSError; a vector that parses
// must score within 0...10 in every score it defines and survive a round trip through its
// normalized form. libFuzzer supplies `main`; build as docs/fuzzing.md says.

import CVSS

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let vector = try? CVSSVector(parsing: text) else { return 0 }
    for score in [vector.baseScore, vector.score] + [vector.temporalScore, vector.threatScore, vector.environmentalScore].compactMap({ $0 }) {
        precondition((0...10).contains(score), "score \(score) out of range for \(vector.normalized)")
    }
    guard let again = try? CVSSVector(parsing: vector.normalized) else { preconditionFailure("normalized form \(vector.normalized) does not parse") }
    precondition(again == vector && again.score == vector.score, "round trip changed \(vector.normalized)")
    return 0
}
