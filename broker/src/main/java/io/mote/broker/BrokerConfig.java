package io.mote.broker;

import io.mote.engine.EngineConfig;
import io.mote.engine.EngineConfig.WaitStrategyKind;
import io.mote.engine.tree.TreeLimits;
import io.mote.persistence.Compactor;
import io.mote.persistence.FsyncMode;
import io.mote.persistence.JournalConfig;
import io.mote.transport.server.TransportConfig;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The broker's settings, read from the command line and an optional configuration file (the
 * command line wins), checked once, and turned into the {@link TransportConfig} and
 * {@link EngineConfig} the modules take. The options themselves are listed in {@link BrokerOption}.
 *
 * <p>{@link #parse} never exits the JVM: it returns what to do, so every error message and exit
 * code can be tested.
 */
public final class BrokerConfig
{
    /** Exit code for a bad command line or configuration file, as most Unix tools use. */
    public static final int EXIT_USAGE = 2;

    private final TransportConfig transport;
    private final EngineConfig engine;
    private final Path dataDir;
    private final JournalConfig journal;
    private final Compactor.Config compaction;
    private final long sessionCompactBytes;

    private BrokerConfig(final TransportConfig transport, final EngineConfig engine, final Path dataDir, final JournalConfig journal, final Compactor.Config compaction,
        final long sessionCompactBytes)
    {
        this.sessionCompactBytes = sessionCompactBytes;
        this.journal = journal;
        this.compaction = compaction;
        this.transport = transport;
        this.engine = engine;
        this.dataDir = dataDir;
    }

    /**
     * The outcome of reading a command line: a configuration to run with, or a message to print and an
     * exit code (0 for {@code --help} and {@code --version}, {@link #EXIT_USAGE} for errors).
     *
     * @param config   the settings to run with; null when the process should print and exit instead
     * @param exitCode the exit code when {@code config} is null
     * @param message  what to print when {@code config} is null: help, version, or a one-line error
     */
    public record Parsed(BrokerConfig config, int exitCode, String message)
    {
        /** True when the broker should run with {@link #config()}. */
        public boolean shouldRun()
        {
            return config != null;
        }
    }

    /** The network side: listeners, TLS, dialect, packet and queue bounds. */
    public TransportConfig transport()
    {
        return transport;
    }

    /** The engine: ring, wait strategy, tree publish limits. */
    public EngineConfig engine()
    {
        return engine;
    }

    /** Where the broker keeps its data, absolute; it may not exist yet. */
    public Path dataDir()
    {
        return dataDir;
    }

    /** The journal's durability and layout. */
    public JournalConfig journal()
    {
        return journal;
    }

    /** When snapshots are written. */
    public Compactor.Config compaction()
    {
        return compaction;
    }

    /** Session-log bytes appended between two background compactions of it. */
    public long sessionCompactBytes()
    {
        return sessionCompactBytes;
    }

    /** The settings with every option at its default (relative paths against the working directory). */
    public static BrokerConfig defaults()
    {
        return parse().config();
    }

    /** Reads a command line (the arguments of {@code main}); never exits and never throws. */
    public static Parsed parse(final String... args)
    {
        final List<String> arguments = List.of(args);
        if (arguments.contains(BrokerOption.HELP.flag()) || arguments.contains("-h"))
        {
            return new Parsed(null, 0, helpText());
        }
        if (arguments.contains(BrokerOption.VERSION.flag()))
        {
            return new Parsed(null, 0, "mote-broker " + version());
        }
        try
        {
            final Map<BrokerOption, Setting> settings = readCommandLine(arguments);
            final Setting file = settings.get(BrokerOption.CONFIG);
            final Map<BrokerOption, Setting> merged = file == null ? settings : ConfigFile.read(file.path(), settings);
            return new Parsed(build(merged), 0, "");
        }
        catch (final OptionException ex)
        {
            return new Parsed(null, EXIT_USAGE, "mote-broker: " + ex.getMessage() + " (see --help)");
        }
    }

    /** The usage text printed by {@code --help}, one line per option with its default. */
    public static String helpText()
    {
        final StringBuilder text = new StringBuilder(2_048)
            .append("Usage: mote-broker [OPTION]...\n")
            .append("Runs the Mote broker (MQTT 3.1.1 and Mote) until SIGTERM or Ctrl-C.\n\n");
        for (final BrokerOption option : BrokerOption.values())
        {
            final String left = option.flag() + (option.valueLabel().isEmpty() ? "" : " " + option.valueLabel());
            text.append(String.format(Locale.ROOT, "  %-34s %s", left, option.description()));
            if (!option.defaultValue().isEmpty())
            {
                text.append(" (default ").append(option.defaultValue()).append(')');
            }
            text.append('\n');
        }
        return text.append("\nA configuration file holds `name = value` lines with the same names without dashes; `#` starts a comment.")
            .toString();
    }

    /** The broker's version, as built. */
    public static String version()
    {
        try (InputStream in = BrokerConfig.class.getResourceAsStream("version.properties"))
        {
            final Properties properties = new Properties();
            if (in != null)
            {
                properties.load(in);
            }
            return properties.getProperty("version", "unknown");
        }
        catch (final IOException ex)
        {
            return "unknown";
        }
    }

    private static Map<BrokerOption, Setting> readCommandLine(final List<String> args)
    {
        final Map<BrokerOption, Setting> settings = new EnumMap<>(BrokerOption.class);
        for (int i = 0; i < args.size(); i++)
        {
            final String arg = args.get(i);
            if (!arg.startsWith("--"))
            {
                throw new OptionException("unexpected argument '" + arg + "'; options start with --");
            }
            final int equals = arg.indexOf('=');
            final String name = arg.substring(2, equals < 0 ? arg.length() : equals);
            final BrokerOption option = BrokerOption.byName(name)
                .orElseThrow(() -> new OptionException("unknown option --" + name));
            final String value;
            if (equals >= 0)
            {
                value = arg.substring(equals + 1);
            }
            else if (i + 1 < args.size())
            {
                value = args.get(++i);
            }
            else
            {
                throw new OptionException(option.flag() + ": needs a value (" + option.valueLabel() + ")");
            }
            // A later value replaces an earlier one, so a wrapper script's options can be overridden by appending.
            settings.put(option, new Setting(option, value, Path.of("").toAbsolutePath(), "command line"));
        }
        return settings;
    }

    private static BrokerConfig build(final Map<BrokerOption, Setting> settings)
    {
        final Path cert = optionalPath(settings, BrokerOption.TLS_CERT);
        final Path key = optionalPath(settings, BrokerOption.TLS_KEY);
        if ((cert == null) != (key == null))
        {
            final BrokerOption missing = cert == null ? BrokerOption.TLS_CERT : BrokerOption.TLS_KEY;
            throw new OptionException(missing.flag() + ": TLS needs both --tls-cert and --tls-key");
        }
        requireReadableFile(settings, BrokerOption.TLS_CERT, cert);
        requireReadableFile(settings, BrokerOption.TLS_KEY, key);

        final int queued = number(settings, BrokerOption.MAX_QUEUED);
        final int pending = number(settings, BrokerOption.MAX_PENDING);
        if (pending < queued)
        {
            throw new OptionException(BrokerOption.MAX_PENDING.flag() + ": must be at least --max-queued (" + queued + "), was " + pending
                + where(settings, BrokerOption.MAX_PENDING));
        }
        final int ringSize = number(settings, BrokerOption.RING_SIZE);
        if (Integer.bitCount(ringSize) != 1)
        {
            throw new OptionException(BrokerOption.RING_SIZE.flag() + ": must be a power of two, was " + ringSize
                + where(settings, BrokerOption.RING_SIZE));
        }

        final TransportConfig transport = new TransportConfig(
            bindAddress(settings),
            number(settings, BrokerOption.PORT),
            number(settings, BrokerOption.WS_PORT),
            cert,
            key,
            "mote".equals(choice(settings, BrokerOption.MQTT_DIALECT)),
            number(settings, BrokerOption.MAX_PACKET_SIZE),
            number(settings, BrokerOption.INFLIGHT),
            queued,
            pending,
            number(settings, BrokerOption.IO_THREADS));
        final TreeLimits limits = new TreeLimits(
            number(settings, BrokerOption.TREE_MAX_DEPTH),
            number(settings, BrokerOption.TREE_MAX_ROWS),
            number(settings, BrokerOption.TREE_MAX_BYTES));
        final WaitStrategyKind wait = WaitStrategyKind.valueOf(
            choice(settings, BrokerOption.WAIT_STRATEGY).toUpperCase(Locale.ROOT).replace('-', '_'));
        final EngineConfig engine = new EngineConfig(ringSize, wait, limits);
        final Path dataDir = optionalPath(settings, BrokerOption.DATA_DIR);
        final FsyncMode fsync;
        try
        {
            fsync = FsyncMode.parse(text(settings, BrokerOption.FSYNC));
        }
        catch (final IllegalArgumentException ex)
        {
            throw new OptionException(BrokerOption.FSYNC.flag() + ": " + ex.getMessage() + where(settings, BrokerOption.FSYNC));
        }
        // Chronicle refuses an excerpt over a quarter of its block: the largest packet must fit.
        final long blockSize = Math.max(JournalConfig.DEFAULT_BLOCK_SIZE, Long.highestOneBit(4L * transport.maxPacketSize()) << 1);
        final JournalConfig journal = JournalConfig.defaults().withFsync(fsync).withBlockSize(blockSize);
        final Compactor.Config compaction = new Compactor.Config(
            (long)number(settings, BrokerOption.SNAPSHOT_EVERY_MB) << 20,
            Duration.ofSeconds(number(settings, BrokerOption.SNAPSHOT_EVERY_SECONDS)),
            2);
        return new BrokerConfig(transport, engine,
            dataDir == null ? Path.of(BrokerOption.DATA_DIR.defaultValue()).toAbsolutePath().normalize() : dataDir, journal, compaction,
            (long)number(settings, BrokerOption.SESSION_LOG_COMPACT_MB) << 20);
    }

    private static String text(final Map<BrokerOption, Setting> settings, final BrokerOption option)
    {
        final Setting setting = settings.get(option);
        return setting == null ? option.defaultValue() : setting.value();
    }

    private static int number(final Map<BrokerOption, Setting> settings, final BrokerOption option)
    {
        final String text = text(settings, option).trim();
        final long value;
        try
        {
            value = Long.parseLong(text);
        }
        catch (final NumberFormatException ex)
        {
            throw new OptionException(option.flag() + ": not a number: '" + text + "'" + where(settings, option));
        }
        if (value < option.min() || value > option.max())
        {
            throw new OptionException(option.flag() + ": must be " + option.min() + ".." + option.max() + ", was " + value + where(settings, option));
        }
        return (int) value;
    }

    private static String choice(final Map<BrokerOption, Setting> settings, final BrokerOption option)
    {
        final String text = text(settings, option).trim();
        if (!option.choices().contains(text))
        {
            throw new OptionException(option.flag() + ": must be one of " + String.join(", ", option.choices()) + ", was '" + text + "'"
                + where(settings, option));
        }
        return text;
    }

    /** Resolved now so that a typo in a host name is a usage error, not a failure deep in the listener. */
    private static String bindAddress(final Map<BrokerOption, Setting> settings)
    {
        final String address = text(settings, BrokerOption.BIND).trim();
        if (address.isEmpty())
        {
            throw new OptionException(BrokerOption.BIND.flag() + ": needs an address" + where(settings, BrokerOption.BIND));
        }
        try
        {
            InetAddress.getByName(address);
            return address;
        }
        catch (final UnknownHostException ex)
        {
            throw new OptionException(BrokerOption.BIND.flag() + ": unknown host '" + address + "'" + where(settings, BrokerOption.BIND));
        }
    }

    private static Path optionalPath(final Map<BrokerOption, Setting> settings, final BrokerOption option)
    {
        final Setting setting = settings.get(option);
        if (setting == null || setting.value().isBlank())
        {
            return null;
        }
        return setting.path();
    }

    private static void requireReadableFile(final Map<BrokerOption, Setting> settings, final BrokerOption option, final Path path)
    {
        if (path != null && !(Files.isRegularFile(path) && Files.isReadable(path)))
        {
            throw new OptionException(option.flag() + ": cannot read file " + path + where(settings, option));
        }
    }

    private static String where(final Map<BrokerOption, Setting> settings, final BrokerOption option)
    {
        final Setting setting = settings.get(option);
        return setting == null || "command line".equals(setting.source()) ? "" : " (" + setting.source() + ")";
    }

    /**
     * One option's value as given, with the directory relative paths are resolved against and where it
     * came from (for error messages).
     */
    record Setting(BrokerOption option, String value, Path baseDir, String source)
    {
        Path path()
        {
            return baseDir.resolve(value.trim()).toAbsolutePath().normalize();
        }
    }

    /** A bad option; its message names the option and is shown as is. */
    static final class OptionException extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        OptionException(final String message)
        {
            super(message, null, false, false);
        }
    }
}
