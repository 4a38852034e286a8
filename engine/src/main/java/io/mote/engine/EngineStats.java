package io.mote.engine;

/**
 * A reading of the engine's counters, taken at the end of the matcher's last run of events.
 *
 * @param publishes         PUBLISH batches processed
 * @param rowsRouted        rows matched against subscriptions (after expansion and last-value-wins)
 * @param deliveries        messages decided for subscribers (one per mote subscription per batch,
 *                          one per mqtt client per batch)
 * @param retainedRows      rows in the retained tree
 * @param subscriptions     live subscriptions
 * @param levels            interned topic levels in use
 * @param retainedTreeBytes heap held by the retained tree's arrays and values (estimate)
 */
public record EngineStats(
    long publishes,
    long rowsRouted,
    long deliveries,
    long retainedRows,
    long subscriptions,
    long levels,
    long retainedTreeBytes)
{
}
