package io.mote.broker;

import io.mote.engine.EngineConfig;
import io.mote.engine.tree.TreeLimits;
import io.mote.transport.server.TransportConfig;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Every option the broker takes, with its name, default and meaning: the one list behind the
 * command line, {@code --help}, the configuration file and the README's configuration table (a test
 * keeps the README in step).
 *
 * <p>Defaults are taken from {@link TransportConfig#defaults()} and {@link EngineConfig#defaults()}
 * rather than restated, so the broker cannot drift from the modules it configures.
 */
public enum BrokerOption
{
    PORT("port", 0, 65_535, Defaults.TRANSPORT.port(),
        "MQTT over TCP (TLS when --tls-cert is set); 0 picks a free port"),
    WS_PORT("ws-port", -1, 65_535, Defaults.TRANSPORT.wsPort(),
        "MQTT over WebSocket, any path, subprotocol mqtt; 0 picks a free port, -1 turns it off"),
    BIND("bind", Kind.TEXT, "ADDRESS", Defaults.TRANSPORT.bindAddress(),
        "address both listeners bind to; anything but loopback lets other machines in, and there is no authentication yet"),
    DATA_DIR("data-dir", Kind.PATH, "DIR", "./data",
        "directory for the broker's data (journal, snapshots, persistent sessions); created when missing"),
    FSYNC("fsync", Kind.TEXT, "MODE", "never",
        "journal durability: never (survives a broker crash, not a power loss), batch (forced to disk before each acknowledgement), interval:<ms> (forced every <ms>)"),
    SNAPSHOT_EVERY_MB("snapshot-every-mb", 1, 1 << 20, 256,
        "write a snapshot of the retained rows after this many MiB of journal, so restarts and disk use follow live data"),
    SNAPSHOT_EVERY_SECONDS("snapshot-every-seconds", 1, 7 * 24 * 3600, 3600,
        "write a snapshot at least this often while rows change"),
    SESSION_LOG_COMPACT_MB("session-log-compact-mb", 1, 1 << 20, 64,
        "compact the persistent-session log in the background after this many MiB of session records, so its disk use follows live sessions"),
    TLS_CERT("tls-cert", Kind.PATH, "FILE", "",
        "PEM certificate chain; with --tls-key, both listeners speak TLS"),
    TLS_KEY("tls-key", Kind.PATH, "FILE", "",
        "PEM private key (PKCS#8) of --tls-cert"),
    MQTT_DIALECT("mqtt-dialect", List.of("standard", "mote"), "standard",
        "what MQTT/MQIsdp connections speak: mote gives them the mote dialect, as the original broker did"),
    MAX_PACKET_SIZE("max-packet-size", 64, Integer.MAX_VALUE, Defaults.TRANSPORT.maxPacketSize(),
        "largest packet accepted, fixed header included, in bytes"),
    INFLIGHT("inflight", 1, 65_535, Defaults.TRANSPORT.inflightWindow(),
        "QoS 1/2 messages sent to one client and not yet acknowledged"),
    MAX_QUEUED("max-queued", 1, Integer.MAX_VALUE, Defaults.TRANSPORT.maxQueuedMessages(),
        "messages waiting for one client beyond which QoS 0 ones are dropped"),
    MAX_PENDING("max-pending", 1, Integer.MAX_VALUE, Defaults.TRANSPORT.maxPendingMessages(),
        "QoS 1/2 messages waiting for one client: from a twentieth of it (5000 by default), publishers of QoS 1/2 to it are held (PUBACK/PUBREC withheld, not read) until it drains to a fortieth; beyond it, it is disconnected as a last resort (offline: further ones dropped, nobody held); at least --max-queued"),
    IO_THREADS("io-threads", 0, 1_024, Defaults.TRANSPORT.ioThreads(),
        "network event loops; 0 means one per core"),
    RING_SIZE("ring-size", 2, 1 << 30, Defaults.ENGINE.ringSize(),
        "engine ring slots, a power of two; each slot carries what one socket read produced"),
    WAIT_STRATEGY("wait-strategy", List.of("parking", "backoff", "phased", "sleeping", "blocking", "yielding", "busy-spin"),
        Defaults.ENGINE.waitStrategy().name().toLowerCase(Locale.ROOT).replace('_', '-'),
        "how idle engine threads wait: parking spins briefly, then sleeps until the thread in front wakes it (low latency, no CPU idle); backoff spins, yields, then parks up to 2 ms without wake-ups; phased and blocking wake threads but spin behind busy stages; sleeping keeps a core busy idle; yielding and busy-spin need spare cores"),
    TREE_MAX_DEPTH("tree-max-depth", 1, TreeLimits.MAX_DEPTH_CAP, Defaults.ENGINE.treeLimits().maxDepth(),
        "deepest object nesting of a tree publish"),
    TREE_MAX_ROWS("tree-max-rows", 1, Integer.MAX_VALUE, Defaults.ENGINE.treeLimits().maxRows(),
        "most rows one tree publish may spread into"),
    TREE_MAX_BYTES("tree-max-bytes", 1, Integer.MAX_VALUE, Defaults.ENGINE.treeLimits().maxPayloadBytes(),
        "largest tree publish payload, in bytes"),
    CONFIG("config", Kind.PATH, "FILE", "",
        "read options from a key = value file; options on the command line override it"),
    HELP("help", "print the options and exit"),
    VERSION("version", "print the version and exit");

    /** What an option's value is, which decides how it is checked. */
    public enum Kind
    {
        /** A whole number within [{@link #min()}, {@link #max()}]. */
        NUMBER,
        /** One of {@link #choices()}. */
        CHOICE,
        /** Free text (an address). */
        TEXT,
        /** A file or directory; relative paths in a configuration file are relative to that file. */
        PATH,
        /** No value: present or not. */
        FLAG
    }

    private final String name;
    private final Kind kind;
    private final String valueLabel;
    private final String defaultValue;
    private final String description;
    private final long min;
    private final long max;
    private final List<String> choices;

    BrokerOption(final String name, final long min, final long max, final int defaultValue, final String description)
    {
        this(name, Kind.NUMBER, "N", String.valueOf(defaultValue), description, min, max, List.of());
    }

    BrokerOption(final String name, final List<String> choices, final String defaultValue, final String description)
    {
        this(name, Kind.CHOICE, String.join("|", choices), defaultValue, description, 0, 0, choices);
    }

    BrokerOption(final String name, final Kind kind, final String valueLabel, final String defaultValue, final String description)
    {
        this(name, kind, valueLabel, defaultValue, description, 0, 0, List.of());
    }

    BrokerOption(final String name, final String description)
    {
        this(name, Kind.FLAG, "", "", description, 0, 0, List.of());
    }

    BrokerOption(
        final String name,
        final Kind kind,
        final String valueLabel,
        final String defaultValue,
        final String description,
        final long min,
        final long max,
        final List<String> choices)
    {
        this.name = name;
        this.kind = kind;
        this.valueLabel = valueLabel;
        this.defaultValue = defaultValue;
        this.description = description;
        this.min = min;
        this.max = max;
        this.choices = choices;
    }

    /** The name as used in a configuration file, e.g. {@code ws-port}. */
    public String optionName()
    {
        return name;
    }

    /** The name as used on the command line, e.g. {@code --ws-port}. */
    public String flag()
    {
        return "--" + name;
    }

    public Kind kind()
    {
        return kind;
    }

    /** How --help shows the value ({@code N}, {@code FILE}, {@code standard|mote}); empty for flags. */
    public String valueLabel()
    {
        return valueLabel;
    }

    /** The default as text; empty when the option is off unless given. */
    public String defaultValue()
    {
        return defaultValue;
    }

    public String description()
    {
        return description;
    }

    /** Smallest value of a {@link Kind#NUMBER} option. */
    public long min()
    {
        return min;
    }

    /** Largest value of a {@link Kind#NUMBER} option. */
    public long max()
    {
        return max;
    }

    /** Accepted values of a {@link Kind#CHOICE} option. */
    public List<String> choices()
    {
        return choices;
    }

    /** Whether a configuration file may set it: a file naming another file or asking for help makes no sense. */
    public boolean allowedInFile()
    {
        return kind != Kind.FLAG && this != CONFIG;
    }

    /** The option with this name (without dashes), if any. */
    public static Optional<BrokerOption> byName(final String name)
    {
        for (final BrokerOption option : values())
        {
            if (option.name.equals(name))
            {
                return Optional.of(option);
            }
        }
        return Optional.empty();
    }

    /** Enum constants cannot read their own class's static fields while being built; a holder can. */
    private static final class Defaults
    {
        static final TransportConfig TRANSPORT = TransportConfig.defaults();
        static final EngineConfig ENGINE = EngineConfig.defaults();
    }
}
