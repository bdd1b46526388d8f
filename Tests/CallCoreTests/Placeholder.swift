import Testing

@Suite("CallCoreTests") struct CallCoreTestsPlaceholder {}
