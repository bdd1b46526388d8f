import Foundation

/// Test signals and measurements for codec tests.
enum AudioSignal {
    /// A sine at `frequency` Hz sampled at 8 kHz.
    static func sine(frequency: Double, amplitude: Double, samples: Int, sampleRate: Double = 8000) -> [Int16] {
        (0..<samples).map { Int16(amplitude * sin(2 * Double.pi * frequency * Double($0) / sampleRate)) }
    }

    static func rms(_ samples: some Collection<Int16>) -> Double {
        guard !samples.isEmpty else { return 0 }
        let sum = samples.reduce(0.0) { $0 + Double($1) * Double($1) }
        return (sum / Double(samples.count)).squareRoot()
    }

    /// Power at one frequency (Goertzel), normalised so a full-scale-relative comparison between bins works.
    static func goertzelPower(_ samples: [Int16], frequency: Double, sampleRate: Double = 8000) -> Double {
        let coefficient = 2 * cos(2 * Double.pi * frequency / sampleRate)
        var previous = 0.0
        var beforePrevious = 0.0
        for sample in samples {
            let current = Double(sample) + coefficient * previous - beforePrevious
            beforePrevious = previous
            previous = current
        }
        return (previous * previous + beforePrevious * beforePrevious - coefficient * previous * beforePrevious)
            / Double(samples.count * samples.count)
    }

    /// Frequency estimated from sign changes.
    static func zeroCrossingFrequency(_ samples: [Int16], sampleRate: Double = 8000) -> Double {
        var crossings = 0
        for index in 1..<samples.count where (samples[index - 1] < 0) != (samples[index] < 0) { crossings += 1 }
        return Double(crossings) / 2 / (Double(samples.count) / sampleRate)
    }
}
