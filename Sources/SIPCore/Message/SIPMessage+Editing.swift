/// Edits and serialization. New bytes are appended to the message's storage
/// and the index re-pointed; untouched lines keep their original bytes.
extension SIPMessage {
    /// Whether anything was edited since parsing.
    public var isModified: Bool { startLineEdited || headersEdited || bodyEdited }

    private mutating func appendToStorage(_ text: some Sequence<UInt8>) -> Range<Int> {
        // A cached Via shares `storage`: dropped first, so the append does not copy the bytes.
        topViaCache = nil
        let start = storage.count
        storage.append(contentsOf: text)
        return start..<storage.count
    }

    /// Appends `Name: value CRLF` and returns its index entry.
    private mutating func makeField(_ name: HeaderName, writtenName: String, value: String) -> HeaderField {
        topViaCache = nil
        let start = storage.count
        storage.append(contentsOf: writtenName.utf8)
        let nameEnd = storage.count
        storage.append(contentsOf: ": ".utf8)
        let valueStart = storage.count
        storage.append(contentsOf: value.utf8)
        let valueEnd = storage.count
        storage.append(ASCII.cr)
        storage.append(ASCII.lf)
        return HeaderField(
            name: name, lineStart: Int32(start), nameEnd: Int32(nameEnd), valueStart: Int32(valueStart),
            valueEnd: Int32(valueEnd), lineEnd: Int32(storage.count))
    }

    private static func resolve(_ name: String) -> (HeaderName, String) {
        let known = HeaderName(name)
        return (known, known == .other ? name : known.canonicalName)
    }

    // MARK: start line

    /// Replaces the Request-URI (a proxy retargeting, RFC 3261 16.5).
    public mutating func setRequestURI(_ uri: String) {
        precondition(isRequest, "setRequestURI on a response")
        startB = appendToStorage(uri.utf8)
        startLineEdited = true
    }

    func renderedStartLine() -> [UInt8] {
        var out: [UInt8] = []
        out.append(contentsOf: storage[startA])
        out.append(ASCII.sp)
        out.append(contentsOf: storage[startB])
        out.append(ASCII.sp)
        out.append(contentsOf: storage[startC])
        out.append(ASCII.cr)
        out.append(ASCII.lf)
        return out
    }

    // MARK: headers

    /// Inserts a header field at a position of the header index.
    public mutating func insertHeader(_ name: String, value: String, at index: Int) {
        let (known, written) = Self.resolve(name)
        let field = makeField(known, writtenName: written, value: value)
        headerFields.insert(field, at: index)
        headersEdited = true
    }

    /// Adds a header above the fields of the same name, or at the top when
    /// there are none (Via and Record-Route are added this way, RFC 3261 16.6).
    public mutating func prependHeader(_ name: String, value: String) {
        let known = HeaderName(name)
        let index = known == .other ? 0 : (headerFields.firstIndex { $0.name == known } ?? 0)
        insertHeader(name, value: value, at: index)
    }

    /// Adds a header below the fields of the same name, or at the end.
    public mutating func appendHeader(_ name: String, value: String) {
        let known = HeaderName(name)
        let index = known == .other ? headerFields.count : ((headerFields.lastIndex { $0.name == known }).map { $0 + 1 } ?? headerFields.count)
        insertHeader(name, value: value, at: index)
    }

    /// Removes every field with this name; returns how many were removed.
    @discardableResult
    public mutating func removeHeaders(_ name: String) -> Int {
        let targets = fields(named: name)
        guard !targets.isEmpty else { return 0 }
        headerFields.removeAll { targets.contains($0) }
        headersEdited = true
        return targets.count
    }

    /// Replaces every field with this name by one field with `value` (added at the end if absent).
    public mutating func setHeader(_ name: String, value: String) {
        let (known, written) = Self.resolve(name)
        let targets = fields(named: name)
        let field = makeField(known, writtenName: written, value: value)
        if let first = targets.first, let index = headerFields.firstIndex(of: first) {
            headerFields[index] = field
            headerFields.removeAll { targets.contains($0) }
        } else {
            headerFields.append(field)
        }
        headersEdited = true
    }

