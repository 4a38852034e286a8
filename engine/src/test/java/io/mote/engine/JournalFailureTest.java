package io.mote.engine;

import io.mote.engine.pipeline.MatchResult;
import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;

import static org.assertj.core.api.Assertions.assertThat;

/** Nothing acknowledged may be lost: a failing journal stops acknowledgements, it does not skip them. */
class JournalFailureTest
{
    private static final class FailingJournal implements Journal
    {
        private volatile boolean failing;

        @Override
        public void append(final MatchResult changes, final long sequence)
        {
            if (failing)
            {
                throw new UncheckedIOException(new java.io.IOException("No space left on device"));
            }
        }

        @Override
        public void endOfBatch(final long sequence)
        {
        }
    }

    @Test
    void shouldRefuseAcknowledgementsOnceTheJournalFails()
    {
        final FailingJournal journal = new FailingJournal();
        try (EngineHarness harness = new EngineHarness(EngineConfig.defaults().withRingSize(64), journal))
        {
            harness.publish("dev", "a/b", "1", 1, true);
            assertThat(harness.verdicts()).singleElement().satisfies(v -> assertThat(v.rejection()).isNull());

            journal.failing = true;
            harness.publish("dev", "a/b", "2", 1, true);
            harness.publish("dev", "a/c", "3", 1, false);
            assertThat(harness.verdicts()).hasSize(2).allSatisfy(v -> assertThat(v.rejection()).contains("No space left on device"));
        }
    }
}
