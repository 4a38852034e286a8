package io.mote.broker;

import io.mote.engine.EngineConfig;
import io.mote.engine.EngineConfig.WaitStrategyKind;
import io.mote.engine.tree.TreeLimits;
import io.mote.transport.server.TransportConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class BrokerConfigTest
{
    @TempDir
    Path tmp;

    @Test
    void shouldUseTheModulesDefaultsWhenNoOptionIsGiven()
    {
        final BrokerConfig.Parsed parsed = BrokerConfig.parse();

        assertThat(parsed.shouldRun()).isTrue();
        assertThat(parsed.config().transport()).isEqualTo(TransportConfig.defaults());
        assertThat(parsed.config().engine()).isEqualTo(EngineConfig.defaults());
        assertThat(parsed.config().dataDir()).isEqualTo(Path.of("data").toAbsolutePath());
    }

    @Test
    void shouldStateTheDefaultsTheIssueAsksFor()
    {
        final TransportConfig t = BrokerConfig.defaults().transport();
        final EngineConfig e = BrokerConfig.defaults().engine();

        assertThat(t.bindAddress()).isEqualTo("127.0.0.1");
        assertThat(t.port()).isEqualTo(1883);
        assertThat(t.wsPort()).isEqualTo(8083);
        assertThat(t.mqttSpeaksMote()).isFalse();
        assertThat(t.inflightWindow()).isEqualTo(32);
        assertThat(t.maxQueuedMessages()).isEqualTo(10_000);
        assertThat(t.maxPendingMessages()).isEqualTo(100_000);
        assertThat(t.ioThreads()).isZero();
        assertThat(e.ringSize()).isEqualTo(1024);
        assertThat(e.waitStrategy()).isEqualTo(WaitStrategyKind.PARKING);
        assertThat(e.treeLimits()).isEqualTo(new TreeLimits(32, 100_000, 16_777_216));
    }

    static Stream<Arguments> eachOption()
    {
        return Stream.of(
            arguments(new String[] {"--port", "1999"}, (Function<BrokerConfig, Object>) c -> c.transport().port(), 1999),
            arguments(new String[] {"--port=0"}, (Function<BrokerConfig, Object>) c -> c.transport().port(), 0),
            arguments(new String[] {"--ws-port", "-1"}, (Function<BrokerConfig, Object>) c -> c.transport().wsPort(), -1),
            arguments(new String[] {"--bind", "0.0.0.0"}, (Function<BrokerConfig, Object>) c -> c.transport().bindAddress(), "0.0.0.0"),
            arguments(new String[] {"--bind", "::1"}, (Function<BrokerConfig, Object>) c -> c.transport().bindAddress(), "::1"),
            arguments(new String[] {"--data-dir", "/var/lib/mote"}, (Function<BrokerConfig, Object>) BrokerConfig::dataDir, Path.of("/var/lib/mote")),
            arguments(new String[] {"--mqtt-dialect", "mote"}, (Function<BrokerConfig, Object>) c -> c.transport().mqttSpeaksMote(), true),
            arguments(new String[] {"--mqtt-dialect", "standard"}, (Function<BrokerConfig, Object>) c -> c.transport().mqttSpeaksMote(), false),
            arguments(new String[] {"--max-packet-size", "4096"}, (Function<BrokerConfig, Object>) c -> c.transport().maxPacketSize(), 4096),
            arguments(new String[] {"--inflight", "65535"}, (Function<BrokerConfig, Object>) c -> c.transport().inflightWindow(), 65_535),
            arguments(new String[] {"--max-queued", "7"}, (Function<BrokerConfig, Object>) c -> c.transport().maxQueuedMessages(), 7),
            arguments(new String[] {"--max-pending", "20000"}, (Function<BrokerConfig, Object>) c -> c.transport().maxPendingMessages(), 20_000),
            arguments(new String[] {"--io-threads", "3"}, (Function<BrokerConfig, Object>) c -> c.transport().ioThreads(), 3),
            arguments(new String[] {"--ring-size", "4096"}, (Function<BrokerConfig, Object>) c -> c.engine().ringSize(), 4096),
            arguments(new String[] {"--wait-strategy", "busy-spin"}, (Function<BrokerConfig, Object>) c -> c.engine().waitStrategy(), WaitStrategyKind.BUSY_SPIN),
            arguments(new String[] {"--wait-strategy", "sleeping"}, (Function<BrokerConfig, Object>) c -> c.engine().waitStrategy(), WaitStrategyKind.SLEEPING),
            arguments(new String[] {"--wait-strategy", "yielding"}, (Function<BrokerConfig, Object>) c -> c.engine().waitStrategy(), WaitStrategyKind.YIELDING),
            arguments(new String[] {"--tree-max-depth", "1024"}, (Function<BrokerConfig, Object>) c -> c.engine().treeLimits().maxDepth(), 1024),
            arguments(new String[] {"--tree-max-rows", "5"}, (Function<BrokerConfig, Object>) c -> c.engine().treeLimits().maxRows(), 5),
            arguments(new String[] {"--tree-max-bytes", "1000"}, (Function<BrokerConfig, Object>) c -> c.engine().treeLimits().maxPayloadBytes(), 1000),
            arguments(new String[] {"--port", "1", "--port", "2"}, (Function<BrokerConfig, Object>) c -> c.transport().port(), 2));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("eachOption")
    void shouldSetTheMatchingSettingWhenAnOptionIsGiven(final String[] args, final Function<BrokerConfig, Object> setting, final Object expected)
    {
        final BrokerConfig.Parsed parsed = BrokerConfig.parse(args);

        assertThat(parsed.message()).isEmpty();
        assertThat(setting.apply(parsed.config())).isEqualTo(expected);
    }

    @Test
    void shouldTurnOnTlsWhenCertificateAndKeyAreGiven() throws IOException
    {
        final Path cert = Files.writeString(tmp.resolve("cert.pem"), "x");
        final Path key = Files.writeString(tmp.resolve("key.pem"), "x");

        final TransportConfig t = BrokerConfig.parse("--tls-cert", cert.toString(), "--tls-key", key.toString()).config().transport();

        assertThat(t.tls()).isTrue();
        assertThat(t.tlsCert()).isEqualTo(cert);
        assertThat(t.tlsKey()).isEqualTo(key);
    }

    @Test
    void shouldLetTheCommandLineOverrideTheFileWhenBothSetAnOption() throws IOException
    {
        final Path file = Files.writeString(tmp.resolve("mote.conf"), String.join("\n",
            "# a comment line",
            "",
            "port = 2000",
            "  ws-port=-1   # inline comment",
            "wait-strategy = yielding",
            "data-dir = state",
            "bind = localhost"));

        final BrokerConfig config = BrokerConfig.parse("--config", file.toString(), "--port", "3000").config();

        assertThat(config.transport().port()).isEqualTo(3000);
        assertThat(config.transport().wsPort()).isEqualTo(-1);
        assertThat(config.transport().bindAddress()).isEqualTo("localhost");
        assertThat(config.engine().waitStrategy()).isEqualTo(WaitStrategyKind.YIELDING);
        assertThat(config.dataDir()).as("relative to the file, not the working directory").isEqualTo(tmp.resolve("state"));
    }

    @Test
    void shouldPrintHelpAndExitZeroWhenHelpIsAskedEvenAmongBadOptions()
    {
        final BrokerConfig.Parsed parsed = BrokerConfig.parse("--nonsense", "--help");

        assertThat(parsed.shouldRun()).isFalse();
        assertThat(parsed.exitCode()).isZero();
        for (final BrokerOption option : BrokerOption.values())
        {
            assertThat(parsed.message()).contains(option.flag()).contains(option.description());
        }
    }

    @Test
    void shouldPrintTheBuiltVersionWhenVersionIsAsked()
    {
        final BrokerConfig.Parsed parsed = BrokerConfig.parse("--version");

        assertThat(parsed.exitCode()).isZero();
        assertThat(parsed.message()).matches("mote-broker \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
    }

    static Stream<Arguments> badCommandLines()
    {
        return Stream.of(
            arguments(new String[] {"--colour", "red"}, "unknown option --colour"),
            arguments(new String[] {"1883"}, "unexpected argument '1883'; options start with --"),
            arguments(new String[] {"--port"}, "--port: needs a value (N)"),
            arguments(new String[] {"--port", "abc"}, "--port: not a number: 'abc'"),
            arguments(new String[] {"--port", "65536"}, "--port: must be 0..65535, was 65536"),
            arguments(new String[] {"--port", "-1"}, "--port: must be 0..65535, was -1"),
            arguments(new String[] {"--ws-port", "-2"}, "--ws-port: must be -1..65535, was -2"),
            arguments(new String[] {"--inflight", "0"}, "--inflight: must be 1..65535, was 0"),
            arguments(new String[] {"--io-threads", "99999999999"}, "--io-threads: must be 0..1024, was 99999999999"),
            arguments(new String[] {"--max-packet-size", "10"}, "--max-packet-size: must be 64..2147483647, was 10"),
            arguments(new String[] {"--max-pending", "10", "--max-queued", "20"}, "--max-pending: must be at least --max-queued (20), was 10"),
            arguments(new String[] {"--ring-size", "1000"}, "--ring-size: must be a power of two, was 1000"),
            arguments(new String[] {"--tree-max-depth", "1025"}, "--tree-max-depth: must be 1..1024, was 1025"),
            arguments(new String[] {"--tree-max-rows", "0"}, "--tree-max-rows: must be 1..2147483647, was 0"),
            arguments(new String[] {"--tree-max-bytes", "1.5"}, "--tree-max-bytes: not a number: '1.5'"),
            arguments(new String[] {"--mqtt-dialect", "MQTT"}, "--mqtt-dialect: must be one of standard, mote, was 'MQTT'"),
            arguments(new String[] {"--wait-strategy", "busy_spin"}, "--wait-strategy: must be one of parking, backoff, phased, sleeping, blocking, yielding, busy-spin, was 'busy_spin'"),
            arguments(new String[] {"--bind", "no-such-host.invalid"}, "--bind: unknown host 'no-such-host.invalid'"),
            arguments(new String[] {"--tls-cert", "/etc/hostname"}, "--tls-key: TLS needs both --tls-cert and --tls-key"),
            arguments(new String[] {"--tls-key", "/etc/hostname"}, "--tls-cert: TLS needs both --tls-cert and --tls-key"),
            arguments(new String[] {"--tls-cert", "/no/cert.pem", "--tls-key", "/etc/hostname"}, "--tls-cert: cannot read file /no/cert.pem"),
            arguments(new String[] {"--config", "/no/mote.conf"}, "--config: cannot read file /no/mote.conf"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("badCommandLines")
    void shouldExplainInOneLineAndExitTwoWhenTheCommandLineIsBad(final String[] args, final String error)
    {
        final BrokerConfig.Parsed parsed = BrokerConfig.parse(args);

        assertThat(parsed.shouldRun()).isFalse();
        assertThat(parsed.exitCode()).isEqualTo(2);
        assertThat(parsed.message()).isEqualTo("mote-broker: " + error + " (see --help)");
    }

    static Stream<Arguments> badFiles()
    {
        return Stream.of(
            arguments("colour = red", "--config: unknown option 'colour' (FILE line 2)"),
            arguments("config = other.conf", "--config: unknown option 'config' (FILE line 2)"),
            arguments("help = yes", "--config: unknown option 'help' (FILE line 2)"),
            arguments("port 1883", "--config: expected name = value, got 'port 1883' (FILE line 2)"),
            arguments("port = 1883x", "--port: not a number: '1883x' (FILE line 2)"),
            arguments("ws-port = 1\nws-port = 2", "--ws-port: set twice in the file (FILE line 3)"),
            arguments("mqtt-dialect = mote # the original broker's way\nmqtt-dialect = standard", "--mqtt-dialect: set twice in the file (FILE line 3)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFiles")
    void shouldNameTheFileAndLineWhenTheFileIsBad(final String content, final String error) throws IOException
    {
        final Path file = Files.writeString(tmp.resolve("mote.conf"), "# settings\n" + content + "\n");

        final BrokerConfig.Parsed parsed = BrokerConfig.parse("--config", file.toString());

        assertThat(parsed.exitCode()).isEqualTo(2);
        assertThat(parsed.message()).isEqualTo("mote-broker: " + error.replace("FILE", file.toString()) + " (see --help)");
    }
}
