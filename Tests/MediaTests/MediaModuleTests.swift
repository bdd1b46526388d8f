import Testing
@testable import Media

@Suite("Media module") struct MediaModuleTests {
    @Test("the module links") func links() { _ = Media.self }
}
