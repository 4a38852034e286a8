package io.mote.broker;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's configuration table is BrokerOption rendered as Markdown; this keeps the two in step. */
class ReadmeConfigurationTest
{
    @Test
    void shouldListEveryOptionWithItsDefaultWhenTheReadmeShowsTheConfigurationTable() throws IOException
    {
        final String readme = Files.readString(RepositoryRoot.path().resolve("README.md"));
        final String table = markdownTable();

        assertThat(readme)
            .as("README.md's configuration table must be exactly this (paste it after a BrokerOption change):%n%s", table)
            .contains(table);
    }

    @Test
    void shouldAcceptTheReadmeExampleWhenItIsUsedAsAConfigurationFile(@TempDir final Path tmp) throws IOException
    {
        final String readme = Files.readString(RepositoryRoot.path().resolve("README.md"));
        final String section = readme.substring(readme.indexOf("## Configuration"));
        final int start = section.indexOf("```\n") + 4;
        final Path file = Files.writeString(tmp.resolve("broker.conf"), section.substring(start, section.indexOf("```", start)));

        final BrokerConfig.Parsed parsed = BrokerConfig.parse("--config", file.toString());

        assertThat(parsed.message()).isEmpty();
        assertThat(parsed.config().transport().wsPort()).isEqualTo(-1);
    }

    static String markdownTable()
    {
        final StringBuilder table = new StringBuilder("| option | default | meaning |\n|---|---|---|\n");
        for (final BrokerOption option : BrokerOption.values())
        {
            final String usage = option.flag() + (option.valueLabel().isEmpty() ? "" : " " + option.valueLabel());
            table.append("| `").append(escape(usage)).append("` | ")
                .append(option.defaultValue().isEmpty() ? "" : "`" + option.defaultValue() + "`")
                .append(" | ").append(escape(option.description())).append(" |\n");
        }
        return table.toString();
    }

    private static String escape(final String text)
    {
        return text.replace("|", "\\|");
    }
}
