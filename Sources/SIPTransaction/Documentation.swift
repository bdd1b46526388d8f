/// RFC 3261 section 17 client and server transactions.
enum SIPTransactionLayerDocumentation {}
