public enum SIPCorePlaceholder {}
