/// The parsed values of a list header (Via, Contact, Route, Record-Route,
/// P-Asserted-Identity, Path…), in message order.
///
/// The first value is kept inline and the others in an array that exists
/// only from the second value on: most messages carry one Via, one Contact
/// and one identity, and reading them then allocates nothing.
public struct HeaderValues<Element>: RandomAccessCollection {
    private var head: Element?
    /// Values after the first; nil until there is a second, so that an
    /// empty or single list holds no array at all.
    private var tail: [Element]?

    public init() {}

    public init(_ values: some Sequence<Element>) {
        for v in values { append(v) }
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { head == nil ? 0 : (tail?.count ?? 0) &+ 1 }
    public var count: Int { endIndex }
    public var isEmpty: Bool { head == nil }

    public subscript(position: Int) -> Element {
        precondition(position >= 0 && position < endIndex, "HeaderValues index out of range")
        return position == 0 ? head.unsafelyUnwrapped : tail.unsafelyUnwrapped[position &- 1]
    }

    public var first: Element? { head }

    mutating func append(_ value: consuming Element) {
        if head == nil {
            head = value
        } else if tail == nil {
            tail = [value]
        } else {
            tail!.append(value)
        }
    }
}

extension HeaderValues: ExpressibleByArrayLiteral {
    public init(arrayLiteral elements: Element...) { self.init(elements) }
}

extension HeaderValues: Sendable where Element: Sendable {}

extension HeaderValues: Equatable where Element: Equatable {
    public static func == (a: HeaderValues, b: HeaderValues) -> Bool { a.elementsEqual(b) }
}

extension HeaderValues: Hashable where Element: Hashable {
    public func hash(into h: inout Hasher) {
        h.combine(count)
        for v in self { h.combine(v) }
    }
}
