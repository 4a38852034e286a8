package io.mote.engine.tree;

/**
 * Bounds on one tree publish (PROTOCOL.md §2.3, §6), so that no payload can exhaust the
 * broker's memory or stack. Immutable.
 *
 * @param maxDepth        deepest object nesting accepted; the top-level object is depth 1
 * @param maxRows         most rows one payload may spread into
 * @param maxPayloadBytes longest payload accepted, in bytes
 */
public record TreeLimits(int maxDepth, int maxRows, int maxPayloadBytes) {
    /**
     * The parser recurses once per object level; this cap keeps the recursion far from the
     * default thread stack size whatever the configuration says.
     */
    public static final int MAX_DEPTH_CAP = 1024;

    /** Protocol defaults: depth 32, 100 000 rows, 16 MiB. */
    public static final TreeLimits DEFAULT = new TreeLimits(32, 100_000, 16 * 1024 * 1024);

    /**
     * @throws IllegalArgumentException when maxDepth is outside [1, {@value #MAX_DEPTH_CAP}]
     *                                  or another limit is not positive
     */
    public TreeLimits {
        if (maxDepth < 1 || maxDepth > MAX_DEPTH_CAP) {
            throw new IllegalArgumentException("maxDepth must be in [1, " + MAX_DEPTH_CAP + "]: " + maxDepth);
        }
        if (maxRows < 1) {
            throw new IllegalArgumentException("maxRows must be positive: " + maxRows);
        }
        if (maxPayloadBytes < 1) {
            throw new IllegalArgumentException("maxPayloadBytes must be positive: " + maxPayloadBytes);
        }
    }
}
