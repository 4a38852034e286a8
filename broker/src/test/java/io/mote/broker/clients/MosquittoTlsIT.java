package io.mote.broker.clients;

import io.mote.broker.clients.Mosquitto.Finished;
import io.mote.broker.durability.BrokerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static io.mote.broker.clients.MosquittoClientsIT.args;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ./mote-broker --tls-cert FILE --tls-key FILE} end to end: the options reach the listener, and
 * the Debian clients, verifying the broker's certificate against {@code --cafile}, publish and
 * subscribe over TLS. The certificate and key are the transport module's test-only pair
 * (transport/src/test/resources/tls, self-signed for 127.0.0.1 and localhost).
 */
class MosquittoTlsIT
{
    @TempDir
    Path workDir;

    @Test
    void shouldServeMosquittoClientsOverTlsWithTheCertificateAndKeyGivenOnTheCommandLine() throws Exception
    {
        Mosquitto.requireInstalled();
        final Path tls = repositoryRoot().resolve("transport/src/test/resources/tls");
        final String cert = tls.resolve("cert.pem").toString();
        final String key = tls.resolve("key.pem").toString();

        try (BrokerProcess broker = BrokerProcess.start(workDir, "data", "--tls-cert", cert, "--tls-key", key))
        {
            assertThat(broker.uri()).as("the start line announces mqtts://").startsWith("ssl://");

            Mosquitto.run("mosquitto_pub", args(broker.port(), "--cafile", cert, "-t", "tls/greeting", "-m", "over tls", "-r", "-q", "1")).succeeded();
            final Finished sub = Mosquitto.run("mosquitto_sub",
                args(broker.port(), "--cafile", cert, "-t", "tls/#", "-C", "1", "-v", "-W", String.valueOf(Mosquitto.CLIENT_TIMEOUT_SECONDS))).succeeded();

            assertThat(sub.lines()).as("mosquitto_sub output").containsExactly("tls/greeting over tls");
            broker.terminate();
        }
    }

    private static Path repositoryRoot()
    {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent())
        {
            if (Files.isRegularFile(dir.resolve("mote-broker")))
            {
                return dir;
            }
        }
        throw new IllegalStateException("no mote-broker launcher above " + Path.of("").toAbsolutePath());
    }
}