    /// Removes the first value of a list header (the topmost Via of a
    /// response, the Route a proxy consumed); the rest of that line stays.
    /// Returns the removed value's bytes (no string is made: most callers
    /// drop it).
    @discardableResult
    public mutating func removeFirstValue(_ name: HeaderName) -> ArraySlice<UInt8>? {
        guard let index = headerFields.firstIndex(where: { $0.name == name }) else { return nil }
        let field = headerFields[index]
        // The split ends before the edit, so no slice of `storage` is alive while it grows.
        let (first, rest): (Range<Int>?, String?) = {
            var split = ListSplitter(storage[field.valueRange])
            guard let first = split.next()?.indices else { return (nil, nil) }
            guard let second = split.next() else { return (first, nil) }
            var value = Array(second)
            while let v = split.next() {
                value.append(contentsOf: ", ".utf8)
                value.append(contentsOf: v)
            }
            return (first, value.utf8String)
        }()
        guard let first else { return nil }
        if let rest {
            let written = storage[field.nameRange].utf8String
            headerFields[index] = makeField(name, writtenName: written, value: rest)
        } else {
            headerFields.remove(at: index)
        }
        headersEdited = true
        // Taken after the edit: a slice held across it would make the append copy `storage`.
        return storage[first]
    }

    /// Decrements Max-Forwards, adding `Max-Forwards: 69` when absent
    /// (RFC 3261 16.6 step 3). Throws 483 when it is already zero.
    @discardableResult
    public mutating func decrementMaxForwards(default initial: Int = 70) throws(SIPParseError) -> Int {
        let current = try maxForwards() ?? initial
        guard current > 0 else { throw SIPParseError(status: 483, reason: "Too Many Hops", header: "Max-Forwards") }
        let next = current - 1
        if let index = headerFields.firstIndex(where: { $0.name == .maxForwards }) {
            let written = storage[headerFields[index].nameRange].utf8String
            headerFields[index] = makeField(.maxForwards, writtenName: written, value: String(next))
        } else {
            headerFields.append(makeField(.maxForwards, writtenName: "Max-Forwards", value: String(next)))
        }
        headersEdited = true
        return next
    }

    // MARK: body

    /// Replaces the body and sets Content-Length (and Content-Type, when given).
    public mutating func setBody(_ body: [UInt8], contentType: String? = nil) {
        bodyRange = appendToStorage(body)
        bodyEdited = true
        setHeader("Content-Length", value: String(body.count))
        if let contentType {
            setHeader("Content-Type", value: contentType)
        } else if body.isEmpty {
            removeHeaders("Content-Type")
        }
    }

    // MARK: serialization

    /// The message's bytes: the original bytes when nothing was edited;
    /// otherwise the start line, each header line and the body, copying every
    /// untouched line as it came.
    public func serialized() -> [UInt8] {
        if !isModified {
            if messageRange == storage.indices { return storage }
            return Array(storage[messageRange])
        }
        var size = bodyRange.count + 2 + (startLineEdited ? startA.count + startB.count + startC.count + 4 : startLineRange.count)
        for f in headerFields { size += Int(f.lineEnd - f.lineStart) }
        var out: [UInt8] = []
        out.reserveCapacity(size)
        if startLineEdited {
            out.append(contentsOf: renderedStartLine())
        } else {
            out.append(contentsOf: storage[startLineRange])
        }
        for f in headerFields { out.append(contentsOf: storage[f.lineRange]) }
        out.append(ASCII.cr)
        out.append(ASCII.lf)
        out.append(contentsOf: storage[bodyRange])
        return out
    }

    /// The serialized message as text (for logs and tests).
    public var text: String { serialized().utf8String }
}
