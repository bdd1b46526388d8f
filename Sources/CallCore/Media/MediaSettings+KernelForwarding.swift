import Media

extension MediaSettings {
    /// Attaches the kernel's RTP forwarding program to every interface, sized for the port pool
    /// (at most one rule per port pair); returns why not when the kernel refuses, and the relay
    /// then forwards everything in user space.
    public mutating func startKernelForwarding() -> String? {
        do {
            kernelForwarder = try KernelForwarder(capacity: portPool.capacity)
            return nil
        } catch {
            kernelForwarder = nil
            return error.description
        }
    }

    /// The interfaces kernel forwarding is attached to; empty when it is not active.
    public var kernelForwardingInterfaces: [String] { kernelForwarder?.interfaces ?? [] }

    /// Stream directions forwarded in the kernel now.
    public var kernelForwardingRules: Int { kernelForwarder?.ruleCount ?? 0 }
}
