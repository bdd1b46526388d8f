import Testing
@testable import Media

@Suite("Media module") struct MediaModuleTests {
    @Test("every drop reason is a distinct counter name") func dropReasons() {
        #expect(Set(MediaDropReason.allCases.map(\.rawValue)).count == MediaDropReason.allCases.count)
    }
}
