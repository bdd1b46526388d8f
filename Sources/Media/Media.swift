/// The RTP/RTCP relay, SRTP and transcoding.
public enum Media {}
