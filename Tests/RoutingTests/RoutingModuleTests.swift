import Testing
@testable import Routing

@Suite("Routing module") struct RoutingModuleTests {
    @Test("the module links") func links() { _ = Routing.self }
}
