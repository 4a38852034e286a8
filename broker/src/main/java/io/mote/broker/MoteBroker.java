package io.mote.broker;

import io.mote.engine.Authorizer;
import io.mote.engine.Engine;
import io.mote.persistence.Persistence;
import io.mote.persistence.Recovery;
import io.mote.engine.EngineConfig;
import io.mote.engine.session.DurableSession;
import io.mote.transport.server.MqttServer;
import io.mote.transport.server.SessionRegistry;
import io.mote.transport.server.TransportConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The running broker: the engine and the network listeners wired together. {@link #main} is what
 * {@code ./mote-broker} runs; {@link #start} runs a broker inside another program (tests, embedding).
 *
 * <p>Shutdown order matters: the listeners close first, so no new work enters the ring, then the
 * engine drains what is queued and stops.
 */
public final class MoteBroker implements AutoCloseable
{
    /** Exit code when the broker cannot start (port taken, data directory not writable). */
    public static final int EXIT_START_FAILED = 1;

    private static final Logger LOG = LoggerFactory.getLogger(MoteBroker.class);

    private final Engine engine;
    private final MqttServer server;
    private final Persistence persistence;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);

    private MoteBroker(final Engine engine, final MqttServer server, final Persistence persistence)
    {
        this.engine = engine;
        this.server = server;
        this.persistence = persistence;
    }

    /**
     * Runs the broker until SIGTERM or Ctrl-C, then exits 0. Prints help, the version, or a one-line
     * error and exits ({@link BrokerConfig#EXIT_USAGE} for a bad option, {@link #EXIT_START_FAILED}
     * when the broker cannot start).
     */
    public static void main(final String[] args)
    {
        final BrokerConfig.Parsed parsed = BrokerConfig.parse(args);
        if (!parsed.shouldRun())
        {
            (parsed.exitCode() == 0 ? System.out : System.err).println(parsed.message());
            System.exit(parsed.exitCode());
            return;
        }
        final MoteBroker broker;
        try
        {
            broker = start(parsed.config());
        }
        catch (final Exception ex)
        {
            // One line for the operator; the message names the cause (port, directory, certificate).
            LOG.error("mote broker could not start: {}", ex.getMessage() != null ? ex.getMessage() : ex.toString());
            System.exit(EXIT_START_FAILED);
            return;
        }
        // The hook covers every orderly exit (System.exit anywhere, SIGHUP); the signal handler is only
        // there to make SIGTERM and SIGINT exit with 0 (see TerminationSignals).
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "mote-shutdown"));
        TerminationSignals.exitNormallyOnTerminate();
        broker.awaitStopped();
    }

    /**
     * Starts a broker: creates the data directory, starts the engine, binds the listeners, logs one line
     * with the bound addresses.
     *
     * @throws Exception when the data directory cannot be created or a listener cannot bind; nothing is
     *                   left running then
     */
    public static MoteBroker start(final BrokerConfig config) throws Exception
    {
        try
        {
            Files.createDirectories(config.dataDir());
        }
        catch (final IOException ex)
        {
            throw new IOException("cannot create data directory " + config.dataDir() + ": " + ex, ex);
        }
        final TransportConfig transport = config.transport();
        // The lock comes first: a second broker on the same directory must stop before touching it.
        final Persistence persistence = Persistence.open(config.dataDir(), config.journal(), config.compaction(), config.sessionCompactBytes());
        final SessionRegistry sessions = new SessionRegistry(transport, persistence.sessions().log());
        final Engine engine = new Engine(config.engine(), sessions, persistence.journal(), Authorizer.ALLOW_ALL);
        final MqttServer server = new MqttServer(transport, engine, sessions);
        try
        {
            final Recovery.Result recovered = persistence.recover(engine::restoreRetained, engine::expectRetainedNodes);
            // Before the engine starts: restored subscriptions go straight into the matcher, with no
            // retained delivery, and the sessions are in place before any client can connect.
            final List<DurableSession> durable = persistence.sessions().recovered();
            for (final DurableSession session : durable)
            {
                sessions.restore(session, engine);
            }
            LOG.info("recovered {} persistent sessions with {} queued messages ({} session log records)", durable.size(),
                durable.stream().mapToInt(s -> s.messages().size()).sum(), persistence.sessions().replayedRecords());
            // Engine stats are first published by start(): read before it, the row count is always 0.
            engine.start();
            LOG.info("recovered {} retained rows ({} from snapshot, {} journal rows) in {} ms",
                engine.stats().retainedRows(), recovered.snapshotRows(), recovered.journal().rows(), recovered.tookMs());
            persistence.startCompaction();
            server.start();
        }
        catch (final Exception | Error ex)
        {
            server.close();
            engine.close();
            persistence.close();
            throw ex;
        }
        final MoteBroker broker = new MoteBroker(engine, server, persistence);
        broker.logStarted(config);
        return broker;
    }

    /** The broker's persistence; for tests in this package that reach below the listeners. */
    Persistence persistence()
    {
        return persistence;
    }

    /** The bound MQTT/TCP port (the real one when configured as 0). */
    public int port()
    {
        return server.port();
    }

    /** The bound WebSocket port (the real one when configured as 0); -1 when WebSocket is off. */
    public int wsPort()
    {
        return server.wsPort();
    }

    /** Closes the listeners and their connections, then drains and stops the engine. Idempotent. */
    @Override
    public void close()
    {
        if (!closed.compareAndSet(false, true))
        {
            return;
        }
        try
        {
            server.close();
        }
        finally
        {
            // The engine drains what is queued (wills of the closed connections included) into the
            // journal before persistence closes it and releases the data directory.
            engine.close();
            persistence.close();
            LOG.info("mote broker stopped");
            stopped.countDown();
        }
    }

    /** Blocks until {@link #close()} has finished. */
    public void awaitStopped()
    {
        boolean interrupted = false;
        while (true)
        {
            try
            {
                stopped.await();
                break;
            }
            catch (final InterruptedException ex)
            {
                interrupted = true;
            }
        }
        if (interrupted)
        {
            Thread.currentThread().interrupt();
        }
    }

    private void logStarted(final BrokerConfig config)
    {
        final TransportConfig t = config.transport();
        final EngineConfig e = config.engine();
        final String host = t.bindAddress().contains(":") ? "[" + t.bindAddress() + "]" : t.bindAddress();
        final String tcp = (t.tls() ? "mqtts://" : "mqtt://") + host + ":" + port();
        final String ws = t.wsPort() == -1 ? "websocket off" : (t.tls() ? "wss://" : "ws://") + host + ":" + wsPort();
        LOG.info("mote broker {} listening on {} and {} (mqtt dialect {}, data {}, io threads {}, ring {} {}, max packet {} bytes)",
            BrokerConfig.version(),
            tcp,
            ws,
            t.mqttSpeaksMote() ? "mote" : "standard",
            config.dataDir(),
            t.ioThreads() == 0 ? "1 per core" : String.valueOf(t.ioThreads()),
            e.ringSize(),
            e.waitStrategy().name().toLowerCase(Locale.ROOT),
            t.maxPacketSize());
        if (!isLoopback(t.bindAddress()))
        {
            LOG.warn("listening on {}, which other machines can reach: the broker has no authentication yet, anyone there can read and write every topic",
                t.bindAddress());
        }
    }

    private static boolean isLoopback(final String address)
    {
        try
        {
            return InetAddress.getByName(address).isLoopbackAddress();
        }
        catch (final IOException ex)
        {
            return false;
        }
    }
}
