import Media

/// Several transforms of one direction run in order (SRTP unprotect,
/// transcode, SRTP protect); the first drop ends the packet.
/// Confined to the media session's queue like its stages.
final class MediaTransformChain: MediaPacketTransform {
    let stages: [any MediaPacketTransform]

    init(_ stages: [any MediaPacketTransform]) {
        self.stages = stages
    }

    func transformRTP(_ packet: inout MediaPacketBuffer) -> MediaTransformResult {
        for stage in stages {
            let result = stage.transformRTP(&packet)
            if result != .forward { return result }
        }
        return .forward
    }

    func transformRTCP(_ packet: inout MediaPacketBuffer) -> MediaTransformResult {
        for stage in stages {
            let result = stage.transformRTCP(&packet)
            if result != .forward { return result }
        }
        return .forward
    }
}
