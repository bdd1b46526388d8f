/// The stateful proxy core of RFC 3261 section 16.
enum CallCoreDocumentation {}
