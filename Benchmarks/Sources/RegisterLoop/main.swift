#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import RegistrarWorkloads

// `RegisterLoop N` registers a phone, then runs N authenticated refreshes
// (RegisterWorkload) and prints a checksum. scripts/callgrind-registrar.sh
// runs it under callgrind collecting only inside `receive` and `respond`
// (the receive thread's part), for two values of N.

let arguments = CommandLine.arguments
guard arguments.count == 2, let count = Int(arguments[1]), count >= 0 else {
    print("usage: RegisterLoop N")
    exit(2)
}

do {
    let workload = try RegisterWorkload()
    var checksum = 0
    for _ in 0..<count {
        let bytes = workload.nextRefresh()
        checksum &+= try workload.receive(bytes)
        workload.commit()
        let sent = workload.respond()
        guard sent > 0 else {
            print("refresh not answered 200")
            exit(1)
        }
        checksum &+= sent
    }
    print("register x\(count): checksum \(checksum)")
} catch {
    print("workload failed: \(error)")
    exit(1)
}
