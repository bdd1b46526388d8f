import Testing
@testable import Registrar

@Suite("Registrar module") struct RegistrarModuleTests {
    @Test("the module links") func links() { _ = Registrar.self }
}
