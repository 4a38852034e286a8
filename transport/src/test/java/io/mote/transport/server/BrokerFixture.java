package io.mote.transport.server;

import io.mote.engine.Authorizer;
import io.mote.engine.Engine;
import io.mote.engine.EngineConfig;
import io.mote.engine.Journal;

import java.util.function.UnaryOperator;

/**
 * A whole broker in this JVM (engine, sessions, listeners on free ports), wired as the broker
 * module wires it, for tests that talk to it over real sockets.
 */
public final class BrokerFixture implements AutoCloseable
{
    private final Engine engine;
    private final SessionRegistry sessions;
    private final MqttServer server;

    private BrokerFixture(final TransportConfig config, final EngineConfig engineConfig) throws Exception
    {
        sessions = new SessionRegistry(config);
        engine = new Engine(engineConfig, sessions, Journal.NONE, Authorizer.ALLOW_ALL);
        engine.start();
        server = new MqttServer(config, engine, sessions);
        try
        {
            server.start();
        }
        catch (final Exception ex)
        {
            engine.close();
            throw ex;
        }
    }

    /** Defaults, but on free ports (TCP and WebSocket). */
    public static BrokerFixture start() throws Exception
    {
        return start(config -> config);
    }

    public static BrokerFixture start(final UnaryOperator<TransportConfig> tune) throws Exception
    {
        return new BrokerFixture(tune.apply(TransportConfig.defaults().withPort(0).withWsPort(0)), EngineConfig.defaults());
    }

    public static BrokerFixture start(final UnaryOperator<TransportConfig> tune, final EngineConfig engineConfig) throws Exception
    {
        return new BrokerFixture(tune.apply(TransportConfig.defaults().withPort(0).withWsPort(0)), engineConfig);
    }

    public int port()
    {
        return server.port();
    }

    public int wsPort()
    {
        return server.wsPort();
    }

    public String tcpUri()
    {
        return "tcp://127.0.0.1:" + port();
    }

    public Engine engine()
    {
        return engine;
    }

    public SessionRegistry sessions()
    {
        return sessions;
    }

    public MqttServer server()
    {
        return server;
    }

    @Override
    public void close()
    {
        server.close();
        engine.close();
    }
}
