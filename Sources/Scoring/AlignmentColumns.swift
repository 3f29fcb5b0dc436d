extension UtteranceAlignment {
    /// One column of a printed alignment: the reference token (nil for an insertion), the hypothesis
    /// token (nil for a deletion) and the operation.
    public typealias Column = (reference: String?, hypothesis: String?, operation: EditOperation)

    /// The alignment as columns, in order: `operations` walked over `reference` and `hypothesis`.
    public var columns: [Column] {
        var a = 0, b = 0
        return operations.map { operation in
            let r = operation == .insertion ? nil : reference[a]
            let h = operation == .deletion ? nil : hypothesis[b]
            if r != nil { a += 1 }
            if h != nil { b += 1 }
            return (r, h, operation)
        }
    }
}
