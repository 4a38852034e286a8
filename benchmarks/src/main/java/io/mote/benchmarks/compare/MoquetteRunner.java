package io.mote.benchmarks.compare;

import io.moquette.broker.Server;
import io.moquette.broker.config.MemoryConfig;

import java.util.Properties;
import java.util.concurrent.CountDownLatch;

/**
 * Runs Moquette 0.17 as a peer broker for {@code compare.sh}: in its own JVM (so its CPU and RSS are
 * measured like any other broker's), on loopback, with in-memory state only, since Mote's side of the
 * comparison keeps its journal in a temporary directory and Mosquitto runs without persistence.
 *
 * <p>Usage: {@code java -cp mote-benchmarks.jar io.mote.benchmarks.compare.MoquetteRunner PORT}. Stops on SIGTERM.
 */
public final class MoquetteRunner
{
    private MoquetteRunner()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        if (args.length != 1)
        {
            System.err.println("usage: MoquetteRunner PORT");
            System.exit(2);
        }
        final Properties properties = new Properties();
        properties.setProperty("host", "127.0.0.1");
        properties.setProperty("port", args[0]);
        properties.setProperty("websocket_port", "disabled");
        properties.setProperty("allow_anonymous", "true");
        properties.setProperty("persistence_enabled", "false");
        // Same transport choice as Mote and the generator: native epoll, and Nagle off on accepted sockets.
        properties.setProperty("netty.epoll", "true");
        properties.setProperty("netty.tcp_nodelay", "true");
        // Mote accepts 16 MiB packets by default; Moquette's 8 KiB default would reject nothing we send, but keep them alike.
        properties.setProperty("netty.mqtt.message_size", "16842752");
        // No outbound calls from a benchmark machine.
        properties.setProperty("telemetry_enabled", "false");
        properties.setProperty("use_bugsnag", "false");
        properties.setProperty("use_metrics", "false");
        final Server server = new Server();
        server.startServer(new MemoryConfig(properties));
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() ->
        {
            server.stopServer();
            stopped.countDown();
        }, "moquette-stop"));
        System.out.println("moquette listening on 127.0.0.1:" + server.getPort());
        stopped.await();
    }
}
