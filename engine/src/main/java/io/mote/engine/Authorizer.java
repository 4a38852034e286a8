package io.mote.engine;

/**
 * The one permission check on the matching path: every row a client writes and every row a
 * subscription would receive passes through here, so snapshots and updates can be filtered row by
 * row and a tree publish holding one forbidden row refused whole.
 *
 * <p>Called by the matching thread only, per row: implementations must be fast and allocation free.
 */
public interface Authorizer
{
    /** Lets everything through: the broker has no authentication yet. */
    Authorizer ALLOW_ALL = new Authorizer()
    {
        @Override
        public boolean mayWrite(final long clientId, final byte[] topic, final int offset, final int length)
        {
            return true;
        }

        @Override
        public boolean mayRead(final long subscriberId, final byte[] topic, final int offset, final int length)
        {
            return true;
        }
    };

    boolean mayWrite(long clientId, byte[] topic, int offset, int length);

    boolean mayRead(long subscriberId, byte[] topic, int offset, int length);
}
