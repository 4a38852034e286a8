package io.mote.engine;

import io.mote.engine.pipeline.EngineProducer;
import io.mote.engine.pipeline.InvalidPublishException;
import io.mote.engine.topic.Dialect;
import io.mote.engine.topic.FilterKind;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A started engine driven like the transport drives it, with named clients: what a test needs to
 * speak PROTOCOL.md to the engine in-process. Not thread safe: one test thread.
 */
public final class EngineHarness implements AutoCloseable
{
    private final CollectingOutbound outbound = new CollectingOutbound();
    private final Engine engine;
    private final EngineProducer producer;
    private final Map<String, Long> ids = new HashMap<>();
    private final Map<Long, String> names = new HashMap<>();
    private final Map<String, Dialect> dialects = new HashMap<>();
    private final Set<String> disconnected = new HashSet<>();
    private int nextPacketId = 1;

    public EngineHarness()
    {
        this(EngineConfig.defaults().withRingSize(64));
    }

    public EngineHarness(final EngineConfig config)
    {
        this(config, Journal.NONE);
    }

    public EngineHarness(final EngineConfig config, final Journal journal)
    {
        engine = new Engine(config, outbound, journal, Authorizer.ALLOW_ALL);
        engine.start();
        producer = engine.newProducer();
    }

    public void connect(final String client, final Dialect dialect)
    {
        dialects.put(client, dialect);
        id(client);
    }

    public FilterKind subscribe(final String client, final String filter, final int qos)
    {
        final byte[] bytes = filter.getBytes(StandardCharsets.UTF_8);
        final FilterKind kind = producer.subscribe(id(client), dialect(client), bytes, 0, bytes.length, qos);
        producer.flush();
        return kind;
    }

    public FilterKind unsubscribe(final String client, final String filter)
    {
        final byte[] bytes = filter.getBytes(StandardCharsets.UTF_8);
        final FilterKind kind = producer.unsubscribe(id(client), dialect(client), bytes, 0, bytes.length);
        producer.flush();
        return kind;
    }

    /** @return null when queued, or why the publish was refused (the client is then disconnected). */
    public String publish(final String client, final String topic, final byte[] payload, final int qos, final boolean retain)
    {
        final byte[] topicBytes = topic.getBytes(StandardCharsets.UTF_8);
        try
        {
            producer.publish(id(client), dialect(client), topicBytes, 0, topicBytes.length, payload, 0, payload.length, qos, retain, qos > 0 ? nextPacketId++ : 0);
            producer.flush();
            return null;
        }
        catch (final InvalidPublishException ex)
        {
            disconnect(client);
            return ex.getMessage();
        }
    }

    public String publish(final String client, final String topic, final String payload, final int qos, final boolean retain)
    {
        return publish(client, topic, payload.getBytes(StandardCharsets.UTF_8), qos, retain);
    }

    /** The connection goes away: its clean session ends with it. */
    public void disconnect(final String client)
    {
        disconnected.add(client);
        producer.sessionEnded(id(client));
        producer.flush();
    }

    /** Waits until the engine has processed everything sent so far. */
    public void settle()
    {
        producer.flush();
        if (!engine.awaitProcessed(Duration.ofSeconds(30)))
        {
            throw new AssertionError("engine did not settle within 30 s");
        }
    }

    /** Messages received since the last call, after settling. */
    public List<CollectingOutbound.Message> messages()
    {
        settle();
        return outbound.drainMessages();
    }

    public List<CollectingOutbound.Verdict> verdicts()
    {
        settle();
        return outbound.drainVerdicts();
    }

    /** Clients whose publishes the engine refused after queuing them (their connections would close). */
    public List<String> verdictsRejected()
    {
        final List<String> rejected = new java.util.ArrayList<>();
        for (final CollectingOutbound.Verdict verdict : verdicts())
        {
            if (verdict.rejection() != null)
            {
                rejected.add(name(verdict.clientId()));
            }
        }
        return rejected;
    }

    /** Every retained row, read the way a client would: a sync subscription to {@code /#}. */
    public Map<String, String> retainedRows()
    {
        settle();
        final List<CollectingOutbound.Message> before = outbound.drainMessages();
        final String probe = "\u0000retained-probe";
        connect(probe, Dialect.MOTE);
        subscribe(probe, "/#", 0);
        settle();
        Map<String, String> rows = null;
        for (final CollectingOutbound.Message m : outbound.drainMessages())
        {
            if (m.subscriberId() == id(probe))
            {
                rows = Json.flatten("", Json.parse(m.payload()));
            }
        }
        disconnect(probe);
        disconnected.remove(probe);
        settle();
        requeue(before);
        if (rows == null)
        {
            throw new AssertionError("no snapshot for /#");
        }
        return rows;
    }

    public String name(final long subscriberId)
    {
        return names.get(subscriberId);
    }

    public long id(final String client)
    {
        return ids.computeIfAbsent(client, name ->
        {
            final long id = ids.size() + 1L;
            names.put(id, name);
            return id;
        });
    }

    public Set<String> disconnectedClients()
    {
        return disconnected;
    }

    public Engine engine()
    {
        return engine;
    }

    public EngineProducer producer()
    {
        return producer;
    }

    private Dialect dialect(final String client)
    {
        return dialects.getOrDefault(client, Dialect.MOTE);
    }

    private void requeue(final List<CollectingOutbound.Message> messages)
    {
        for (final CollectingOutbound.Message m : messages)
        {
            outbound.deliver(m.subscriberId(), m.topic().getBytes(StandardCharsets.UTF_8), 0, m.topic().getBytes(StandardCharsets.UTF_8).length,
                m.payload(), 0, m.payload().length, m.qos(), m.retain(), m.publisherId());
        }
    }

    @Override
    public void close()
    {
        engine.close();
    }
}
