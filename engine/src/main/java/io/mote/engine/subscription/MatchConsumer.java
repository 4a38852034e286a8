package io.mote.engine.subscription;

/**
 * Receives the subscriptions that {@link SubscriptionTrie#match} finds.
 *
 * <p>Implementations are expected to be long-lived (one per matching stage), so that matching a row
 * allocates nothing. {@link #onMatch} must not add to or remove from the trie being matched.
 */
@FunctionalInterface
public interface MatchConsumer
{
    /** Called once per matching subscription and match call, in no particular order. */
    void onMatch(int subscriptionId);
}
