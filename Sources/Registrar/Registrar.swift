/// The location service, digest authentication and the binding store.
public enum Registrar {}
