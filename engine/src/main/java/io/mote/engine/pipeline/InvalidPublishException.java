package io.mote.engine.pipeline;

/**
 * A publish refused before it entered the ring: a topic that breaks the syntax of its dialect, or a
 * tree publish that breaks PROTOCOL.md §2.3. Nothing of it was queued; the caller closes the
 * connection and logs {@link #getMessage()}.
 */
public final class InvalidPublishException extends Exception
{
    private static final long serialVersionUID = 1L;

    public InvalidPublishException(final String reason)
    {
        super(reason);
    }
}
