package io.mote.transport.tls;

import io.mote.transport.server.BrokerFixture;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.net.SocketFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Both listeners with {@code withTls(cert, key)}: MQTT over TLS and MQTT over WebSocket over TLS, with
 * Paho verifying the broker's certificate (and host name) against the test-only self-signed pair in
 * src/test/resources/tls; a client that does not speak TLS gets nothing.
 */
class TlsTest
{
    private static final int TIMEOUT_SECONDS = 10;

    private BrokerFixture broker;
    private SSLSocketFactory trusting;

    @BeforeEach
    void start() throws Exception
    {
        final Path cert = resource("tls/cert.pem");
        final Path key = resource("tls/key.pem");
        broker = BrokerFixture.start(c -> c.withTls(cert, key));
        trusting = socketFactoryTrusting(cert);
    }

    @AfterEach
    void stop()
    {
        broker.close();
    }

    @Test
    void shouldPublishAndReceiveARetainedMessageOverTls() throws Exception
    {
        final String uri = "ssl://127.0.0.1:" + broker.port();
        final MqttClient publisher = connect(uri, "tls-pub", trusting);
        publisher.publish("tls/greeting", "hello".getBytes(StandardCharsets.UTF_8), 1, true);
        publisher.disconnect();
        publisher.close();

        final MqttClient subscriber = connect(uri, "tls-sub", trusting);
        final LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
        subscriber.subscribe("tls/#", 1, (topic, message) -> received.add(describe(topic, message)));
        assertThat(received.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isEqualTo("tls/greeting=hello q1 r");
        subscriber.disconnect();
        subscriber.close();
    }

    @Test
    void shouldPublishAndReceiveOverWebSocketOverTls() throws Exception
    {
        // Any path and subprotocol mqtt, which Paho asks for.
        final String uri = "wss://127.0.0.1:" + broker.wsPort() + "/mqtt";
        final MqttClient publisher = connect(uri, "wss-pub", trusting);
        publisher.publish("wss/retained", "kept".getBytes(StandardCharsets.UTF_8), 1, true);

        final MqttClient subscriber = connect(uri, "wss-sub", trusting);
        final LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
        subscriber.subscribe("wss/#", 2, (topic, message) -> received.add(describe(topic, message)));
        assertThat(received.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isEqualTo("wss/retained=kept q1 r");

        publisher.publish("wss/live", "now".getBytes(StandardCharsets.UTF_8), 2, false);
        assertThat(received.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isEqualTo("wss/live=now q2");

        publisher.disconnect();
        publisher.close();
        subscriber.disconnect();
        subscriber.close();
    }

    @Test
    void shouldRefuseAClientThatDoesNotTrustTheCertificate() throws Exception
    {
        // The JDK's default trust store does not hold the self-signed test certificate.
        final MqttClient client = new MqttClient("ssl://127.0.0.1:" + broker.port(), "untrusting", new MemoryPersistence());
        try
        {
            final MqttConnectOptions options = options();
            options.setSocketFactory(SSLContext.getDefault().getSocketFactory());
            assertThatThrownBy(() -> client.connect(options)).isInstanceOf(MqttException.class);
            assertThat(client.isConnected()).isFalse();
        }
        finally
        {
            client.close();
        }
    }

    @Test
    void shouldGiveAPlainTcpClientNoConnackOnTheTlsPortAndCloseTheConnection() throws Exception
    {
        // CONNECT, MQTT 3.1.1, clean session, keep-alive 60, client id "plain": what a client that forgot TLS sends.
        final byte[] connect = {
            0x10, 17,
            0, 4, 'M', 'Q', 'T', 'T', 4, 0x02, 0, 60,
            0, 5, 'p', 'l', 'a', 'i', 'n'};
        final ByteArrayOutputStream answer = new ByteArrayOutputStream();
        boolean closed = false;
        try (Socket socket = SocketFactory.getDefault().createSocket())
        {
            socket.connect(new InetSocketAddress("127.0.0.1", broker.port()), TIMEOUT_SECONDS * 1000);
            socket.setSoTimeout(TIMEOUT_SECONDS * 1000);
            socket.getOutputStream().write(connect);
            socket.getOutputStream().flush();
            final InputStream in = socket.getInputStream();
            try
            {
                for (int b = in.read(); ; b = in.read())
                {
                    if (b < 0)
                    {
                        closed = true;
                        break;
                    }
                    answer.write(b);
                }
            }
            catch (final SocketException reset)
            {
                closed = true;
            }
            catch (final SocketTimeoutException timeout)
            {
                closed = false;
            }
        }
        final byte[] bytes = answer.toByteArray();
        assertThat(bytes.length > 0 && bytes[0] == 0x20).as("a CONNACK came back: %s", toHex(bytes)).isFalse();
        assertThat(closed).as("the broker closed the connection within %d s (received %s)", TIMEOUT_SECONDS, toHex(bytes)).isTrue();
    }

    private static MqttClient connect(final String uri, final String clientId, final SocketFactory socketFactory) throws MqttException
    {
        final MqttClient client = new MqttClient(uri, clientId, new MemoryPersistence());
        final MqttConnectOptions options = options();
        options.setSocketFactory(socketFactory);
        client.connect(options);
        return client;
    }

    private static MqttConnectOptions options()
    {
        final MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(true);
        options.setConnectionTimeout(TIMEOUT_SECONDS);
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        return options;
    }

    private static String describe(final String topic, final org.eclipse.paho.client.mqttv3.MqttMessage message)
    {
        return topic + "=" + new String(message.getPayload(), StandardCharsets.UTF_8) + " q" + message.getQos() + (message.isRetained() ? " r" : "");
    }

    /** TLS that trusts exactly {@code certPem}; host name verification stays on (the certificate names 127.0.0.1). */
    private static SSLSocketFactory socketFactoryTrusting(final Path certPem) throws Exception
    {
        final X509Certificate cert;
        try (InputStream in = Files.newInputStream(certPem))
        {
            cert = (X509Certificate)CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        final KeyStore trustStore = KeyStore.getInstance(KeyStore.getDefaultType());
        trustStore.load(null, null);
        trustStore.setCertificateEntry("mote-test", cert);
        final TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trustStore);
        final SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context.getSocketFactory();
    }

    private static Path resource(final String name) throws Exception
    {
        return Path.of(TlsTest.class.getClassLoader().getResource(name).toURI());
    }

    private static String toHex(final byte[] bytes)
    {
        final StringBuilder hex = new StringBuilder(bytes.length == 0 ? "nothing" : "");
        for (final byte b : bytes)
        {
            hex.append(String.format("%02x ", b));
        }
        return hex.toString().trim();
    }
}
