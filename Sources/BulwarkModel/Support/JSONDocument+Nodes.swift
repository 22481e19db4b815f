extension JSONDocument {
    /// A value of the document together with its place in it, for walking a whole document once.
    ///
    /// ``location(of:)`` finds its value again from the root on every call,
    /// which costs the size of everything before it: fine for a few look-ups, quadratic for a reader
    /// that wants the place of every object of a large export. A node remembers where it is, so its
    /// members and elements are found from it directly.
    public struct Node: Sendable {
        public let value: JSONValue
        /// The value's position in document order (preorder).
        let index: Int
    }

    /// The whole document.
    public var rootNode: Node { Node(value: root, index: 0) }

    /// 1-based line and column where the node's value starts.
    public func position(of node: Node) -> (line: Int, column: Int) {
        node.index < offsets.count ? lineAndColumn(ofByte: offsets[node.index]) : (1, 1)
    }

    /// The members of an object node, in document order; empty for any other value.
    public func members(of node: Node) -> [(key: String, node: Node)] {
        guard case .object(let members) = node.value else { return [] }
        var out: [(key: String, node: Node)] = []
        out.reserveCapacity(members.count)
        var index = node.index + 1
        for (key, value) in members {
            out.append((key, Node(value: value, index: index)))
            index += value.valueCount
        }
        return out
    }

    /// The first member named `key` of an object node, or nil.
    public func member(_ key: String, of node: Node) -> Node? {
        guard case .object(let members) = node.value else { return nil }
        var index = node.index + 1
        for (name, value) in members {
            if name == key { return Node(value: value, index: index) }
            index += value.valueCount
        }
        return nil
    }

    /// The elements of an array node, in order; empty for any other value.
    public func elements(of node: Node) -> [Node] {
        guard case .array(let items) = node.value else { return [] }
        var out: [Node] = []
        out.reserveCapacity(items.count)
        var index = node.index + 1
        for item in items {
            out.append(Node(value: item, index: index))
            index += item.valueCount
        }
        return out
    }
}
