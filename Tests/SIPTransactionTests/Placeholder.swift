import Testing

@Suite("SIPTransactionTests") struct SIPTransactionTestsPlaceholder {}
