import AWS
import BulwarkModel
import Testing

/// `JSONDocument.Node` walks a document once; each node's position must be what the path look-up
/// (`location(of:)`) finds for the same value.
@Suite struct JSONNodeTests {
    @Test func nodePositionsAgreeWithPathLookups() throws {
        let bytes = try Inputs.file(Inputs.own("shop/ec2-describe-network-acls.json")).bytes
            + Array("\n".utf8)
        let document = try JSONDocument(bytes: bytes)
        var checked = 0
        func walk(_ node: JSONDocument.Node, _ path: [JSONDocument.Step]) {
            let expected = document.location(of: path)
            #expect(expected.map { [$0.line, $0.column] } == [document.position(of: node).line, document.position(of: node).column], "\(path)")
            checked += 1
            for (key, child) in document.members(of: node) { walk(child, path + [.key(key)]) }
            for (k, child) in document.elements(of: node).enumerated() { walk(child, path + [.index(k)]) }
        }
        walk(document.rootNode, [])
        #expect(checked == document.root.valueCount)
        let first = try #require(document.member("NetworkAcls", of: document.rootNode))
        #expect(document.elements(of: first).count == 4)
        #expect(document.member("Missing", of: document.rootNode) == nil)
        #expect(document.elements(of: document.rootNode).isEmpty && document.members(of: first).isEmpty)
    }
}
