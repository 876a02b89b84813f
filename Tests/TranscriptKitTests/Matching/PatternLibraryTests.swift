import Testing
@testable import TranscriptKit
