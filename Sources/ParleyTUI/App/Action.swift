import Foundation
import ParleyCore

/// Everything that can happen to the workbench: a key, a command (from a key or the palette),
/// a new terminal size, or data arriving from the data source.
public enum Action: Equatable, Sendable {
    /// Starts the workbench: counts the queue and fetches the first screen.
    case start
    case key(KeyEvent)
    case command(Command)
    case resized(Size)
    case queueCounted(QueueFilter, Int)
    case queuePageLoaded(QueueFilter, offset: Int, rows: [QueueRow])
    case detailLoaded(accountID: String, AccountDetail?)
    case reasonsLoaded(accountID: String, [QueueReason])
    case loadFailed(String)
    case verdictLoaded(accountID: String, ContactVerdict, at: Date)
    case offerInputsLoaded(accountID: String, OfferInputs?)
    /// An event was recorded; the script moves to `next` when given.
    case recorded(accountID: String, RecordResult, next: String?)
    case recordRefused(accountID: String, String)
    /// A note could not be written (the store failed, e.g. another process held the file past
    /// the wait): its text comes back to the prompt, so that Enter tries again.
    case noteNotRecorded(accountID: String, text: String, String)
    /// Supervisor review results (App/SupervisorOverlays.swift).
    case review(ReviewResult)
}

/// What the reducer asks the world to do; the run loop performs it and feeds the result back
/// as an action.
public enum Effect: Equatable, Sendable {
    case countQueue(QueueFilter)
    case loadQueuePage(QueueFilter, offset: Int, limit: Int)
    case loadDetail(accountID: String)
    case loadReasons(accountID: String)
    case loadVerdict(accountID: String)
    case loadOfferInputs(accountID: String)
    case recordCall(accountID: String, CallOutcome, next: String?)
    case record(accountID: String, CaseEvent, next: String?)
    case quit
    /// Supervisor review loads and decisions (App/SupervisorOverlays.swift).
    case review(ReviewEffect)
}
