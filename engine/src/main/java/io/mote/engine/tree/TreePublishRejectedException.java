package io.mote.engine.tree;

import java.util.Objects;

/**
 * A tree publish payload broke a rule of PROTOCOL.md §2.3 or a {@link TreeLimits} limit.
 * The message says what and where (byte offset in the payload and the topic path reached).
 */
public final class TreePublishRejectedException extends Exception {
    private final TreeRejection reason;

    /**
     * @param reason  which rule was broken
     * @param message what and where, for the broker's log line
     */
    public TreePublishRejectedException(TreeRejection reason, String message) {
        // No stack trace: the cause is the client's payload, not our code, and a client sending
        // bad trees in a loop should not make the broker walk its stack each time.
        super(message, null, false, false);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** @return which rule was broken */
    public TreeRejection reason() {
        return reason;
    }
}
