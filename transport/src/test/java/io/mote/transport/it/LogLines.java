package io.mote.transport.it;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/** Captures the formatted log lines of one logger subtree while a test runs. */
final class LogLines extends AppenderBase<ILoggingEvent>
{
    private final Logger logger;
    private final List<String> lines = new ArrayList<>();

    private LogLines(final Logger logger)
    {
        this.logger = logger;
    }

    static LogLines capture(final String loggerName)
    {
        final LogLines appender = new LogLines((Logger)LoggerFactory.getLogger(loggerName));
        appender.start();
        appender.logger.addAppender(appender);
        return appender;
    }

    @Override
    protected void append(final ILoggingEvent event)
    {
        lines.add(event.getLevel() + " " + event.getLoggerName() + " - " + event.getFormattedMessage());
    }

    synchronized List<String> containing(final String text)
    {
        return lines.stream().filter(line -> line.contains(text)).toList();
    }

    @Override
    public void stop()
    {
        logger.detachAppender(this);
        super.stop();
    }
}
