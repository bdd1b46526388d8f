extension ConfigurationSnapshot {
    /// Least-cost routing as this snapshot compiled it (rate table built at load).
    public var routing: RoutingPlan { configuration.routing.plan }
}
