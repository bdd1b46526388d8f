import Testing

@testable import Routing

@Suite("Call cost from rate, increment and connection fee") struct RateCostTests {
    let cent = Money(microUnits: 10_000)

    @Test(
        "Billing increments: 60/60 rounds up to minutes, 1/1 to seconds, 60/6 a minute then 6 s steps",
        arguments: [
            ("60/60", 1, 60), ("60/60", 60, 60), ("60/60", 61, 120), ("60/60", 300, 300),
            ("1/1", 1, 1), ("1/1", 61, 61), ("1/1", 300, 300),
            ("60/6", 1, 60), ("60/6", 61, 66), ("60/6", 67, 72), ("60/6", 300, 300),
            ("6/6", 7, 12), ("30/6", 0, 0),
        ] as [(String, Int, Int)])
    func billedSeconds(increment: String, seconds: Int, billed: Int) {
        #expect(BillingIncrement(Substring(increment))!.billedSeconds(for: seconds) == billed)
    }

    @Test("1- and 5-minute costs at 1 cent per minute, 60/60 versus 1/1 versus 60/6")
    func costs() {
        let perMinute = Rate(perMinute: cent, increment: .perMinute)
        let perSecond = Rate(perMinute: cent, increment: .perSecond)
        let sixes = Rate(perMinute: cent, increment: BillingIncrement(initial: 60, subsequent: 6)!)
        #expect(perMinute.cost(seconds: 60).microUnits == 10_000)
        #expect(perMinute.cost(seconds: 300).microUnits == 50_000)
        #expect(perMinute.cost(seconds: 61).microUnits == 20_000)
        #expect(perSecond.cost(seconds: 61).microUnits == 10_167)  // 61/60 cent, rounded up
        #expect(sixes.cost(seconds: 61).microUnits == 11_000)
        #expect(sixes.cost(seconds: 5).microUnits == 10_000)
        #expect(perSecond.cost(seconds: 5).microUnits == 834)
        #expect(perSecond.cost(seconds: 0) == .zero)
    }

    @Test("Connection fee is added once per answered call")
    func connectionFee() {
        let rate = Rate(perMinute: Money(microUnits: 4500), increment: .perMinute, connectionFee: cent)
        #expect(rate.cost(seconds: 60).microUnits == 14_500)
        #expect(rate.cost(seconds: 300).microUnits == 32_500)
        #expect(rate.cost(seconds: 0) == .zero)
    }
}
