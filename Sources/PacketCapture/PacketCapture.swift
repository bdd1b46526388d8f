public enum PacketCapturePlaceholder {}
