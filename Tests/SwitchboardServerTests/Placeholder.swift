import Testing
@testable import SwitchboardServer
