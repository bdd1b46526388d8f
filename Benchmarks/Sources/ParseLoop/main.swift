#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SIPCore
import SIPWorkloads

// `ParseLoop WORKLOAD N` runs one workload N times and prints a checksum.
// scripts/callgrind.sh runs it under callgrind for two values of N; the
// difference divided by the difference in N is the cost of one message,
// without process startup.

let arguments = CommandLine.arguments
guard arguments.count == 3, let count = Int(arguments[2]), count >= 0 else {
    print("usage: ParseLoop index|core|typed|proxy|response N")
    exit(2)
}

let work: ([UInt8]) throws(SIPParseError) -> Int
let input: [UInt8]
switch arguments[1] {
case "index": (work, input) = (SIPWorkloads.parseIndex, SIPWorkloads.invite)
case "typed": (work, input) = (SIPWorkloads.parseTyped, SIPWorkloads.invite)
case "core": (work, input) = (SIPWorkloads.parseCore, SIPWorkloads.invite)
case "proxy": (work, input) = (SIPWorkloads.proxyRoundTrip, SIPWorkloads.invite)
case "response": (work, input) = (SIPWorkloads.responseRoundTrip, SIPWorkloads.okResponse)
default:
    print("unknown workload \(arguments[1])")
    exit(2)
}

var checksum = 0
for _ in 0..<count {
    do {
        checksum &+= try work(input)
    } catch {
        print("workload failed: \(error)")
        exit(1)
    }
}
print("\(arguments[1]) x\(count): checksum \(checksum)")
