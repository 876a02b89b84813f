/// Which blocks of a planned file run, decided before anything is started: the file's own skip
/// and requirements, `--filter`, each block's `skip=` and `requires=`.
struct BlockSelection {
    /// Per block, why it does not run; nil for a block that runs.
    var skips: [String?]
    /// The engines the blocks that run ask for, by name.
    var neededEngines: Set<String>
    /// Blocks that run only as setup for a block chosen after them (by `--filter` or a line):
    /// reported as setup, not as tests.
    var setup: Set<Int> = []

    /// The file is skipped as a whole: the reason.
    enum Verdict {
        case run(BlockSelection)
        case skipFile(reason: String, blocks: [String?]?)
    }

    /// Decides for `plan`; `missing` says why features cannot be had (nil when they can).
    /// `chosen` says which blocks `--filter` or `file.md:LINE` chose (nil: every block): those
    /// run, and so do the blocks before the last of them, as their setup.
    static func decide(_ plan: FilePlan, missing: ([Feature]) -> String?, chosen: [Bool]?) -> Verdict {
        let transcript = plan.transcript
        if let skip = plan.fileOptions.skip, transcript.fileOptions.skip != nil || plan.configuration.options.skip != nil {
            return .skipFile(reason: skip.reason ?? "skip", blocks: nil)
        }
        if let features = plan.fileOptions.requires, let reason = missing(features) {
            return .skipFile(reason: reason, blocks: nil)
        }
        var selection = BlockSelection(skips: [], neededEngines: [])
        let last = chosen?.lastIndex(of: true) ?? -1
        for (index, block) in transcript.blocks.enumerated() {
            let options = plan.options[index]
            if let chosen, !chosen[index], index > last {
                selection.skips.append(FileRunner.notSelected)
                continue
            }
            if let chosen, !chosen[index], !block.isHidden { selection.setup.insert(index) }
            if block.illustration != nil {
                selection.skips.append(Self.illustrationReason)
            } else if let skip = options.skip {
                selection.skips.append(skip.reason ?? "skip")
            } else if let features = options.requires, let reason = missing(features) {
                selection.skips.append(reason)
            } else {
                selection.skips.append(nil)
                selection.neededEngines.formUnion((options.requires ?? []).compactMap(\.engineName))
            }
        }
        if transcript.blocks.isEmpty, transcript.format?.runsWithoutSessions == true, !transcript.source.text.isEmpty {
            return .run(selection)
        }
        if transcript.blocks.isEmpty || selection.skips.allSatisfy({ $0 != nil }) {
            let reason = selection.skips.compactMap { $0 }.first ?? "no session blocks"
            return .skipFile(reason: reason, blocks: selection.skips)
        }
        return .run(selection)
    }

    /// The skip reason of a block without any command.
    static let illustrationReason = "no command: an illustration"

    /// The number of commands in the blocks after `block` that run.
    func commandsAfter(block: Int, in transcript: Transcript) -> Int {
        var count = 0
        for index in (block + 1)..<transcript.blocks.count where skips[index] == nil {
            count += transcript.blocks[index].commands.count
        }
        return count
    }
}
