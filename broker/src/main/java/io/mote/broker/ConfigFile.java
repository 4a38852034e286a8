package io.mote.broker;

import io.mote.broker.BrokerConfig.OptionException;
import io.mote.broker.BrokerConfig.Setting;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The configuration file: {@code name = value} lines using the option names without dashes, blank
 * lines, and comments from a {@code #} at the start of a line or after whitespace. Relative paths are
 * relative to the file, so a file works whatever directory the broker is started from.
 */
final class ConfigFile
{
    private ConfigFile()
    {
    }

    /**
     * Reads {@code file} and lays {@code commandLine} over it.
     *
     * @return every setting, the command line's winning over the file's
     */
    static Map<BrokerOption, Setting> read(final Path file, final Map<BrokerOption, Setting> commandLine)
    {
        final List<String> lines;
        try
        {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        }
        catch (final IOException | RuntimeException ex)
        {
            throw new OptionException(BrokerOption.CONFIG.flag() + ": cannot read file " + file);
        }
        final Path baseDir = file.toAbsolutePath().getParent();
        final Map<BrokerOption, Setting> settings = new EnumMap<>(BrokerOption.class);
        for (int i = 0; i < lines.size(); i++)
        {
            final String source = file + " line " + (i + 1);
            final String line = stripComment(lines.get(i)).trim();
            if (line.isEmpty())
            {
                continue;
            }
            final int equals = line.indexOf('=');
            if (equals < 0)
            {
                throw new OptionException(BrokerOption.CONFIG.flag() + ": expected name = value, got '" + line + "' (" + source + ")");
            }
            final String name = line.substring(0, equals).trim();
            final BrokerOption option = BrokerOption.byName(name)
                .filter(BrokerOption::allowedInFile)
                .orElseThrow(() -> new OptionException(BrokerOption.CONFIG.flag() + ": unknown option '" + name + "' (" + source + ")"));
            // A file is edited by hand and read rarely: a name set twice is far more likely a mistake than intent.
            if (settings.containsKey(option))
            {
                throw new OptionException(option.flag() + ": set twice in the file (" + source + ")");
            }
            settings.put(option, new Setting(option, line.substring(equals + 1).trim(), baseDir, source));
        }
        settings.putAll(commandLine);
        return settings;
    }

    private static String stripComment(final String line)
    {
        for (int i = 0; i < line.length(); i++)
        {
            if (line.charAt(i) == '#' && (i == 0 || Character.isWhitespace(line.charAt(i - 1))))
            {
                return line.substring(0, i);
            }
        }
        return line;
    }
}
