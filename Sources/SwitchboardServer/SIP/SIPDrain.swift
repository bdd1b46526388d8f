import Dispatch

/// The SIP service as a drain participant: new calls get 503, calls in
/// progress finish, then the listeners close.
struct SIPDrain: DrainParticipant {
    let service: SIPService
    var name: String { "sip" }

    func drain(until deadline: DispatchTime, done: @escaping @Sendable () -> Void) {
        service.drain(until: deadline) {
            service.stop()
            done()
        }
    }
}
