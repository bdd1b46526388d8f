/// Number normalization, rate decks and least-cost lookup, carrier profiles and limits.
public enum Routing {}
