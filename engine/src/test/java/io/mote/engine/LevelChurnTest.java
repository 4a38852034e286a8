package io.mote.engine;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The level table follows live rows and subscriptions, not history (devices come and go). */
class LevelChurnTest
{
    private final EngineHarness harness = new EngineHarness();

    @AfterEach
    void close()
    {
        harness.close();
    }

    @Test
    void shouldReleaseLevelsOfDeletedRetainedRows()
    {
        for (int device = 0; device < 2_000; device++)
        {
            harness.publish("dev", "fleet/d" + device + "/seen", "1", 0, true);
            harness.publish("dev", "fleet/d" + device + "/seen", "", 0, true);
        }
        harness.settle();
        assertThat(harness.engine().stats().levels()).isZero();
        assertThat(harness.engine().stats().retainedRows()).isZero();
    }

    @Test
    void shouldReleaseLevelsOfSubscriptionsThatEnd()
    {
        for (int session = 0; session < 500; session++)
        {
            harness.subscribe("app" + session, "session/s" + session + "/+", 0);
            harness.disconnect("app" + session);
        }
        harness.settle();
        assertThat(harness.engine().stats().levels()).isZero();
        assertThat(harness.engine().stats().subscriptions()).isZero();
    }

    @Test
    void shouldNotInternLevelsOfRoutedOnlyRows()
    {
        harness.subscribe("app", "telemetry/+/temp", 0);
        final long levelsWithSubscription = statsAfterSettle().levels();
        for (int device = 0; device < 1_000; device++)
        {
            harness.publish("dev", "telemetry/d" + device + "/temp", "21", 0, false);
        }
        assertThat(harness.messages()).hasSize(1_000);
        assertThat(statsAfterSettle().levels()).isEqualTo(levelsWithSubscription);
    }

    @Test
    void shouldReleaseLevelsWhenWildcardDeleteClearsSubtree()
    {
        for (int device = 0; device < 300; device++)
        {
            harness.publish("dev", "site/d" + device + "/t", "1", 0, true);
        }
        harness.publish("dev", "site/#", "", 0, true);
        assertThat(statsAfterSettle().levels()).isZero();
    }

    private EngineStats statsAfterSettle()
    {
        harness.settle();
        return harness.engine().stats();
    }
}
